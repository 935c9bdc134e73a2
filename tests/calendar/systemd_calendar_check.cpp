// Every spec of a table is given to the real `systemd-analyze calendar` with TZ set to a zone
// and --base-time set: Digger's normalized form (or error message) must be systemd's, and
// its next elapses, iterated, must be the instants systemd prints.

#include "digger/timing/calendar_spec.hpp"
#include "digger/timing/next_runs.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace digger;
using std::chrono::sys_seconds;

constexpr int skipped = 77;

class Fd {
public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = -1;
  }

private:
  int fd_;
};

struct RunResult {
  int status = -1;
  std::string out; // stdout and stderr
};

// Runs argv (no shell) with the given TZ and returns its exit status and output.
RunResult run(const std::vector<std::string>& argv, const std::string& zone) {
  int fds[2];
  if (::pipe(fds) != 0) {
    return {};
  }
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);
  posix_spawn_file_actions_addclose(&actions, read_end.get());
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  std::string tz = "TZ=" + zone;
  std::string lang = "LC_ALL=C";
  std::string path = "PATH=/usr/bin:/bin:/usr/sbin:/sbin";
  std::string pager = "SYSTEMD_PAGER=cat";
  std::vector<char*> env = {tz.data(), lang.data(), path.data(), pager.data(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  write_end.reset();
  RunResult result;
  if (rc != 0) {
    return result;
  }
  char buffer[65536];
  ssize_t n = 0;
  while ((n = ::read(read_end.get(), buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) {
      result.out.append(buffer, static_cast<size_t>(n));
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

struct SystemdAnswer {
  std::string normalized; // or the error line
  std::vector<sys_seconds> elapses;
};

// "2024-10-27 00:30:00" (date::parse trips GCC's maybe-uninitialized under -O2).
sys_seconds parse_utc(const std::string& text) {
  int y = 0;
  unsigned mo = 0, d = 0;
  int h = 0, mi = 0, se = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u %d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6) {
    return sys_seconds{};
  }
  return date::sys_days{date::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{se};
}

SystemdAnswer ask_systemd(const std::string& spec, const std::string& zone, sys_seconds base,
                          int iterations) {
  const auto result =
      run({"systemd-analyze", "calendar", fmt::format("--iterations={}", iterations),
           fmt::format("--base-time=@{}", base.time_since_epoch().count()), spec},
          zone);
  SystemdAnswer answer;
  static const std::regex normalized(R"(Normalized form: (.*))");
  static const std::regex failed(R"((Failed to parse calendar specification .*))");
  // In a zone other than UTC each elapse is followed by an "(in UTC):" line.
  static const std::regex local(R"((?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+) UTC)");
  static const std::regex in_utc(R"(\(in UTC\): \w+ (\S+ \S+) UTC)");
  const bool utc_zone = zone == "UTC";
  std::istringstream lines(result.out);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, m, normalized) || std::regex_search(line, m, failed)) {
      answer.normalized = m[1];
    } else if (utc_zone ? std::regex_search(line, m, local) : std::regex_search(line, m, in_utc)) {
      answer.elapses.push_back(parse_utc(m[1]));
    }
  }
  return answer;
}

struct Case {
  std::string spec;
  int iterations = 6;
};

const std::vector<Case> valid_specs = {
    {"daily"},
    {"hourly"},
    {"minutely", 3},
    {"weekly"},
    {"monthly"},
    {"yearly"},
    {"annually"},
    {"quarterly"},
    {"semiannually"},
    {"Mon..Fri *-*-* 02:30"},
    {"Sat,Sun 10:00"},
    {"mon,wed,FRIDAY 23:59:59"},
    {"Mon-Wed,Sat, 12:00"},
    {"*-*-* 02:30:00"},
    {"*-*-* 01:30"},
    {"*-*-* 03:00"},
    {"*-*-* 02:00..59/10"},
    {"*-*~01"},
    {"*-02~03"},
    {"*-*~07/2 12:00"},
    {"*-*~1..3 06:00"},
    {"*:0/15"},
    {"*:*:0/20", 8},
    {"*-*-1,15 4:5"},
    {"2025-*-* 00:00"},
    {"*-1..3,10-01 00:00"},
    {"Mon *-*-1..7 12:00"},
    {"*-*-* 2:30 Europe/Paris"},
    {"daily UTC"},
    {"*-*-* 12:00 America/New_York"},
    {"Fri *-*-13"},
    {"*-02-29 00:00"},
    {"*-*-* *:*:*", 5},
    {"0/6:00"},
    {"*-*-* 8..18/2:00"},
    {"12:00"},
    {"Wed..Sat,Tue 12-10-15 1:2:3"},
    {"*-*-* 00:00:00.5", 1},
    {"*-*-* 10:20:30.1234567", 1},
    {"@1800000000"},
    {"Sun *-10-25..31 02:30"},
    {"*-10-27 02:*"},
    {"*-03-31 02:30"},
    {"*-11-03 01:30"},
    {"*-03-10 02:15"},
    {"*:30"},
    {"*-*-* 1,2,3:00,30"},
    {"2030..2032-2-29"},
    {"*-*-31 00:00"},
    {"*-*-* 00:00"},
    {"*-*-* 00:30"},
    {"*-*-* 0:*:0/30", 8},
    {"Sun *-*-* 01:59:59"},
    {"*-*~03/2 00:00"},
    {"*-09-08 *:00"},
    {"*-04-07 01:*:00"},
};

const std::vector<std::string> invalid_specs = {
    "bogus",       "*-*-* 25:00",     "Mon..",         "*-*-32",     "*-*~29",
    "Mon-Sun-Fri", "*:*:61",          "*-*-* 1:2:3:4", "",           "12",
    "*-*-0/0",     "99999999999-*-*", "Mon,,Tue",      "daily  UTC", "*-*-* 1:2 Nowhere/Zone",
};

// Paris and New York: DST at 02:00 local; Santiago: at midnight (the day starts at 01:00);
// Lord Howe: a 30-minute shift.
const std::vector<std::string> zones = {"UTC", "Europe/Paris", "America/New_York",
                                        "America/Santiago", "Australia/Lord_Howe"};

std::vector<sys_seconds> bases() {
  using date::sys_days;
  using std::chrono::hours;
  return {sys_days{date::year{2024} / 3 / 30} + hours{12},
          sys_days{date::year{2024} / 10 / 26} + hours{12},
          sys_days{date::year{2024} / 3 / 9} + hours{12},
          sys_days{date::year{2024} / 11 / 2} + hours{12},
          sys_days{date::year{2024} / 2 / 28} + hours{23},
          sys_days{date::year{2024} / 9 / 6},
          sys_days{date::year{2024} / 4 / 5}};
}

std::string show(const std::vector<sys_seconds>& times) {
  std::string out;
  for (const auto& t : times) {
    out += date::format(" %F %T", t);
  }
  return out.empty() ? " (none)" : out;
}

std::size_t compared_elapses = 0;

int check_valid(const Case& c, const std::string& zone_name, sys_seconds base) {
  const auto expected = ask_systemd(c.spec, zone_name, base, c.iterations);
  compared_elapses += expected.elapses.size();
  const auto parsed = timing::parse_calendar_spec(c.spec);
  if (!parsed) {
    fmt::print("FAIL '{}': Digger rejects it ({}), systemd says '{}'\n", c.spec, parsed.error(),
               expected.normalized);
    return 1;
  }
  int failures = 0;
  const auto normalized = timing::normalized_calendar_spec(*parsed);
  if (normalized != expected.normalized) {
    fmt::print("FAIL '{}': normalized '{}', systemd '{}'\n", c.spec, normalized,
               expected.normalized);
    ++failures;
  }
  const auto zone = timing::find_time_zone(zone_name);
  std::vector<sys_seconds> ours;
  sys_seconds t = base;
  for (int i = 0; i < c.iterations; ++i) {
    const auto next = timing::next_calendar_elapse(*parsed, t, *zone);
    if (!next) {
      break;
    }
    ours.push_back(*next);
    t = *next;
  }
  if (ours != expected.elapses) {
    fmt::print("FAIL '{}' TZ={} base {}:\n  digger: {}\n  systemd:{}\n", c.spec, zone_name,
               date::format("%F %T", base), show(ours), show(expected.elapses));
    ++failures;
  }
  return failures;
}

int check_invalid(const std::string& spec) {
  const auto expected = ask_systemd(spec, "UTC", bases()[0], 1);
  const auto parsed = timing::parse_calendar_spec(spec);
  if (parsed) {
    fmt::print("FAIL '{}': Digger accepts it as '{}', systemd says '{}'\n", spec,
               timing::normalized_calendar_spec(*parsed), expected.normalized);
    return 1;
  }
  if (parsed.error() != expected.normalized) {
    fmt::print("FAIL '{}': Digger says '{}', systemd '{}'\n", spec, parsed.error(),
               expected.normalized);
    return 1;
  }
  return 0;
}

} // namespace

int main() {
  if (run({"systemd-analyze", "--version"}, "UTC").status != 0) {
    fmt::print("systemd-analyze is not installed: skipped\n");
    return skipped;
  }
  int failures = 0;
  int checks = 0;
  for (const auto& c : valid_specs) {
    for (const auto& zone : zones) {
      for (const auto base : bases()) {
        failures += check_valid(c, zone, base);
        ++checks;
      }
    }
  }
  for (const auto& spec : invalid_specs) {
    failures += check_invalid(spec);
    ++checks;
  }
  fmt::print("{} checks, {} elapses compared, {} failures\n", checks, compared_elapses, failures);
  // Guard against a systemd-analyze whose output no longer parses: then nothing is compared.
  const bool compared_enough = compared_elapses > 1000;
  if (!compared_enough) {
    fmt::print("FAIL: too few elapses read from systemd-analyze\n");
  }
  return failures == 0 && compared_enough ? 0 : 1;
}
