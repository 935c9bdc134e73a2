// How each interpreter's command line names the code it runs: options are stepped over
// the way the interpreter itself reads them, so `python3 -u -W ignore job.py` finds job.py.
#include "digger/command/option_scan.hpp"
#include "digger/command/wrappers.hpp"

#include <algorithm>
#include <array>

#include "runtime_rules.hpp"

namespace digger::command::detail {
namespace {

// "python3.11" is "python" + "3.11"; the version part is digits and dots.
bool versioned(std::string_view name, std::string_view base) {
  if (name.substr(0, base.size()) != base) {
    return false;
  }
  const std::string_view rest = name.substr(base.size());
  return rest.empty() ||
         ((rest[0] >= '0' && rest[0] <= '9') && std::all_of(rest.begin(), rest.end(), [](char c) {
            return (c >= '0' && c <= '9') || c == '.';
          }));
}

std::string_view drop_suffix(std::string_view name, std::string_view suffix) {
  if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
    return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

Runtime inline_code(Language language, const Argv& argv, std::string_view flag) {
  Runtime r;
  r.language = language;
  r.evidence = "interpreter " + std::string(base_name(argv[0])) + " inline " + std::string(flag);
  r.target = argv[0];
  r.inline_code = true;
  return r;
}

// The interpreter runs the script at `index` (or reads stdin when there is none).
Runtime run_script(Language language, const Argv& argv, std::size_t index,
                   const std::optional<std::string>& stdin_file) {
  Runtime r;
  r.language = language;
  r.evidence = "interpreter " + std::string(base_name(argv[0]));
  if (index < argv.size() && argv[index] != "-") {
    r.target = argv[index];
    r.target_is_path = true;
    add_script_facts(r, argv, index);
  } else if (stdin_file) {
    r.target = *stdin_file;
    r.target_is_path = true;
  } else {
    r.target = argv[0];
  }
  return r;
}

// Scans options with `spec`; an option named in `inline_flags` means inline code.
Runtime scan_then_script(Language language, const Argv& argv, OptionSpec spec,
                         std::string_view inline_flags, std::string_view script_flag,
                         const std::optional<std::string>& stdin_file) {
  OptionScanner scanner(argv, 1, std::move(spec));
  while (auto o = scanner.next()) {
    if (!o->is_long && inline_flags.find(o->name[0]) != std::string_view::npos) {
      return inline_code(language, argv, "-" + o->name);
    }
    if (!o->is_long && !script_flag.empty() && o->name == script_flag) {
      Argv shifted = {argv[0], o->value};
      shifted.insert(shifted.end(), argv.begin() + static_cast<std::ptrdiff_t>(scanner.position()),
                     argv.end());
      return run_script(language, shifted, 1, stdin_file);
    }
  }
  return run_script(language, argv, scanner.position(), stdin_file);
}

Runtime python(const Argv& argv, const std::optional<std::string>& stdin_file) {
  OptionScanner scanner(argv, 1, {"mcWXQ", "", {"check-hash-based-pycs"}});
  while (auto o = scanner.next()) {
    if (o->name == "m") {
      Runtime r;
      r.language = Language::python;
      r.evidence = "python -m " + o->value;
      r.target = o->value;
      r.module = o->value;
      r.subcommand = task_words(argv, scanner.position());
      return r;
    }
    if (o->name == "c") {
      return inline_code(Language::python, argv, "-c");
    }
  }
  return run_script(Language::python, argv, scanner.position(), stdin_file);
}

Runtime node_like(Language language, const Argv& argv, std::size_t first,
                  const std::optional<std::string>& stdin_file) {
  const OptionSpec spec{"repC",
                        "",
                        {"require", "eval", "print", "import", "loader", "experimental-loader",
                         "conditions", "title", "input-type", "config"}};
  OptionScanner scanner(argv, first, spec);
  while (auto o = scanner.next()) {
    if (o->name == "e" || o->name == "p" || o->name == "eval" || o->name == "print") {
      return inline_code(language, argv, o->is_long ? "--" + o->name : "-" + o->name);
    }
  }
  return run_script(language, argv, scanner.position(), stdin_file);
}

// bun and deno put a subcommand first: `bun run x.ts`, `deno run -A x.ts`.
Runtime bun_or_deno(const Argv& argv, const std::optional<std::string>& stdin_file) {
  const std::size_t first = argv.size() > 1 && argv[1] == "run" ? 2 : 1;
  return node_like(Language::javascript, argv, first, stdin_file);
}

Runtime java(const Argv& argv) {
  static constexpr std::array<std::string_view, 12> with_value = {
      "-cp",           "-classpath",     "--class-path",    "-p",
      "--module-path", "--add-modules",  "--add-exports",   "--add-opens",
      "--add-reads",   "--patch-module", "--limit-modules", "--upgrade-module-path"};
  Runtime r;
  r.language = Language::java;
  r.evidence = "interpreter java";
  r.target = argv[0];
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if ((a == "-jar" || a == "-m" || a == "--module") && i + 1 < argv.size()) {
      const bool jar = a == "-jar";
      r.target = argv[i + 1];
      r.target_is_path = jar;
      r.evidence = (jar ? "java -jar " : "java -m ") + std::string(base_name(r.target));
      return r;
    }
    if (std::find(with_value.begin(), with_value.end(), a) != with_value.end()) {
      ++i;
    } else if (a.empty() || a[0] != '-') {
      r.target = a;
      const bool source = a.size() > 5 && a.substr(a.size() - 5) == ".java";
      r.target_is_path = source;
      r.evidence = (source ? "java source " : "java class ") + a;
      return r;
    }
  }
  return r;
}

Runtime go(const Argv& argv) {
  static constexpr std::array<std::string_view, 14> with_value = {
      "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod",      "-modfile", "-overlay",
      "-p",    "-exec",    "-C",       "-pkgdir",   "-toolexec", "-o",       "-pgo"};
  Runtime r;
  r.language = Language::go;
  r.target = argv[0];
  if (argv.size() < 2 || argv[1] != "run") {
    r.evidence = argv.size() < 2 ? "interpreter go" : "go " + argv[1];
    return r;
  }
  r.evidence = "go run";
  for (std::size_t i = 2; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (!a.empty() && a[0] == '-') {
      const bool separate = a.find('=') == std::string::npos &&
                            std::find(with_value.begin(), with_value.end(), a) != with_value.end();
      i += separate ? 1 : 0;
      continue;
    }
    r.target = a;
    r.target_is_path =
        a[0] == '.' || a[0] == '/' || (a.size() > 3 && a.substr(a.size() - 3) == ".go");
    break;
  }
  return r;
}

Runtime shell(const Argv& argv, const std::optional<std::string>& stdin_file) {
  const ShellOptions options = scan_shell_options(argv, 1);
  Runtime r = run_script(Language::shell, argv, options.command_mode ? argv.size() : options.next,
                         stdin_file);
  return r;
}

} // namespace

Interpreter interpreter_of(std::string_view name) {
  const std::string_view bare = drop_suffix(drop_suffix(name, "-cli"), "-dbg");
  if (versioned(bare, "python") || versioned(bare, "pypy")) {
    return Interpreter::python;
  }
  if (versioned(bare, "php") || name == "php-cgi") {
    return Interpreter::php;
  }
  if (versioned(name, "perl")) {
    return Interpreter::perl;
  }
  if (versioned(name, "ruby") || versioned(name, "jruby")) {
    return Interpreter::ruby;
  }
  if (versioned(name, "node") || versioned(name, "nodejs")) {
    return Interpreter::node;
  }
  if (name == "bun") {
    return Interpreter::bun;
  }
  if (name == "deno") {
    return Interpreter::deno;
  }
  if (name == "ts-node" || name == "tsx") {
    return Interpreter::ts_node;
  }
  if (name == "java") {
    return Interpreter::java;
  }
  if (name == "go") {
    return Interpreter::go;
  }
  return is_shell_name(name) ? Interpreter::shell : Interpreter::none;
}

Runtime classify_interpreter(Interpreter kind, const Argv& argv,
                             const std::optional<std::string>& stdin_file) {
  switch (kind) {
  case Interpreter::python:
    return python(argv, stdin_file);
  case Interpreter::php:
    return scan_then_script(Language::php, argv,
                            {"cdfrBRFEStz", "", {"rf", "rc", "re", "rz", "ri"}}, "rBRE", "f",
                            stdin_file);
  case Interpreter::perl:
    return scan_then_script(Language::perl, argv, {"eEI", "MmlDix0CdVF", {}}, "eE", "", stdin_file);
  case Interpreter::ruby:
    return scan_then_script(Language::ruby, argv, {"eIrCE", "WxKT0Fi", {}}, "e", "", stdin_file);
  case Interpreter::node:
  case Interpreter::ts_node:
    return node_like(Language::javascript, argv, 1, stdin_file);
  case Interpreter::bun:
  case Interpreter::deno:
    return bun_or_deno(argv, stdin_file);
  case Interpreter::java:
    return java(argv);
  case Interpreter::go:
    return go(argv);
  case Interpreter::shell:
    return shell(argv, stdin_file);
  case Interpreter::none:
    break;
  }
  return Runtime{};
}

} // namespace digger::command::detail

namespace digger::command {

std::optional<Language> interpreter_language(std::string_view program_name) {
  switch (detail::interpreter_of(program_name)) {
  case detail::Interpreter::python:
    return Language::python;
  case detail::Interpreter::php:
    return Language::php;
  case detail::Interpreter::perl:
    return Language::perl;
  case detail::Interpreter::ruby:
    return Language::ruby;
  case detail::Interpreter::node:
  case detail::Interpreter::bun:
  case detail::Interpreter::deno:
  case detail::Interpreter::ts_node:
    return Language::javascript;
  case detail::Interpreter::java:
    return Language::java;
  case detail::Interpreter::go:
    return Language::go;
  case detail::Interpreter::shell:
    return Language::shell;
  case detail::Interpreter::none:
    break;
  }
  return std::nullopt;
}

} // namespace digger::command
