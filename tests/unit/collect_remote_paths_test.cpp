#include "digger/collect/remote_paths.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using namespace digger::collect;

TEST_CASE("the collector's path preamble is plain assignments of our constants",
          "[collect][script]") {
  CHECK(shell_preamble({{"user_dirs", {"/var/spool/cron", "/var/spool/cron/tabs"}},
                        {"one", {"/etc/x.y-z_1"}}}) ==
        "user_dirs=\"/var/spool/cron /var/spool/cron/tabs\"\none=\"/etc/x.y-z_1\"\n");
  // Anything a shell would interpret, or that would split a list, is refused.
  for (const char* bad :
       {"/etc/a b", "/etc/$x", "/etc/`x`", "/etc/*", "/etc/a\"b", "/etc/a'b", "/etc/a\nb", ""}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(shell_preamble({{"v", {bad}}}), std::invalid_argument);
  }
  for (const char* bad : {"", "1x", "A", "a-b", "a b", "a;b"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(shell_preamble({{bad, {"/etc"}}}), std::invalid_argument);
  }
}

TEST_CASE("the collector script starts with its path table and uses every entry",
          "[collect][script]") {
  std::string preamble = shell_preamble(collector_paths());
  std::string_view script = collector_script();
  REQUIRE(script.starts_with(preamble));
  std::string_view body = script.substr(preamble.size());
  for (const auto& list : collector_paths()) {
    CAPTURE(list.variable);
    CHECK(body.find("$" + std::string(list.variable)) != std::string_view::npos);
    // The paths themselves live in the table only (the script's one test of a merged /usr,
    // `[ /lib/systemd/system -ef /usr/lib/systemd/system ]`, is not a path it reads).
    for (auto path : list.paths) {
      CAPTURE(path);
      if (path.starts_with("/etc/") || path.starts_with("/var/")) {
        CHECK(body.find(std::string(path) + " ") == std::string_view::npos);
        CHECK(body.find(std::string(path) + ";") == std::string_view::npos);
      }
    }
  }
  // What the script relies on (remote_paths.hpp).
  for (const auto& list : collector_paths()) {
    for (auto path : list.paths) {
      if (list.variable == "system_crontab" || list.variable == "anacrontab") {
        CHECK((path.starts_with("/etc/") && path.find('/', 5) == std::string_view::npos));
      }
      if (list.variable == "unit_dirs" || list.variable == "vendor_unit_dirs" ||
          list.variable == "user_unit_dir") {
        CHECK(std::string("/").append(path).find("/systemd/") != std::string::npos);
      }
    }
  }
}
