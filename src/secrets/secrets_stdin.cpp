// Secrets handed to a program on its standard input: `echo PW | sudo -S cmd`,
// `sudo -S cmd <<< PW`, and in a crontab `sudo -S cmd %PW%`, where cron feeds the text after
// the '%' to the command. The line alone shows no option with a value, so these are found by
// what the program does with its input.
#include "digger/command/wrappers.hpp"
#include "digger/secrets/secrets.hpp"

#include <algorithm>
#include <array>

#include "secrets_detail.hpp"

namespace digger::secrets {
namespace detail {
namespace {

std::string_view word_text(std::string_view text, const Word& word) {
  std::string_view raw = text.substr(word.begin, word.end - word.begin);
  if (raw.size() >= 2 && (raw.front() == '\'' || raw.front() == '"') && raw.back() == raw.front()) {
    raw = raw.substr(1, raw.size() - 2);
  }
  return raw;
}

// sudo's options up to its command: -S / --stdin, also inside a cluster (-kS).
bool sudo_reads_password(std::string_view text, const std::vector<Word>& words, std::size_t from) {
  static constexpr std::string_view takes_value = "ugpCDrtUTh";
  for (std::size_t i = from; i < words.size(); ++i) {
    const std::string_view w = word_text(text, words[i]);
    if (w.size() < 2 || w[0] != '-') {
      return false; // the command sudo runs
    }
    if (w == "--stdin" || (w[1] != '-' && w.find('S') != std::string_view::npos)) {
      return true;
    }
    if (w[1] != '-' && takes_value.find(w.back()) != std::string_view::npos) {
      ++i; // -u root: the value is not the command
    }
  }
  return false;
}

bool has_word(std::string_view text, const std::vector<Word>& words, std::size_t from,
              std::string_view wanted) {
  return std::any_of(words.begin() + static_cast<std::ptrdiff_t>(from), words.end(),
                     [&](const Word& w) { return word_text(text, w) == wanted; });
}

// One program of the simple command `words` (a wrapper's command included) that reads a
// password, passphrase or credentials from its standard input.
bool program_reads_secret(std::string_view text, const std::vector<Word>& words, std::size_t i) {
  const std::string_view name = command::base_name(word_text(text, words[i]));
  if (name == "sudo") {
    return sudo_reads_password(text, words, i + 1);
  }
  if (name == "chpasswd" || name == "chgpasswd") {
    return true; // user:password lines
  }
  if (name == "passwd") {
    return has_word(text, words, i + 1, "--stdin");
  }
  if (name == "smbpasswd") {
    return has_word(text, words, i + 1, "-s");
  }
  if (name == "htpasswd") {
    return has_word(text, words, i + 1, "-i") || has_word(text, words, i + 1, "-bi");
  }
  return false;
}

} // namespace

bool reads_stdin_secret(std::string_view text, const std::vector<Word>& words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = word_text(text, words[i]);
    // docker/podman/helm login --password-stdin, openssl -passin stdin, gpg --passphrase-fd 0.
    if (w == "--password-stdin" || w == "--passphrase-stdin" ||
        (w == "stdin" && i > 0 && word_text(text, words[i - 1]).substr(0, 5) == "-pass") ||
        (w == "0" && i > 0 && word_text(text, words[i - 1]) == "--passphrase-fd")) {
      return true;
    }
    if (program_reads_secret(text, words, i)) {
      return true;
    }
  }
  return false;
}

namespace {

std::vector<std::vector<Word>> simple_commands(const ShellMap& map) {
  std::vector<std::vector<Word>> commands;
  for (const Word& word : map.words) {
    if (commands.empty() || commands.back().back().command != word.command) {
      commands.emplace_back();
    }
    commands.back().push_back(word);
  }
  return commands;
}

// Between two simple commands: one '|' (a pipe), not '||'.
bool piped(std::string_view text, const Word& left, const Word& right) {
  const std::string_view between = text.substr(left.end, right.begin - left.end);
  return std::count(between.begin(), between.end(), '|') == 1 &&
         between.find_first_not_of(" \t|") == std::string_view::npos;
}

// `echo PW | sudo -S`, `printf '%s\n' PW | passwd --stdin u`: every operand of echo/printf.
void echoed(std::string_view text, const std::vector<Word>& words, std::vector<Span>& spans) {
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string_view w = word_text(text, words[i]);
    if (!(i == 1 && w.size() > 1 && w[0] == '-')) { // echo -n / -e
      add_value(text, words[i].begin, words[i].end, "stdin-secret", spans);
    }
  }
}

// `sudo -S cmd <<< PW`: the word after a here-string operator.
void here_strings(std::string_view text, const std::vector<Word>& words, std::vector<Span>& spans) {
  for (const Word& word : words) {
    std::size_t k = word.begin;
    while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) {
      --k;
    }
    if (k >= 3 && text.substr(k - 3, 3) == "<<<") {
      add_value(text, word.begin, word.end, "stdin-secret", spans);
    }
  }
}

} // namespace

void stdin_secrets(std::string_view text, const ShellMap& map, std::vector<Span>& spans) {
  const auto commands = simple_commands(map);
  for (std::size_t c = 0; c < commands.size(); ++c) {
    if (!reads_stdin_secret(text, commands[c])) {
      continue;
    }
    here_strings(text, commands[c], spans);
    if (c == 0 || !piped(text, commands[c - 1].back(), commands[c].front())) {
      continue;
    }
    const std::string_view feeder = command::base_name(word_text(text, commands[c - 1].front()));
    if (feeder == "echo" || feeder == "printf") {
      echoed(text, commands[c - 1], spans);
    }
  }
}

} // namespace detail

bool reads_secret_from_stdin(std::string_view command) {
  const detail::ShellMap map = detail::map_shell(command);
  return detail::reads_stdin_secret(command, map.words);
}

Redaction redact_job_input(std::string_view command, std::string_view input) {
  using namespace detail;
  if (!input.empty() && reads_secret_from_stdin(command)) {
    Redaction whole;
    whole.text = input.back() == '\n' ? "***\n" : "***";
    whole.kinds.emplace_back("stdin-secret");
    return whole;
  }
  // Cron cut the line at the first '%': `smbclient -U user%PW //nas/s` left "PW //nas/s" here.
  // A secret that straddles the cut is found in the line as written and kept out of both.
  const std::string joined = std::string(command) + "%" + std::string(input);
  std::vector<Span> spans = find_spans(input);
  const std::size_t start = command.size() + 1;
  for (const Span& span : find_spans(joined)) {
    if (span.end > start) {
      spans.push_back({std::max(span.begin, start) - start, span.end - start, span.kind});
    }
  }
  return apply_spans(input, std::move(spans));
}

} // namespace digger::secrets
