#include "digger/command/option_scan.hpp"
#include "digger/command/wrappers.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace digger::command;

namespace {

using Words = std::vector<std::string>;

Invocation peel(Words argv) {
  return unwrap(std::move(argv));
}

} // namespace

TEST_CASE("the option scanner steps over options like getopt", "[cron][wrappers]") {
  const Words args = {"prog",       "-xn",     "-w", "10",   "-ufoo",
                      "--user=bar", "--group", "g",  "file", "-n"};
  OptionScanner scanner(args, 1, {"wu", "", {"group"}});
  std::vector<std::string> seen;
  while (auto o = scanner.next()) {
    seen.push_back(o->name + "=" + o->value);
  }
  CHECK(seen == Words{"x=", "n=", "w=10", "u=foo", "user=bar", "group=g"});
  CHECK(scanner.position() == 8); // stops at "file": later options belong to the program

  const Words dashdash = {"prog", "-a", "--", "-b"};
  OptionScanner end(dashdash, 1, {});
  while (end.next()) {
  }
  CHECK(end.position() == 3);

  const Words attached = {"perl", "-MPOSIX", "-Ilib", "x.pl"};
  OptionScanner perl(attached, 1, {"I", "M", {}});
  while (perl.next()) {
  }
  CHECK(perl.position() == 3);
}

TEST_CASE("wrappers are peeled in order", "[cron][wrappers]") {
  const Invocation inv = peel({"nice", "-n", "10", "ionice", "-c", "3", "timeout", "-k", "5", "1h",
                               "chronic", "/opt/job", "--x"});
  CHECK(inv.wrappers == Words{"nice", "ionice", "timeout", "chronic"});
  CHECK(inv.argv == Words{"/opt/job", "--x"});

  CHECK(peel({"/usr/bin/env", "-i", "A=1", "B=2", "python3", "x.py"}).argv ==
        Words{"python3", "x.py"});
  CHECK(peel({"env", "-S", "python3 -u", "x.py"}).argv == Words{"python3", "-u", "x.py"});
  CHECK(peel({"stdbuf", "-oL", "-e", "0", "/opt/a"}).argv == Words{"/opt/a"});
  CHECK(peel({"/usr/bin/time", "-f", "%e", "/opt/a"}).argv == Words{"/opt/a"});
  CHECK(peel({"exec", "-a", "name", "/opt/a"}).argv == Words{"/opt/a"});
  CHECK(peel({"busybox", "find", "/tmp"}).argv == Words{"find", "/tmp"});
  CHECK(peel({"chrt", "-i", "0", "/opt/a"}).argv == Words{"/opt/a"});
  CHECK(peel({"taskset", "-c", "0-3", "/opt/a"}).argv == Words{"/opt/a"});
}

TEST_CASE("programs that only look like wrappers are left alone", "[cron][wrappers]") {
  CHECK(peel({"env"}).argv == Words{"env"});
  CHECK(peel({"ionice", "-c", "3", "-p", "1234"}).argv.front() == "ionice");
  CHECK(peel({"sudo", "-l"}).argv.front() == "sudo");
  CHECK(peel({"su", "postgres"}).argv.front() == "su"); // no -c: an interactive shell
  CHECK(peel({"command", "-v", "x"}).argv.front() == "command");
  CHECK(peel({"bash", "/opt/x.sh"}).argv == Words{"bash", "/opt/x.sh"});
  CHECK(peel({"docker", "ps"}).argv.front() == "docker");
  CHECK(peel({"bundle", "install"}).argv.front() == "bundle");
}

TEST_CASE("flock forms", "[cron][wrappers]") {
  const Invocation plain = peel({"flock", "/tmp/l", "/opt/a"});
  CHECK(plain.argv == Words{"/opt/a"});
  CHECK(plain.lock_file == "/tmp/l");
  CHECK_FALSE(plain.nonblocking_lock);

  const Invocation shell = peel({"flock", "-n", "/tmp/l", "-c", "cd /x && ./a"});
  CHECK(shell.shell_script == "cd /x && ./a");
  CHECK(shell.nonblocking_lock);
  CHECK(shell.argv.empty());

  const Invocation fd = peel({"flock", "-xn", "9"});
  CHECK(fd.lock_only);
  CHECK(fd.nonblocking_lock);
  CHECK(peel({"flock", "-E", "0", "-w", "5", "/tmp/l", "/opt/a"}).argv == Words{"/opt/a"});
}

TEST_CASE("user switches", "[cron][wrappers]") {
  const Invocation sudo = peel({"sudo", "-n", "-E", "-H", "-u", "app", "LANG=C", "/opt/a"});
  CHECK(sudo.run_as == "app");
  CHECK(sudo.argv == Words{"/opt/a"});
  CHECK(peel({"sudo", "--user=web", "/opt/a"}).run_as == "web");

  for (const Words& su :
       {Words{"su", "-", "app", "-c", "/opt/a"}, Words{"su", "-c", "/opt/a", "app"},
        Words{"su", "-l", "app", "--command=/opt/a"},
        Words{"su", "-s", "/bin/sh", "app", "-c", "/opt/a"}, Words{"su", "app", "-lc", "/opt/a"}}) {
    CAPTURE(su);
    const Invocation inv = peel(su);
    CHECK(inv.run_as == "app");
    CHECK(inv.shell_script == "/opt/a");
  }
  const Invocation runuser = peel({"runuser", "-u", "app", "--", "/opt/a", "-x"});
  CHECK(runuser.run_as == "app");
  CHECK(runuser.argv == Words{"/opt/a", "-x"});
  CHECK(peel({"runuser", "-l", "app", "-c", "/opt/a"}).shell_script == "/opt/a");
}

TEST_CASE("shell -c strings are handed back for analysis", "[cron][wrappers]") {
  for (const Words& sh :
       {Words{"sh", "-c", "x"}, Words{"/bin/bash", "-lc", "x"}, Words{"bash", "-l", "-c", "x"},
        Words{"bash", "-o", "pipefail", "-ec", "x"},
        Words{"bash", "--login", "-c", "x", "argv0"}}) {
    CAPTURE(sh);
    CHECK(peel(sh).shell_script == "x");
  }
  CHECK(peel({"bash", "-c"}).shell_script == "");
  CHECK(peel({"eval", "cd", "/x", "&&", "./a"}).shell_script == "cd /x && ./a");
  CHECK(peel({"bash", "-c", "x"}).wrappers == Words{"bash -c"});
}

TEST_CASE("containers", "[cron][wrappers]") {
  const Invocation exec =
      peel({"docker", "exec", "-it", "-u", "www-data", "-e", "A=1", "web", "php", "x"});
  CHECK(exec.container == "web");
  CHECK(exec.argv == Words{"php", "x"});
  CHECK(peel({"docker-compose", "-f", "c.yml", "exec", "-T", "app", "php", "x"}).argv ==
        Words{"php", "x"});
  const Invocation kube =
      peel({"kubectl", "exec", "-n", "jobs", "pod/x", "-c", "main", "--", "rake", "t"});
  CHECK(kube.container == "pod/x");
  CHECK(kube.argv == Words{"rake", "t"});
}

TEST_CASE("wrapper peeling is bounded", "[cron][wrappers]") {
  Words argv(10000, "nice");
  argv.push_back("/opt/a");
  const Invocation inv = peel(argv);
  CHECK(inv.wrappers.size() <= 32);
  CHECK_FALSE(inv.argv.empty());
}
