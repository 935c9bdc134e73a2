// The language of an unwrapped command, in rule order: interpreter name, framework tool,
// script extension, system utility, and otherwise an opaque binary.
#include "digger/command/runtime.hpp"

#include "digger/command/wrappers.hpp"

#include <algorithm>
#include <array>

#include "runtime_rules.hpp"

namespace digger::command {
namespace {

using detail::Argv;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

struct Tool {
  std::string_view name;
  Language language;
  std::string_view framework; // empty: none
};

// Programs that are always a front end of one language's application code.
constexpr std::array<Tool, 31> tools = {{
    {"artisan", Language::php, "laravel"},
    {"wp", Language::php, "wordpress"},
    {"wp-cli", Language::php, "wordpress"},
    {"wp-cli.phar", Language::php, "wordpress"},
    {"drush", Language::php, "drupal"},
    {"composer", Language::php, ""},
    {"magento", Language::php, "magento"},
    {"occ", Language::php, "nextcloud"},
    {"rake", Language::ruby, ""},
    {"rails", Language::ruby, "rails"},
    {"gem", Language::ruby, ""},
    {"sidekiq", Language::ruby, "sidekiq"}, // queue workers (issue 18)
    {"resque", Language::ruby, "resque"},
    {"django-admin", Language::python, "django"},
    {"celery", Language::python, ""},
    {"scrapy", Language::python, ""},
    {"gunicorn", Language::python, ""},
    {"dramatiq", Language::python, ""},
    {"rq", Language::python, ""},
    {"flask", Language::python, "flask"},
    {"pip", Language::python, ""},
    {"pip3", Language::python, ""},
    {"alembic", Language::python, ""},
    {"npm", Language::javascript, ""},
    {"npx", Language::javascript, ""},
    {"yarn", Language::javascript, ""},
    {"pnpm", Language::javascript, ""},
    {"pm2", Language::javascript, ""},
    {"mvn", Language::java, ""},
    {"gradle", Language::java, ""},
    {"gradlew", Language::java, ""},
}};

struct Extension {
  std::string_view suffix;
  Language language;
};

// clang-format off
constexpr std::array<Extension, 19> extensions = {{
    {".py", Language::python},
    {".php", Language::php},
    {".phar", Language::php},
    {".pl", Language::perl},
    {".pm", Language::perl},
    {".rb", Language::ruby},
    {".js", Language::javascript},
    {".mjs", Language::javascript},
    {".cjs", Language::javascript},
    {".ts", Language::javascript},
    {".sh", Language::shell},
    {".bash", Language::shell},
    {".ksh", Language::shell},
    {".zsh", Language::shell},
    {".csh", Language::shell},
    {".tcsh", Language::shell},
    {".dash", Language::shell},
    {".jar", Language::java},
    {".go", Language::go},
}};
// clang-format on

// Directories whose programs come from the distribution or a system-wide install.
bool in_system_dir(std::string_view program) {
  static constexpr std::array<std::string_view, 8> dirs = {
      "/bin/",           "/sbin/",           "/usr/bin/",  "/usr/sbin/",
      "/usr/local/bin/", "/usr/local/sbin/", "/snap/bin/", "/usr/libexec/"};
  const std::string_view dir = program.substr(0, program.size() - base_name(program).size());
  for (std::string_view d : dirs) {
    if (dir == d) {
      return true;
    }
  }
  return false;
}

std::optional<Runtime> as_tool(const Argv& argv, std::string_view name) {
  for (const Tool& tool : tools) {
    if (tool.name != name) {
      continue;
    }
    Runtime r;
    r.language = tool.language;
    r.evidence = name == "artisan"
                     ? "php artisan"
                     : std::string(language_name(tool.language)) + " tool " + std::string(name);
    r.target = argv[0];
    r.target_is_path = argv[0].find('/') != std::string::npos;
    if (!tool.framework.empty()) {
      r.framework = std::string(tool.framework);
    }
    r.subcommand = detail::task_words(argv, 1);
    return r;
  }
  return std::nullopt;
}

// Framework consoles run by path, with no interpreter word and no extension: Symfony's
// bin/console is a PHP script (`#!/usr/bin/env php`) in every project skeleton.
std::optional<Runtime> as_framework_console(const Argv& argv, std::string_view name) {
  if (name != "console" || !ends_with(argv[0], "bin/console")) {
    return std::nullopt;
  }
  Runtime r;
  r.language = Language::php;
  r.evidence = "Symfony bin/console";
  r.target = argv[0];
  r.target_is_path = true;
  detail::add_script_facts(r, argv, 0);
  return r;
}

std::optional<Runtime> by_extension(const Argv& argv, std::string_view name) {
  for (const Extension& e : extensions) {
    if (name.size() > e.suffix.size() && ends_with(name, e.suffix)) {
      Runtime r;
      r.language = e.language;
      r.evidence = "extension " + std::string(e.suffix);
      r.target = argv[0];
      r.target_is_path = argv[0].find('/') != std::string::npos;
      detail::add_script_facts(r, argv, 0);
      return r;
    }
  }
  return std::nullopt;
}

std::optional<std::string> first_url(const Argv& argv) {
  for (std::size_t i = 1; i < argv.size(); ++i) {
    if (starts_with(argv[i], "http://") || starts_with(argv[i], "https://")) {
      return argv[i];
    }
  }
  return std::nullopt;
}

// run-parts takes the directory last; -a/-u take a value.
std::optional<std::string> run_parts_dir(const Argv& argv) {
  std::optional<std::string> dir;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    if (argv[i] == "-a" || argv[i] == "-u" || argv[i] == "--arg" || argv[i] == "--umask") {
      ++i;
    } else if (!argv[i].empty() && argv[i][0] != '-') {
      dir = argv[i];
    }
  }
  return dir;
}

// Shell scripts that distributions ship outside the bin directories (sysstat, php, mdadm...):
// their names are specific enough to be known wherever the package puts them.
bool is_distribution_script(std::string_view name) {
  static constexpr std::array<std::string_view, 9> names = {
      "sa1",      "sa2",        "debian-sa1",       "sessionclean",      "raid-check",
      "0anacron", "checkarray", "e2scrub_all_cron", "popularity-contest"};
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<Runtime> as_utility(const Argv& argv, std::string_view name) {
  const bool bare = argv[0].find('/') == std::string::npos;
  const bool distribution_script = is_distribution_script(name);
  if (!distribution_script && (!is_known_utility(name) || !(bare || in_system_dir(argv[0])))) {
    return std::nullopt;
  }
  Runtime r;
  r.language = Language::shell;
  r.evidence = (distribution_script ? "distribution shell script " : "shell builtin/utility ") +
               std::string(name);
  r.target = argv[0];
  if (name == "curl" || name == "wget") {
    r.url = first_url(argv);
    if (r.url && r.url->find("wp-cron.php") != std::string::npos) {
      r.framework = "wordpress";
    }
  } else if (name == "run-parts") {
    r.run_parts_dir = run_parts_dir(argv);
  }
  return r;
}

Runtime opaque(const Argv& argv) {
  Runtime r;
  r.target = argv[0];
  const std::string& program = argv[0];
  if (starts_with(program, "$") || starts_with(program, "`")) {
    r.language = Language::unknown;
    r.evidence = "program chosen at run time";
    return r;
  }
  r.language = Language::binary;
  r.target_is_path = program.find('/') != std::string::npos;
  r.evidence = r.target_is_path ? "executable path" : "command on PATH";
  return r;
}

} // namespace

namespace detail {

std::optional<std::string> task_words(const Argv& argv, std::size_t from) {
  // Leading options are stepped over (`drush -r /var/www cron`, `wp --path=/x cron ...`);
  // a path right after an option without '=' is taken as that option's value.
  std::size_t i = from;
  while (i < argv.size() && !argv[i].empty() && argv[i][0] == '-') {
    const bool separate_value = argv[i].find('=') == std::string::npos && i + 1 < argv.size() &&
                                argv[i + 1].find('/') != std::string::npos;
    i += separate_value ? 2 : 1;
  }
  std::string words;
  int count = 0;
  for (; i < argv.size() && count < 3; ++i, ++count) {
    const std::string& w = argv[i];
    if (w.empty() || w[0] == '-' || w.find('=') != std::string::npos ||
        w.find('/') != std::string::npos) {
      break;
    }
    words += (count == 0 ? "" : " ") + w;
  }
  return count == 0 ? std::nullopt : std::optional<std::string>(words);
}

void add_script_facts(Runtime& r, const Argv& argv, std::size_t index) {
  const std::string& script = argv[index];
  const std::string_view name = base_name(script);
  auto set = [&](std::string_view framework) {
    r.framework = std::string(framework);
    r.subcommand = task_words(argv, index + 1);
  };
  if (name == "artisan") {
    set("laravel");
    r.language = Language::php;
    r.evidence = "php artisan";
  } else if (name == "manage.py") {
    set("django");
  } else if (name == "console" && ends_with(script, "bin/console")) {
    set("symfony");
  } else if (name == "occ") {
    set("nextcloud");
  } else if (name == "magento" && ends_with(script, "bin/magento")) {
    set("magento");
  } else if (name == "wp-cron.php" || name == "wp" || name == "wp-cli.phar") {
    set("wordpress");
  } else if (name == "rails" && index + 1 < argv.size() && argv[index + 1] == "runner") {
    set("rails");
  } else if (name == "yii") {
    set("yii");
  } else if (name == "drush") {
    set("drupal");
  }
}

} // namespace detail

Runtime classify_program(const std::vector<std::string>& argv,
                         const std::optional<std::string>& stdin_file) {
  if (argv.empty() || argv[0].empty()) {
    Runtime r;
    r.evidence = "no program";
    return r;
  }
  const std::string_view name = base_name(argv[0]);
  if (const auto kind = detail::interpreter_of(name); kind != detail::Interpreter::none) {
    return detail::classify_interpreter(kind, argv, stdin_file);
  }
  if (auto tool = as_tool(argv, name)) {
    return *tool;
  }
  if (auto console = as_framework_console(argv, name)) {
    return *console;
  }
  if (auto script = by_extension(argv, name)) {
    return *script;
  }
  if (auto utility = as_utility(argv, name)) {
    return *utility;
  }
  return opaque(argv);
}

} // namespace digger::command
