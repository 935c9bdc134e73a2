// How often the language of a job is known from its line alone (issue 18, item 5): every job
// line of the crontab files given (a path under a "system" directory is read as a system
// crontab), and every line of the files given with --commands (one command per line, e.g.
// the lab fleet's jobs), through command::analyze_command. Prints the jobs per language and
// the share left "unknown" or "binary" (an opaque program: only an inspection tells more).
// Usage: bench_language_coverage [--commands FILE]... [CRONTAB]...

#include "digger/command/command.hpp"
#include "digger/crontab/crontab.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Tally {
  std::map<std::string, int> by_language;
  int jobs = 0;
  void add(std::string_view command) {
    ++jobs;
    ++by_language[std::string(digger::command::analyze_command(command).language_name())];
  }
};

void add_crontab(Tally& tally, const std::string& path) {
  digger::crontab::ParseOptions options;
  if (path.find("/system/") != std::string::npos) {
    options.flavor = digger::crontab::CrontabFlavor::system;
  }
  for (const auto& line : digger::crontab::parse_crontab(slurp(path), options).lines) {
    if (line.job) {
      tally.add(line.job->command);
    }
  }
}

void add_commands(Tally& tally, const std::string& path) {
  std::istringstream in(slurp(path));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      tally.add(line);
    }
  }
}

} // namespace

int main(int argc, char** argv) {
  Tally tally;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--commands" && i + 1 < argc) {
      add_commands(tally, argv[++i]);
    } else {
      add_crontab(tally, arg);
    }
  }
  for (const auto& [language, count] : tally.by_language) {
    fmt::print("{:<12} {:>7}\n", language, count);
  }
  auto share = [&](const char* language) {
    const auto it = tally.by_language.find(language);
    const int count = it == tally.by_language.end() ? 0 : it->second;
    return tally.jobs == 0 ? 0.0 : 100.0 * count / tally.jobs;
  };
  fmt::print("jobs {}: unknown {:.1f} %, binary {:.1f} %, either {:.1f} %\n", tally.jobs,
             share("unknown"), share("binary"), share("unknown") + share("binary"));
  return 0;
}
