#include "digger/judge/registry.hpp"
#include "digger/util/glob.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace digger::judge;

namespace {

Registry parsed(std::string_view csv) {
  auto r = parse_registry(csv, "known.csv");
  INFO((r ? std::string("ok") : r.error()));
  REQUIRE(r.ok());
  return *r;
}

std::string error_of(std::string_view csv) {
  auto r = parse_registry(csv, "known.csv");
  REQUIRE_FALSE(r.ok());
  return r.error();
}

} // namespace

TEST_CASE("registry rows: fingerprint or host/owner/command patterns", "[cron][registry]") {
  const Registry reg = parsed("fingerprint,host,owner,command,managed_by\n"
                              "263953847C585592,,,,team-backup\n"
                              ",web*,www-data,*artisan schedule:run*,team-shop\n"
                              ",db0[1-3],postgres,,team-dba\n");
  REQUIRE(reg.size() == 3);
  CHECK(reg.entries[0].fingerprint == "263953847c585592"); // stored lower-case
  CHECK(reg.entries[1].line == 3);

  const RegistryEntry* byId = reg.match("263953847c585592", "anything", "root", "/x");
  REQUIRE(byId);
  CHECK(byId->managed_by == "team-backup");
  CHECK(reg.match("263953847C585592", "h", "u", "c") == byId); // case-insensitive hex

  const RegistryEntry* shop =
      reg.match("0000000000000000", "web01", "www-data", "cd /srv && php artisan schedule:run");
  REQUIRE(shop);
  CHECK(shop->managed_by == "team-shop");
  CHECK(reg.match("", "web01", "root", "php artisan schedule:run") == nullptr); // owner differs
  CHECK(reg.match("", "db02", "postgres", "/usr/bin/vacuumdb -a")->managed_by == "team-dba");
  CHECK(reg.match("", "db04", "postgres", "/usr/bin/vacuumdb -a") == nullptr);
}

TEST_CASE("the first matching row wins", "[cron][registry]") {
  const Registry reg = parsed("fingerprint,host,owner,command,managed_by\n"
                              ",*,root,*,ops\n"
                              ",web01,root,*,web-team\n");
  CHECK(reg.match("", "web01", "root", "/opt/x")->managed_by == "ops");
}

TEST_CASE("RFC 4180 quoting, CRLF, any column order, extra columns", "[cron][registry]") {
  const Registry reg = parsed("\xEF\xBB\xBF"
                              "Managed_By,note,command,owner,host,fingerprint\r\n"
                              "\"team \"\"A\"\"\",\"multi\nline note\",\"/opt/a, --x\",root,,\r\n"
                              "# a comment line\r\n"
                              "\r\n"
                              "team-b,,  /opt/b  ,root,h1,\r\n");
  REQUIRE(reg.size() == 2);
  CHECK(reg.entries[0].managed_by == "team \"A\"");
  CHECK(reg.entries[0].command == "/opt/a, --x");
  CHECK(reg.entries[0].line == 2);
  CHECK(reg.entries[1].line == 6);           // the quoted newline counts as a line
  CHECK(reg.entries[1].command == "/opt/b"); // unquoted fields are trimmed
  CHECK(reg.match("", "any", "root", "/opt/a, --x")->managed_by == "team \"A\"");
}

TEST_CASE("registry errors name the file and line", "[cron][registry]") {
  CHECK(error_of("fingerprint,host,owner,command,managed_by\n"
                 ",h,u,\"/opt/x,ops\n"
                 "more\n") == "known.csv:2: unterminated quote");
  CHECK(error_of("") ==
        "known.csv:1: empty: a header row is required (fingerprint,host,owner,command,managed_by)");
  CHECK(error_of("fingerprint,host,owner,command\n,h,u,c\n")
            .find("known.csv:1: missing column "
                  "managed_by") == 0);
  CHECK(error_of("fingerprint,host,owner,command,managed_by,host\n") ==
        "known.csv:1: column host appears twice");
  CHECK(error_of("fingerprint,host,owner,command,managed_by\n,h,u,c\n") ==
        "known.csv:2: 4 fields, the header has 5");
  CHECK(error_of("fingerprint,host,owner,command,managed_by\n,h,u,c,\n") ==
        "known.csv:2: managed_by is empty (say who owns the job)");
  CHECK(error_of("fingerprint,host,owner,command,managed_by\nxyz,,,,ops\n")
            .find("known.csv:2: fingerprint is not hexadecimal") == 0);
  CHECK(error_of("fingerprint,host,owner,command,managed_by\n,,,,ops\n")
            .find("known.csv:2: no fingerprint and no host") == 0);
  CHECK(error_of("fingerprint,host,owner,command,managed_by\n,h,u,a\"b,ops\n")
            .find("known.csv:2: quote inside an unquoted field") == 0);
  CHECK(error_of("fingerprint,host,owner,command,managed_by\n,h,u,\"a\"b,ops\n") ==
        "known.csv:2: text after a closing quote");
  // Errors are one line even when the file name is odd.
  auto r = parse_registry("x", "/etc/digger/known.csv");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().find('\n') == std::string::npos);
  CHECK(r.error().find("/etc/digger/known.csv:1: ") == 0);
}

TEST_CASE("glob patterns", "[cron][registry]") {
  CHECK(digger::util::glob_match("", "*", digger::util::GlobSyntax::fnmatch));
  CHECK(digger::util::glob_match("/any/path with blanks", "*", digger::util::GlobSyntax::fnmatch));
  CHECK(digger::util::glob_match("web01", "web??", digger::util::GlobSyntax::fnmatch));
  CHECK_FALSE(digger::util::glob_match("web1", "web??", digger::util::GlobSyntax::fnmatch));
  CHECK(digger::util::glob_match("/opt/a/b/bin/c", "/opt/*/bin/*",
                                 digger::util::GlobSyntax::fnmatch));
  CHECK(digger::util::glob_match("db7", "db[0-9]", digger::util::GlobSyntax::fnmatch));
  CHECK_FALSE(digger::util::glob_match("db7", "db[!0-9]", digger::util::GlobSyntax::fnmatch));
  CHECK(digger::util::glob_match("dbx", "db[!0-9]", digger::util::GlobSyntax::fnmatch));
  CHECK(digger::util::glob_match("a*b", "a\\*b", digger::util::GlobSyntax::fnmatch));
  CHECK_FALSE(digger::util::glob_match("axb", "a\\*b", digger::util::GlobSyntax::fnmatch));
  CHECK(digger::util::glob_match("[", "[",
                                 digger::util::GlobSyntax::fnmatch)); // no closing bracket: literal
  CHECK(digger::util::glob_match(
      "]", "[]]", digger::util::GlobSyntax::fnmatch)); // ']' first in a set is literal
  CHECK_FALSE(digger::util::glob_match("abcd", "abc", digger::util::GlobSyntax::fnmatch));
  CHECK(digger::util::glob_match("xxaxxbxxcxx", "*a*b*c*", digger::util::GlobSyntax::fnmatch));
  // Many stars on a long text that does not match finish quickly (no exponential backtracking).
  const std::string text(5000, 'a');
  CHECK_FALSE(
      digger::util::glob_match(text, "*a*a*a*a*a*a*a*a*b", digger::util::GlobSyntax::fnmatch));
}
