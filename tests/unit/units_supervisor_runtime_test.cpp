// supervisord at run time: its log lines (formats of supervisor/loggers.py and process.py, 4.x)
// and its command line (options.py's getopt). docs/workers.md, "Crash loops" and "A custom
// configuration".
#include "digger/units/supervisor_command_line.hpp"
#include "digger/units/supervisor_config.hpp"
#include "digger/units/supervisor_log.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace digger::units;

namespace {

// Lines as supervisord 4.2 writes them (process.py's messages, loggers.py's format).
constexpr std::string_view crash_log =
    "2024-01-01 10:00:00,101 INFO spawned: 'laravel-worker_00' with pid 4242\n"
    "2024-01-01 10:00:00,512 WARN exited: laravel-worker_00 (exit status 1; not expected)\n"
    "2024-01-01 10:00:01,530 INFO spawned: 'laravel-worker_00' with pid 4243\n"
    "2024-01-01 10:00:01,901 WARN exited: laravel-worker_00 (exit status 255; not expected)\n"
    "2024-01-01 10:00:03,920 INFO spawned: 'laravel-worker_01' with pid 4250\n"
    "2024-01-01 10:00:04,111 WARN exited: laravel-worker_01 (terminated by SIGSEGV (core "
    "dumped); not expected)\n"
    "2024-01-01 10:00:04,200 INFO gave up: laravel-worker_00 entered FATAL state, too many "
    "start retries too quickly\n"
    "Traceback (most recent call last):\n"
    "2024-01-01 10:00:05,000 INFO success: loop entered RUNNING state, process has stayed up "
    "for > than 1 seconds (startsecs)\n"
    "2024-01-01 10:00:06,000 INFO exited: loop (exit status 0; expected)\n"
    "2024-01-01 10:00:07,000 WARN stopped: loop (terminated by SIGTERM)\n";

const SupervisorProcessLog* process(const SupervisorLog& log, std::string_view name) {
  for (const auto& p : log.processes) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

SupervisordCommandLine line(std::vector<std::string> argv) {
  return parse_supervisord_command_line(argv);
}

} // namespace

TEST_CASE("supervisord log: unexpected exits and FATAL per process name") {
  const auto log = read_supervisor_log(crash_log, false);
  CHECK(log.lines == 10);
  CHECK(log.first_time == "2024-01-01 10:00:00");
  CHECK(log.last_time == "2024-01-01 10:00:07");
  const auto* w0 = process(log, "laravel-worker_00");
  REQUIRE(w0 != nullptr);
  CHECK(w0->unexpected_exits == 2);
  CHECK(w0->gave_up == 1);
  CHECK(w0->last_exit == "2024-01-01 10:00:01");
  CHECK(w0->last_gave_up == "2024-01-01 10:00:04");
  const auto* w1 = process(log, "laravel-worker_01"); // " (core dumped)" inside the detail
  REQUIRE(w1 != nullptr);
  CHECK(w1->unexpected_exits == 1);
  CHECK(process(log, "loop") == nullptr); // expected exits and stops are no crashes
}

TEST_CASE("supervisord log: a program sums its processes; group:name counts for name") {
  const auto log = read_supervisor_log(
      std::string(crash_log) +
          "2024-01-02 00:00:00,000 WARN exited: workers:laravel-worker_01 (exit status 2; not "
          "expected)\n",
      false);
  const std::vector<std::string> names{"laravel-worker_00", "laravel-worker_01"};
  const auto crashes = supervisor_crashes(log, names);
  CHECK(crashes.unexpected_exits == 4);
  CHECK(crashes.gave_up == 1);
  CHECK(crashes.last_exit == "2024-01-02 00:00:00");
  CHECK(crashes.last_gave_up == "2024-01-01 10:00:04");
  CHECK(is_crash_loop(crashes));
  const std::vector<std::string> other{"loop"};
  CHECK_FALSE(is_crash_loop(supervisor_crashes(log, other)));
  CHECK(is_crash_loop({3, 0, "t", ""}));
  CHECK_FALSE(is_crash_loop({2, 0, "t", ""}));
  CHECK(is_crash_loop({0, 1, "", "t"}));
}

TEST_CASE("supervisord log: a tail's cut first line, CRLF, garbage and hostile names") {
  // The tail starts inside a line that would otherwise count.
  auto log = read_supervisor_log("0 WARN exited: a (exit status 1; not expected)\n"
                                 "2024-01-01 10:00:00,000 WARN exited: b (exit status 1; not "
                                 "expected)\r\n",
                                 true);
  CHECK(process(log, "a") == nullptr);
  REQUIRE(process(log, "b") != nullptr);
  log = read_supervisor_log("2024-01-01 10:00:00,000 WARN exited: a b (exit status 1; not "
                            "expected)\n" // a blank in the name
                            "2024-01-01 10:00:00,000 WARN exited:  (x; not expected)\n" // empty
                            "2024-13-01 1x:00:00,000 WARN exited: c (x; not expected)\n"
                            "2024-01-01 10:00:00,000 warn exited: d (x; not expected)\n"
                            "2024-01-01 10:00:00,000 WARN exited: e (x; expected)\n" +
                                std::string(300, 'n') + "\n",
                            false);
  CHECK(log.processes.empty());
  const std::string long_name(max_log_name_bytes + 1, 'x');
  log = read_supervisor_log("2024-01-01 10:00:00,000 WARN exited: " + long_name +
                                " (exit status 1; not expected)\n",
                            false);
  CHECK(log.processes.empty());
  CHECK(read_supervisor_log("", false).lines == 0);
}

TEST_CASE("supervisord log: distinct names are bounded") {
  std::string text;
  for (std::size_t i = 0; i < max_log_processes + 5; ++i) {
    text += "2024-01-01 10:00:00,000 WARN exited: p" + std::to_string(i) +
            " (exit status 1; not expected)\n";
  }
  const auto log = read_supervisor_log(text, false);
  CHECK(log.processes.size() == max_log_processes);
  CHECK(log.names_over_bound);
}

TEST_CASE("supervisord command line: -c as options.py's getopt reads it") {
  CHECK(line({"/usr/bin/supervisord", "-c", "/srv/a.conf"}).config == "/srv/a.conf");
  CHECK(line({"/usr/bin/python3", "/usr/bin/supervisord", "-n", "-c", "/etc/s.conf"}).config ==
        "/etc/s.conf");
  CHECK(line({"supervisord", "-c/srv/b.conf"}).config == "/srv/b.conf");
  CHECK(line({"supervisord", "-nc", "/srv/c.conf"}).config == "/srv/c.conf");
  CHECK(line({"supervisord", "-nc/srv/d.conf"}).config == "/srv/d.conf");
  CHECK(line({"supervisord", "--configuration", "/srv/e.conf"}).config == "/srv/e.conf");
  CHECK(line({"supervisord", "--configuration=/srv/f.conf"}).config == "/srv/f.conf");
  CHECK(line({"supervisord", "--conf=/srv/g.conf"}).config == "/srv/g.conf"); // unique prefix
  CHECK(line({"supervisord", "-u", "-c", "-c", "/srv/h.conf"}).config == "/srv/h.conf");
  CHECK(line({"supervisord", "-l", "/var/log/x", "--", "-c", "/x"}).error ==
        "positional arguments are not supported");
  const auto plain = line({"/usr/bin/supervisord", "-n"});
  CHECK(plain.is_supervisord);
  CHECK(plain.config.empty());
  CHECK(plain.error.empty());
}

TEST_CASE("supervisord command line: what supervisord refuses gives no configuration") {
  const auto twice = line({"supervisord", "-c", "/a", "--configuration", "/b"});
  CHECK(twice.config.empty());
  CHECK(twice.error == "conflicting command line option '--configuration'");
  CHECK(line({"supervisord", "--c=/a"}).error == "option --c not a unique prefix"); // childlogdir
  CHECK(line({"supervisord", "-x", "-c", "/a"}).config.empty());
  CHECK(line({"supervisord", "-c"}).error == "option -c requires argument");
  CHECK(line({"supervisord", "--nodaemon=1", "-c", "/a"}).config.empty());
  CHECK(line({"supervisord", "-c", "/a", "extra"}).config.empty());
  // argv[1] named supervisord counts (an interpreter running it): who may read the file is the
  // collector's rule (the process's own rights), not this.
  CHECK(line({"/bin/sh", "/tmp/x/supervisord", "-c", "/a"}).config == "/a");
  // Not supervisord at all: a lookalike argument elsewhere.
  CHECK_FALSE(line({"/bin/grep", "-F", "supervisord"}).is_supervisord);
  CHECK_FALSE(line({}).is_supervisord);
  CHECK_FALSE(line({"supervisorctl", "-c", "/a"}).is_supervisord);
}

TEST_CASE("supervisord's logfile=: expanded and normalised when absolute, else not known") {
  auto logfile = [](std::string text) {
    const SupervisorFile main{"/srv/app/supervisord.conf", text};
    return read_supervisor_config(main, std::span(&main, 1), "").logfile;
  };
  CHECK(logfile("[supervisord]\nlogfile=%(here)s/logs/../supervisord.log ; here\n") ==
        "/srv/app/supervisord.log");
  CHECK(logfile("[supervisord]\nlogfile=/var/log/supervisor/supervisord.log\n") ==
        "/var/log/supervisor/supervisord.log");
  CHECK(logfile("[supervisord]\n").empty()); // supervisord.log in its working directory
  CHECK(logfile("[supervisord]\nlogfile=supervisord.log\n").empty());
  CHECK(logfile("[supervisord]\nlogfile=syslog\n").empty());
}
