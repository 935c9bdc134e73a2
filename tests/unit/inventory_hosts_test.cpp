#include "digger/inventory/hosts_file.hpp"
#include "digger/util/glob.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace digger::inventory;
using namespace digger::util;

namespace {
InventoryEntry single(const std::string& line) {
  auto parsed = parse_hosts(line, "hosts.txt");
  INFO(line);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->entries.size() == 1);
  return parsed->entries[0];
}
std::string error_of(const std::string& text) {
  auto parsed = parse_hosts(text, "hosts.txt");
  INFO(text);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error();
}
} // namespace

TEST_CASE("hosts.txt lines: user, host, port", "[inventory][hosts]") {
  struct Row {
    const char* line;
    const char* name;
    std::optional<std::string> user;
    std::optional<int> port;
  };
  auto row = GENERATE(values<Row>({
      {"web1", "web1", {}, {}},
      {"web1.example.com:2222", "web1.example.com", {}, 2222},
      {"alice@web1", "web1", "alice", {}},
      {"deploy_2@web-1.example.com:22", "web-1.example.com", "deploy_2", 22},
      {"10.0.0.5:65535", "10.0.0.5", {}, 65535},
      {"[2001:db8::1]", "2001:db8::1", {}, {}},
      {"[2001:db8::1]:2200", "2001:db8::1", {}, 2200},
      {"root@[fe80::1%eth0]:22", "fe80::1%eth0", "root", 22},
      {"  \tweb1  ", "web1", {}, {}},
      {"web1\r", "web1", {}, {}},
  }));
  InventoryEntry entry = single(row.line);
  CHECK(entry.name == row.name);
  CHECK(entry.user == row.user);
  CHECK(entry.port == row.port);
  CHECK(entry.labels.empty());
  CHECK(entry.source == SourceRef{"hosts.txt", 1});
}

TEST_CASE("hosts.txt labels and comments", "[inventory][hosts]") {
  InventoryEntry entry = single("web1 team=billing env=prod owner.mail=ops@example.com # db");
  CHECK(entry.labels == std::vector<Label>{{"team", "billing"},
                                           {"env", "prod"},
                                           {"owner.mail", "ops@example.com"}});
  CHECK(single("web1 team=a#b").labels == std::vector<Label>{{"team", "a#b"}});
  CHECK(single("web1\t#team=x").labels.empty());
  CHECK(single("web1 note=caf\xC3\xA9").labels[0].second == "caf\xC3\xA9");

  auto parsed =
      parse_hosts("# fleet\n\n   \n  # indented comment\nweb1\n\nweb2 # trailing\n", "hosts.txt");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->entries.size() == 2);
  CHECK(parsed->entries[0].source == SourceRef{"hosts.txt", 5});
  CHECK(parsed->entries[1].name == "web2");
  CHECK(parsed->entries[1].source == SourceRef{"hosts.txt", 7});
}

TEST_CASE("hosts.txt rejects bad lines with file and line", "[inventory][hosts]") {
  struct Row {
    std::string text;
    const char* message;
  };
  auto row = GENERATE(values<Row>({
      {"web1:abc", "hosts.txt:1: bad port 'abc'"},
      {"web1:0", "hosts.txt:1: bad port '0'"},
      {"web1:65536", "hosts.txt:1: bad port '65536'"},
      {"web1:", "hosts.txt:1: bad port ''"},
      {"web1:-22", "hosts.txt:1: bad port '-22'"},
      {"2001:db8::1", "hosts.txt:1: IPv6 address '2001:db8::1' must be written in brackets: "
                      "[2001:db8::1]"},
      {"[2001:db8::1", "hosts.txt:1: missing ']' in '[2001:db8::1'"},
      {"[not-v6]:22", "hosts.txt:1: bad IPv6 address 'not-v6'"},
      {"[10.0.0.1]", "hosts.txt:1: bad IPv6 address '10.0.0.1'"},
      {"[::1]x", "hosts.txt:1: unexpected 'x' after ']'"},
      {"[fe80::1%]", "hosts.txt:1: bad IPv6 address 'fe80::1%'"},
      {"[fe80::1%a/b]", "hosts.txt:1: bad IPv6 address 'fe80::1%a/b'"},
      {"[%eth0]", "hosts.txt:1: bad IPv6 address '%eth0'"},
      {"[::1]:x", "hosts.txt:1: bad port 'x'"},
      {"@web1", "hosts.txt:1: bad user ''"},
      {"-oProxyCommand=x@web1", "hosts.txt:1: bad user '-oProxyCommand=x'"},
      {"al ice@web1", "hosts.txt:1: bad label 'ice@web1' (expected key=value)"},
      {"a@b@web1", "hosts.txt:1: bad host name 'b@web1'"},
      {"-oProxyCommand=x", "hosts.txt:1: bad host name '-oProxyCommand=x'"},
      {"web1#x", "hosts.txt:1: bad host name 'web1#x'"},
      {"web1 team", "hosts.txt:1: bad label 'team' (expected key=value)"},
      {"web1 =x", "hosts.txt:1: bad label key ''"},
      {"web1 te/am=x", "hosts.txt:1: bad label key 'te/am'"},
      {"web1 team=", "hosts.txt:1: empty value for label 'team'"},
      {"web1 team=\"a b\"", "hosts.txt:1: quotes are not supported in label values "
                            "('team=\"a'); values are single words"},
      {"web1 team=a env=b team=c", "hosts.txt:1: label 'team' given twice"},
      {"web1\x01", "hosts.txt:1: control character in line"},
      {"# one\n\nweb1\n  # four\nweb5:http\nweb6", "hosts.txt:5: bad port 'http'"},
      {std::string(4097, 'a'), "hosts.txt:1: line too long (4097 bytes, at most 4096)"},
  }));
  CHECK(error_of(row.text) == row.message);
}

TEST_CASE("hosts.txt keeps the longest allowed line", "[inventory][hosts]") {
  std::string line = "web1 note=" + std::string(4096 - 10, 'x');
  CHECK(single(line).labels[0].second.size() == 4086);
}

TEST_CASE("hosts.txt duplicates are kept once and reported", "[inventory][hosts]") {
  auto parsed = parse_hosts("web1\n"
                            "WEB1 team=x\n" // same host, other case
                            "alice@web1\n"  // another user: not a duplicate
                            "web1:22\n"     // explicit port: decided after the ssh config
                            "web1:22\n"     // ...but twice is twice
                            "[2001:db8::1]\n"
                            "[2001:DB8:0:0::1]\n", // same address, other spelling
                            "fleet/hosts.txt");
  REQUIRE(parsed.ok());
  std::vector<std::string> names;
  for (const auto& entry : parsed->entries) {
    names.push_back(entry.source.str());
  }
  CHECK(names == std::vector<std::string>{"fleet/hosts.txt:1", "fleet/hosts.txt:3",
                                          "fleet/hosts.txt:4", "fleet/hosts.txt:6"});
  CHECK(parsed->warnings ==
        std::vector<std::string>{
            "fleet/hosts.txt:2: duplicate of fleet/hosts.txt:1 (web1), scanned once; the labels "
            "of the first line apply",
            "fleet/hosts.txt:5: duplicate of fleet/hosts.txt:4 (web1), scanned once",
            "fleet/hosts.txt:7: duplicate of fleet/hosts.txt:6 (2001:db8::1), scanned once"});
}

TEST_CASE("hosts.txt tolerates a byte order mark and CRLF", "[inventory][hosts]") {
  auto parsed = parse_hosts("\xEF\xBB\xBFweb1\r\nweb2 team=a\r\n", "hosts.txt");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->entries.size() == 2);
  CHECK(parsed->entries[0].name == "web1");
  CHECK(parsed->entries[1].labels == std::vector<Label>{{"team", "a"}});
  CHECK(parse_hosts("", "hosts.txt")->entries.empty());
}

TEST_CASE("normalized_host", "[inventory][hosts]") {
  CHECK(normalized_host("Web1.Example.COM") == "web1.example.com");
  CHECK(normalized_host("2001:DB8:0:0:0:0:0:1") == "2001:db8::1");
  CHECK(normalized_host("FE80::1%ETH0") == "fe80::1%eth0");
  CHECK(normalized_host("10.0.0.1") == "10.0.0.1");
}

TEST_CASE("the example inventories parse", "[inventory][hosts]") {
  for (const char* name : {"basic.txt", "labels.txt", "ipv6.txt", "with-ssh-config/hosts.txt"}) {
    auto parsed = load_hosts_file(std::string(DIGGER_TEST_DATA) + "/../../inventory/" + name);
    INFO(name << ": " << (parsed.ok() ? "" : parsed.error()));
    REQUIRE(parsed.ok());
    CHECK_FALSE(parsed->entries.empty());
  }
  auto missing = load_hosts_file("/nonexistent/hosts.txt");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error() == "cannot open /nonexistent/hosts.txt: No such file or directory");
}

TEST_CASE("OpenSSH patterns", "[inventory][pattern]") {
  struct Row {
    const char* text;
    const char* pattern;
    bool match;
  };
  auto row = GENERATE(values<Row>({
      {"web1", "web1", true},
      {"web1", "web2", false},
      {"web1", "*", true},
      {"", "*", true},
      {"", "?", false},
      {"web1", "web?", true},
      {"web12", "web?", false},
      {"a.db.example.com", "*.example.com", true},
      {"example.com", "*.example.com", false},
      {"abcabcabd", "*abd", true},
      {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*a*c", false},
      {"Web1", "web1", false}, // case-sensitive: callers lowercase
      {"web1", "w**1", true},
  }));
  INFO(row.text << " ~ " << row.pattern);
  CHECK(glob_match(row.text, row.pattern) == row.match);
}

TEST_CASE("OpenSSH pattern lists", "[inventory][pattern]") {
  CHECK(match_pattern_list("web1", "db*,web*", false) == ListMatch::positive);
  CHECK(match_pattern_list("web1", "db*", false) == ListMatch::none);
  CHECK(match_pattern_list("web1", "*,!web1", false) == ListMatch::negated);
  CHECK(match_pattern_list("web1", "!web1,*", false) == ListMatch::negated);
  CHECK(match_pattern_list("web2", "*,!web1", false) == ListMatch::positive);
  CHECK(match_pattern_list("web2", "!web1", false) == ListMatch::none); // no positive hit
  CHECK(match_pattern_list("web1", "WEB1", true) == ListMatch::positive);
  CHECK(match_pattern_list("web1", "WEB1", false) == ListMatch::none);
}
