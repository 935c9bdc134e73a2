// sudo with a password: the command line (prompt, never the password), the statuses from
// sudo's messages, and where the password may come from.
#include "digger/cli/sudo_password.hpp"
#include "digger/collect/host_status.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace digger;

TEST_CASE("sudo -S with the scan's prompt, or sudo -n without a password", "[collect][sudo]") {
  collect::CollectorLimits limits;
  std::string prompt = "digger-sudo-0123abcd:";
  std::string with =
      collect::collector_command(true, limits, collect::ScriptMode::automatic, prompt);
  CHECK(with.starts_with("exec env LC_ALL=C sudo -S -p 'digger-sudo-0123abcd:' sh -c '"));
  CHECK(collect::collector_command(true, limits).starts_with("exec sudo -n sh -c '"));
  CHECK(collect::collector_command(false, limits, collect::ScriptMode::automatic, prompt)
            .starts_with("exec sh -c '"));
  collect::HandOver hand_over{"@@m@@", "true", 4, 4096};
  CHECK(collect::collector_command(true, limits, collect::ScriptMode::automatic, hand_over, prompt)
            .starts_with("exec env LC_ALL=C sudo -S -p 'digger-sudo-0123abcd:' sh -c '"));
  // '%' is an escape in sudo's prompt, quotes would end the argument.
  CHECK_THROWS_AS(collect::collector_command(true, limits, collect::ScriptMode::automatic, "a%p"),
                  std::invalid_argument);
  CHECK_THROWS_AS(collect::collector_command(true, limits, collect::ScriptMode::automatic, "a'b"),
                  std::invalid_argument);
}

TEST_CASE("sudo's messages give precise statuses", "[collect][sudo]") {
  collect::Decoded none;
  auto reason = [&](std::string_view err) {
    auto verdict = collect::judge_collection(none, err, false);
    CHECK(verdict.status == "permission-denied");
    return verdict.reason;
  };
  CHECK(reason("digger-sudo-1:Sorry, try again.\ndigger-sudo-1:\nsudo: no password was "
               "provided\nsudo: 1 incorrect password attempt\n") == "sudo: wrong password");
  CHECK(reason("sudo: 1 incorrect password attempt\n") == "sudo: wrong password");
  CHECK(reason("sudo: sorry, you must have a tty to run sudo\n") ==
        "sudo requires a tty (Defaults requiretty on the host)");
  CHECK(reason("sudo: a password is required\n").starts_with("sudo requires a password"));
  CHECK(reason("dg is not in the sudoers file.  This incident will be reported.\nsudo\n")
            .starts_with("sudo: the login may not run the collector as root"));
  CHECK(reason("sh: 1: exec: sudo: not found\n") == "sudo is not installed");
  CHECK(reason("sudo: something else\n") == "sudo refused: sudo: something else");
}

namespace {

std::string write_file(const std::string& text, mode_t mode) {
  char path[] = "/tmp/digger-sudo-pw-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(path, std::ios::trunc) << text;
  ::chmod(path, mode);
  return path;
}

} // namespace

TEST_CASE("the sudo password file must be private", "[cli][sudo]") {
  std::string good = write_file("pa ss\nsecond line\n", 0600);
  auto read = cli::sudo_password_from_file(good);
  REQUIRE(read.ok());
  CHECK(read->get() == "pa ss");
  std::string open_to_all = write_file("secret-value\n", 0644);
  auto refused = cli::sudo_password_from_file(open_to_all);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find(open_to_all) == 0);
  CHECK(refused.error().find("chmod 600") != std::string::npos);
  CHECK(refused.error().find("secret-value") == std::string::npos);
  CHECK(refused.error().find('\n') == std::string::npos);
  std::string empty = write_file("\n", 0600);
  CHECK_FALSE(cli::sudo_password_from_file(empty).ok());
  CHECK_FALSE(cli::sudo_password_from_file("/nonexistent/digger-pw").ok());
  for (const auto& path : {good, open_to_all, empty}) {
    ::unlink(path.c_str());
  }
}

TEST_CASE("the sudo password variable is read once and removed", "[cli][sudo]") {
  ::setenv("DIGGER_TEST_SUDO_PW", "from-env", 1);
  auto read = cli::sudo_password_from_env("DIGGER_TEST_SUDO_PW");
  REQUIRE(read.ok());
  CHECK(read->get() == "from-env");
  CHECK(std::getenv("DIGGER_TEST_SUDO_PW") == nullptr);
  auto missing = cli::sudo_password_from_env("DIGGER_TEST_SUDO_PW");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("DIGGER_TEST_SUDO_PW") != std::string::npos);
}
