#include "digger/crontab/schedule.hpp"
#include "digger/judge/fingerprint.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace digger::crontab;
using namespace digger::judge;

namespace {

Schedule schedule(const char* expression) {
  auto s = parse_schedule(expression);
  REQUIRE(s.ok());
  return *s;
}

std::string id(const char* owner, const char* expression, const char* command) {
  return job_fingerprint(owner, schedule(expression), command);
}

} // namespace

TEST_CASE("the fingerprint is a documented, stable SHA-256 prefix", "[cron][fingerprint]") {
  // Expected values computed independently with Python's hashlib:
  //   h = sha256(); for part in [b"digger-job-v1", owner, normalized, command]:
  //     h.update(str(len(part)).encode() + b":" + part)
  //   h.hexdigest()[:16]
  // A change here changes every stored job id: bump "digger-job-v1" instead.
  CHECK(id("root", "@weekly", "/usr/local/bin/backup --all") == "263953847c585592");
  CHECK(id("www-data", "*/15 * * * *", "cd /srv/app && php artisan schedule:run") ==
        "1eee987bc2246779");
  const std::string one = id("root", "5 4 * * *", "/opt/a");
  CHECK(one.size() == 16);
  CHECK(one.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("spellings that fire identically share the fingerprint", "[cron][fingerprint]") {
  CHECK(id("root", "@weekly", "/opt/a") == id("root", "0 0 * * 0", "/opt/a"));
  CHECK(id("root", "@weekly", "/opt/a") == id("root", "0 0 * * 7", "/opt/a"));
  CHECK(id("root", "*/15 * * * *", "/opt/a") == id("root", "0,15,30,45 * * * *", "/opt/a"));
  CHECK(id("root", "@daily", "/opt/a") == id("root", "@midnight", "/opt/a"));
  CHECK(id("root", "0 9 * jan-mar mon-fri", "/opt/a") == id("root", "0 9 * 1-3 1-5", "/opt/a"));
}

TEST_CASE("unquoted blank runs do not change the fingerprint", "[cron][fingerprint]") {
  const std::string base = id("root", "@hourly", "/opt/a --x 1 >/dev/null 2>&1");
  CHECK(id("root", "@hourly", "  /opt/a   --x\t1  >/dev/null 2>&1 \t") == base);
  CHECK(collapse_command_blanks("  a \t b  ") == "a b");
  CHECK(collapse_command_blanks("a 'x   y'  \"p  q\"") == "a 'x   y' \"p  q\"");
  CHECK(collapse_command_blanks("a\\  b") == "a\\  b"); // an escaped blank is text
  CHECK(collapse_command_blanks("a 'open  quote") == "a 'open  quote");
  CHECK(collapse_command_blanks("") == "");
}

TEST_CASE("owner, schedule and command all count", "[cron][fingerprint]") {
  const std::string base = id("root", "0 3 * * *", "/opt/a");
  CHECK(id("app", "0 3 * * *", "/opt/a") != base);
  CHECK(id("root", "0 4 * * *", "/opt/a") != base);
  CHECK(id("root", "0 3 * * *", "/opt/b") != base);
  CHECK(id("root", "0 3 * * *", "/opt/a 'x  y'") != id("root", "0 3 * * *", "/opt/a 'x y'"));
  CHECK(id("root", "@reboot", "/opt/a") != base);
  // The parts are length-prefixed, so moving text between them changes the id.
  CHECK(job_fingerprint("ab", schedule("@daily"), "c") !=
        job_fingerprint("a", schedule("@daily"), "bc"));
}
