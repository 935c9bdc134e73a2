// Every OnCalendar= line the migration writes for a battery of cron schedules is given to the
// real `systemd-analyze calendar`: it must parse, and its next elapses from 2028-01-01 must be
// the minutes at which cron fires (evaluated here from the parsed bitsets, in UTC).

#include "digger/crontab/schedule.hpp"
#include "digger/migrate/expressions.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <set>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

using namespace digger;
using Minute = date::sys_time<std::chrono::minutes>;

constexpr int skipped = 77;
constexpr size_t max_iterations = 10000;

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
  std::string out;
};

// Runs argv (no shell) with TZ=UTC and returns its exit status and stdout.
RunResult run(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe(fds) != 0) {
    return {};
  }
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
  posix_spawn_file_actions_addclose(&actions, read_end.get());
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  std::string tz = "TZ=UTC";
  std::string lang = "LC_ALL=C";
  std::vector<char*> env = {tz.data(), lang.data(), nullptr};
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

bool have_systemd_analyze() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = dirs.substr(start, end - start) + "/systemd-analyze";
    if (::access(candidate.c_str(), X_OK) == 0) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

// cron-semantics.md §4, on the parsed bitsets.
bool cron_fires(const crontab::Schedule& s, Minute t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const unsigned wd = date::weekday{day}.c_encoding();
  const date::hh_mm_ss hms{t - day};
  const bool dom = s.days_of_month.test(static_cast<unsigned>(ymd.day()));
  const bool dow = s.days_of_week.test(wd) || (wd == 0 && s.days_of_week.test(7));
  const bool days = (s.dom_star || s.dow_star) ? (dom && dow) : (dom || dow);
  return s.minutes.test(static_cast<size_t>(hms.minutes().count())) &&
         s.hours.test(static_cast<size_t>(hms.hours().count())) &&
         s.months.test(static_cast<unsigned>(ymd.month())) && days;
}

const Minute year_start{date::sys_days{date::year{2028} / 1 / 1}};
const Minute year_end{date::sys_days{date::year{2029} / 1 / 1}};

std::vector<Minute> cron_times(const crontab::Schedule& s) {
  std::vector<Minute> out;
  for (Minute t = year_start; t < year_end; t += std::chrono::minutes(1)) {
    if (cron_fires(s, t)) {
      out.push_back(t);
    }
  }
  return out;
}

// "Next elapse: Sat 2028-01-01 00:00:00 UTC" and "Iter. #2: ..." lines.
std::optional<std::vector<Minute>> systemd_times(const std::string& calendar, size_t iterations) {
  const auto result = run({"systemd-analyze", "calendar", "--base-time=2027-12-31 23:59:59 UTC",
                           fmt::format("--iterations={}", iterations), calendar});
  if (result.status != 0) {
    return std::nullopt;
  }
  static const std::regex elapse(
      R"((?:Next elapse|Iter\. #\d+): \w{3} (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC)");
  std::vector<Minute> out;
  for (std::sregex_iterator it(result.out.begin(), result.out.end(), elapse), end; it != end;
       ++it) {
    const auto& m = *it;
    const date::year_month_day ymd{date::year{std::stoi(m[1])},
                                   date::month{static_cast<unsigned>(std::stoi(m[2]))},
                                   date::day{static_cast<unsigned>(std::stoi(m[3]))}};
    out.push_back(Minute{date::sys_days{ymd}} + std::chrono::hours(std::stoi(m[4])) +
                  std::chrono::minutes(std::stoi(m[5])));
  }
  return out;
}

std::string show(Minute t) {
  return date::format("%F %R", t);
}

const std::vector<const char*> battery = {
    "* * * * *",
    "*/7 * * * *",
    "*/60 * * * *",
    "*/35 */5 * * *",
    "0-30/10 5-20/5 * * *",
    "5-59/20 */3 * * *",
    "23 0-23/2 * * *",
    "0 12 15 * 1",
    "0 4 15-21 * 1",
    "30 1,8 * * 0,1,4,5,6",
    "0 0 * * 7",
    "0 0 * * 0-7",
    "0 0 1-31 * 1",
    "0 0 */2 * *",
    "0 0 */2 * sun",
    "0 0 * * */2",
    "0 0 1,15 * */2",
    "* * */10 * Sun",
    "0 0 5-2 * 1",
    "0 0 29 2 *",
    "0 0 * jan-mar/2 fri-sun",
    "15 3 1-7 * mon",
    "0 9 * jan,jul mon-fri",
    "1 2 3 4 5",
    "0 */5 */3 */2 *",
    "0 0 2-30/7 * *",
    "0 0 1,8,15,22,29 * 1-5",
    "0 22 * * 1-5",
    "0 0 * * 6,0",
    "@yearly",
    "@monthly",
    "@weekly",
    "@daily",
    "@hourly",
    "0 0 1-7 * */3",
    "59 23 31 12 *",
    "0 0 31 * *",
    "*/5 * * * *",
};

// Returns the number of failures for one cron schedule.
int check(const char* text) {
  auto parsed = crontab::parse_schedule(text);
  if (!parsed) {
    fmt::print("{}: does not parse ({})\n", text, parsed.error());
    return 1;
  }
  const crontab::Schedule& s = parsed.value();
  if (auto problem = migrate::schedule_problem(s, migrate::target_named("systemd"))) {
    fmt::print("skip {}: {}\n", text, problem->feature);
    return 0;
  }
  const auto expected = cron_times(s);
  const size_t wanted = std::min(expected.size(), max_iterations);
  std::set<Minute> union_times;
  for (const auto& calendar : migrate::systemd_calendars(s, "UTC")) {
    auto times = systemd_times(calendar, wanted + 1);
    if (!times) {
      fmt::print("FAIL {}: systemd-analyze rejects '{}'\n", text, calendar);
      return 1;
    }
    union_times.insert(times->begin(), times->end());
  }
  std::vector<Minute> got(union_times.begin(), union_times.end());
  got.erase(std::remove_if(got.begin(), got.end(), [](Minute t) { return t >= year_end; }),
            got.end());
  if (expected.size() <= max_iterations && got.size() != expected.size()) {
    fmt::print("FAIL {}: cron fires {} times in 2028, systemd {}\n", text, expected.size(),
               got.size());
    return 1;
  }
  for (size_t i = 0; i < wanted; ++i) {
    if (i >= got.size() || got[i] != expected[i]) {
      fmt::print("FAIL {}: elapse #{} is {} under systemd, {} under cron\n", text, i + 1,
                 i < got.size() ? show(got[i]) : std::string("missing"), show(expected[i]));
      return 1;
    }
  }
  // The zone suffix written for CRON_TZ jobs must parse as well.
  for (const auto& calendar : migrate::systemd_calendars(s, "America/New_York")) {
    if (run({"systemd-analyze", "calendar", calendar}).status != 0) {
      fmt::print("FAIL {}: systemd-analyze rejects '{}'\n", text, calendar);
      return 1;
    }
  }
  fmt::print("ok   {} -> {} ({} elapses compared)\n", text,
             fmt::join(migrate::systemd_calendars(s, "UTC"), " | "), wanted);
  return 0;
}

} // namespace

int main() {
  if (!have_systemd_analyze()) {
    fmt::print("SKIPPED: systemd-analyze is not installed; the OnCalendar= lines were not "
               "checked\n");
    return skipped;
  }
  int failures = 0;
  for (const char* text : battery) {
    failures += check(text);
  }
  fmt::print("{} failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
