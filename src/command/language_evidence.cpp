// Refines a job's language with what the second round trip saw in its target: Go build
// info, an ELF header, a shebang, or a recognisable file start. The interpreter names are the
// ones the command rules use (interpreter_language in runtime_interpreters.cpp).
#include "digger/command/language_evidence.hpp"

#include "digger/command/wrappers.hpp"
#include "digger/util/ascii.hpp"

#include <array>

namespace digger::command {
namespace {

constexpr std::size_t max_evidence = 120;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The first line of `head` without its "\r\n", bounded, with control bytes shown as '?'.
std::string first_line(std::string_view head) {
  std::string_view line = head.substr(0, head.find('\n'));
  while (!line.empty() && (line.back() == '\r' || util::is_blank(line.back()))) {
    line.remove_suffix(1);
  }
  std::string out;
  for (char c : line.substr(0, max_evidence)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && util::is_blank(s[i])) {
      ++i;
    }
    const std::size_t start = i;
    while (i < s.size() && !util::is_blank(s[i])) {
      ++i;
    }
    if (i > start) {
      out.push_back(s.substr(start, i - start));
    }
  }
  return out;
}

// The command's evidence says the job runs its target file itself (execve), so the
// kernel honours the target's ELF header or shebang. A line the shell refuses ("broken:")
// runs nothing, and keeps the command's answer.
bool runs_target_directly(std::string_view evidence) {
  if (evidence.find("broken:") != std::string_view::npos) {
    return false;
  }
  return evidence == "executable path" || evidence == "command on PATH" ||
         starts_with(evidence, "extension ") || starts_with(evidence, "distribution shell script");
}

std::string go_evidence(const ProgramFacts& p) {
  std::string evidence = "Go build info " + p.go_version;
  if (!p.go_module.empty()) {
    evidence += " " + p.go_module;
  }
  return first_line(evidence);
}

} // namespace

std::optional<std::string> shebang_interpreter(std::string_view head) {
  if (!starts_with(head, "#!")) {
    return std::nullopt;
  }
  std::string_view line = head.substr(
      2, head.find('\n') == std::string_view::npos ? std::string_view::npos : head.find('\n') - 2);
  while (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  const std::vector<std::string_view> w = words(line);
  if (w.empty()) {
    return std::nullopt;
  }
  if (base_name(w[0]) != "env") {
    return std::string(base_name(w[0]));
  }
  for (std::size_t i = 1; i < w.size(); ++i) {
    const std::string_view a = w[i];
    if (a == "-S" || a == "--split-string" || a == "-i" || a == "--ignore-environment" ||
        a == "-" || a == "--") {
      continue;
    }
    if (starts_with(a, "-S") && a.size() > 2) {
      return std::string(base_name(a.substr(2))); // -Sphp -q
    }
    if (a == "-u" || a == "--unset" || a == "-C" || a == "--chdir") {
      ++i; // takes a value
      continue;
    }
    if (starts_with(a, "-") || a.find('=') != std::string_view::npos) {
      continue; // other env options, NAME=value
    }
    return std::string(base_name(a));
  }
  return std::nullopt;
}

LanguageDecision refine_language(Language from_command, std::string_view command_evidence,
                                 const ProgramFacts* program) {
  const LanguageDecision keep{from_command, std::string(command_evidence)};
  if (!program || !program->exists || !(program->type.empty() || program->type == "file") ||
      !runs_target_directly(command_evidence)) {
    return keep;
  }
  const std::string_view head = program->head;
  if (!program->go_version.empty()) {
    return {Language::go, go_evidence(*program)};
  }
  if (program->elf || starts_with(head, "\x7f"
                                        "ELF")) {
    return {Language::binary, "ELF executable"};
  }
  if (const auto interpreter = shebang_interpreter(head)) {
    if (const auto language = interpreter_language(*interpreter)) {
      return {*language, "shebang " + first_line(head)};
    }
  }
  std::string_view text = head;
  if (starts_with(text, "\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  if (starts_with(text, "<?php")) {
    return {Language::php, "content <?php"};
  }
  const std::string_view path =
      program->resolved_path.empty() ? std::string_view(program->path) : program->resolved_path;
  if (starts_with(head, std::string_view("PK\x03\x04", 4)) && ends_with(path, ".jar")) {
    return {Language::java, "jar archive (PK header)"};
  }
  return keep;
}

} // namespace digger::command
