#include "digger/report/filter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace digger::report {
namespace {

constexpr std::array<std::string_view, 13> plain_keys{
    "host",        "owner",   "language",   "status", "command", "target",  "file",
    "fingerprint", "verdict", "managed_by", "flag",   "kind",    "evidence"};

bool valid_key(std::string_view key) {
  if (key.starts_with("label:")) {
    return key.size() > 6;
  }
  return std::find(plain_keys.begin(), plain_keys.end(), key) != plain_keys.end();
}

bool compare(const FilterTerm& term, std::string_view field) {
  switch (term.op) {
  case FilterTerm::Op::equals:
    return field == term.value;
  case FilterTerm::Op::not_equals:
    return field != term.value;
  case FilterTerm::Op::contains:
    return field.find(term.value) != std::string_view::npos;
  }
  return false;
}

bool matches_host_term(const FilterTerm& term, const HostRow& host) {
  if (term.key == "host") {
    return compare(term, host.name);
  }
  if (term.key == "status") {
    return compare(term, host.status);
  }
  const auto label = host.labels.find(term.key.substr(6));
  // A missing label only satisfies "!=": a host without env is not env=prod.
  if (label == host.labels.end()) {
    return term.op == FilterTerm::Op::not_equals;
  }
  return compare(term, label->second);
}

// A job has many flags: flag=X holds when one of them is X, flag!=X when none is, flag~X when
// one of them contains X.
bool matches_flag(const FilterTerm& term, const JobRow& job) {
  FilterTerm positive = term;
  if (term.op == FilterTerm::Op::not_equals) {
    positive.op = FilterTerm::Op::equals;
  }
  const bool any = std::any_of(job.flags.begin(), job.flags.end(),
                               [&](const std::string& flag) { return compare(positive, flag); });
  return term.op == FilterTerm::Op::not_equals ? !any : any;
}

std::string_view job_field(const FilterTerm& term, const JobRow& job) {
  if (term.key == "owner")
    return job.owner;
  if (term.key == "language")
    return job.language;
  if (term.key == "command")
    return job.command;
  if (term.key == "target")
    return job.target;
  if (term.key == "file")
    return job.file;
  if (term.key == "verdict")
    return job.verdict;
  if (term.key == "managed_by")
    return job.managed_by;
  if (term.key == "evidence")
    return job.run.verdict;
  if (term.key == "kind")
    return job.source_kind;
  return job.fingerprint;
}

// Splits on blanks outside quotes; quotes are removed.
util::Result<std::vector<std::string>> split_terms(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        current.push_back(c);
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) {
        words.push_back(std::move(current));
        current.clear();
        in_word = false;
      }
    } else {
      current.push_back(c);
      in_word = true;
    }
  }
  if (quote != 0) {
    return util::Error{"unterminated quote"};
  }
  if (in_word) {
    words.push_back(std::move(current));
  }
  return words;
}

util::Result<FilterTerm> parse_term(const std::string& word) {
  const auto op_at = word.find_first_of("=!~");
  if (op_at == std::string::npos || op_at == 0) {
    return util::Error{fmt::format("'{}' is not KEY=VALUE, KEY!=VALUE or KEY~VALUE", word)};
  }
  FilterTerm term;
  term.key = word.substr(0, op_at);
  std::size_t value_at = op_at + 1;
  if (word[op_at] == '~') {
    term.op = FilterTerm::Op::contains;
  } else if (word[op_at] == '!') {
    if (word.compare(op_at, 2, "!=") != 0) {
      return util::Error{fmt::format("'{}': '!' must be followed by '='", word)};
    }
    term.op = FilterTerm::Op::not_equals;
    value_at = op_at + 2;
  }
  term.value = word.substr(value_at);
  if (!valid_key(term.key)) {
    return util::Error{fmt::format("unknown key '{}' (use host, owner, language, status, command, "
                                   "target, file, fingerprint, verdict, managed_by, flag, kind, "
                                   "evidence or label:NAME)",
                                   term.key)};
  }
  return term;
}

} // namespace

bool Filter::chooses_verdict() const {
  return std::any_of(terms.begin(), terms.end(), [](const FilterTerm& term) {
    return term.key == "verdict" || term.key == "managed_by";
  });
}

bool FilterTerm::about_host() const {
  return key == "host" || key == "status" || key.starts_with("label:");
}

bool Filter::matches_host(const HostRow& host) const {
  return std::all_of(terms.begin(), terms.end(), [&](const FilterTerm& term) {
    return !term.about_host() || matches_host_term(term, host);
  });
}

bool Filter::matches_job(const JobRow& job, const HostRow& host) const {
  return std::all_of(terms.begin(), terms.end(), [&](const FilterTerm& term) {
    if (term.about_host()) {
      return matches_host_term(term, host);
    }
    return term.key == "flag" ? matches_flag(term, job) : compare(term, job_field(term, job));
  });
}

util::Result<Filter> parse_filter(std::string_view expression) {
  auto words = split_terms(expression);
  if (!words) {
    return util::Error{words.error()};
  }
  Filter filter;
  for (const auto& word : *words) {
    auto term = parse_term(word);
    if (!term) {
      return util::Error{term.error()};
    }
    filter.terms.push_back(*term);
  }
  return filter;
}

} // namespace digger::report
