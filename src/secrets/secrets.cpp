// Secret redaction: find the byte ranges that hold secrets, then copy the text with each
// range replaced by "***". Rules live in secrets_words.cpp (per program) and
// secrets_text.cpp (patterns anywhere in the text); this file maps the shell structure.
#include "digger/secrets/secrets.hpp"

#include "digger/util/ascii.hpp"

#include <algorithm>

#include "secrets_detail.hpp"

namespace digger::secrets {
namespace detail {
namespace {

// A stray CR (a crontab saved with CRLF line ends) separates words like a blank.
bool is_blank(char c) {
  return util::is_blank(c) || c == '\r';
}

// Characters that end a word and start a new simple command.
bool is_command_break(char c) {
  return c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '`';
}

class Mapper {
public:
  explicit Mapper(std::string_view text) : text_(text) {
    map_.word_of.assign(text.size(), -1);
    map_.quote_close.assign(text.size(), npos);
    map_.quote_open.assign(text.size(), npos);
  }

  ShellMap run() {
    std::size_t i = 0;
    while (i < text_.size()) {
      i = step(i);
    }
    end_word(text_.size());
    return std::move(map_);
  }

private:
  std::size_t step(std::size_t i) {
    const char c = text_[i];
    if (is_blank(c) || c == '<' || c == '>') {
      end_word(i);
      return i + 1;
    }
    if (is_command_break(c)) {
      end_word(i);
      ++command_;
      return i + 1;
    }
    start_word(i);
    if (c == '\\') {
      const std::size_t stop = std::min(i + 2, text_.size());
      mark_word(i, stop);
      return stop;
    }
    if (c == '\'' || c == '"') {
      return quoted(i);
    }
    mark_word(i, i + 1);
    return i + 1;
  }

  std::size_t quoted(std::size_t open) {
    const std::size_t after = quote_end(text_, open);
    const std::size_t close = after == npos ? text_.size() : after - 1;
    for (std::size_t k = open + 1; k < close; ++k) {
      map_.quote_close[k] = close;
      map_.quote_open[k] = open;
    }
    map_.quoted.emplace_back(open, close);
    const std::size_t stop = after == npos ? text_.size() : after;
    mark_word(open, stop);
    return stop;
  }

  void start_word(std::size_t i) {
    if (!in_word_) {
      in_word_ = true;
      map_.words.push_back({i, i, command_});
    }
  }

  void mark_word(std::size_t from, std::size_t to) {
    const int index = static_cast<int>(map_.words.size()) - 1;
    for (std::size_t k = from; k < to; ++k) {
      map_.word_of[k] = index;
    }
    map_.words.back().end = to;
  }

  void end_word(std::size_t) { in_word_ = false; }

  std::string_view text_;
  ShellMap map_;
  bool in_word_ = false;
  int command_ = 0;
};

} // namespace

std::size_t quote_end(std::string_view text, std::size_t open) {
  const char q = text[open];
  for (std::size_t k = open + 1; k < text.size(); ++k) {
    if (q == '"' && text[k] == '\\') {
      ++k; // \" and \\ do not end a double-quoted string
    } else if (text[k] == q) {
      return k + 1;
    }
  }
  return npos;
}

ShellMap map_shell(std::string_view text) {
  return Mapper(text).run();
}

bool add_value(std::string_view text, std::size_t begin, std::size_t end, const char* kind,
               std::vector<Span>& spans) {
  end = std::min(end, text.size());
  if (begin >= end) {
    return false;
  }
  const char first = text[begin];
  // $PASS, "${PASS}", $(cat file), `cat file`: the secret is elsewhere, the name is useful.
  // A single-quoted '$x' is a literal dollar sign, so it is redacted.
  if (first == '$' || first == '`' ||
      (first == '"' && begin + 1 < end && (text[begin + 1] == '$' || text[begin + 1] == '`'))) {
    return false;
  }
  if ((first == '\'' || first == '"') && quote_end(text, begin) == end) {
    ++begin;
    --end;
  }
  if (begin >= end) {
    return false;
  }
  spans.push_back({begin, end, kind});
  return true;
}

std::vector<Span> find_spans(std::string_view text) {
  std::vector<Span> spans;
  const ShellMap map = map_shell(text);
  scan_words(text, map, 0, 3, spans);
  scan_text(text, map, spans);
  stdin_secrets(text, map, spans);
  return spans;
}

Redaction apply_spans(std::string_view text, std::vector<Span> spans) {
  std::stable_sort(spans.begin(), spans.end(),
                   [](const Span& a, const Span& b) { return a.begin < b.begin; });

  Redaction out;
  out.text.reserve(text.size());
  std::size_t copied = 0; // text before this position is already in out.text
  for (std::size_t i = 0; i < spans.size();) {
    std::size_t end = spans[i].end;
    std::size_t j = i;
    // Overlapping and touching ranges become one "***".
    for (; j < spans.size() && spans[j].begin <= end; ++j) {
      end = std::max(end, spans[j].end);
      if (std::find(out.kinds.begin(), out.kinds.end(), spans[j].kind) == out.kinds.end()) {
        out.kinds.emplace_back(spans[j].kind);
      }
    }
    const std::size_t begin = std::max(spans[i].begin, copied);
    out.text.append(text.substr(copied, begin - copied));
    if (end > begin) {
      out.text.append("***");
    }
    copied = std::max(copied, end);
    i = j;
  }
  out.text.append(text.substr(std::min(copied, text.size())));
  return out;
}

} // namespace detail

Redaction redact_secrets(std::string_view text) {
  return detail::apply_spans(text, detail::find_spans(text));
}

Redaction redact_env_value(std::string_view name, std::string_view value) {
  if (!is_secret_name(name)) {
    return redact_secrets(value);
  }
  Redaction out;
  std::vector<detail::Span> spans;
  if (!detail::add_value(value, 0, value.size(), "env-assignment", spans)) {
    out.text = std::string(value); // empty, or a $VARIABLE reference
    return out;
  }
  out.text = std::string(value.substr(0, spans[0].begin)) + "***" +
             std::string(value.substr(spans[0].end));
  out.kinds.emplace_back("env-assignment");
  return out;
}

} // namespace digger::secrets
