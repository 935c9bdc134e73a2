#include "digger/inventory/host_range.hpp"
#include "digger/inventory/hosts_file.hpp"

#include <catch2/catch.hpp>

using namespace digger::inventory;

namespace {
std::string joined(std::string_view pattern, RangeSyntax syntax) {
  auto names = expand_host_ranges(pattern, syntax, 1000);
  if (!names) {
    return "error: " + names.error();
  }
  std::string out;
  for (const auto& n : *names) {
    out += n + " ";
  }
  return out;
}
} // namespace

TEST_CASE("host ranges: Ansible syntax", "[inventory][range]") {
  CHECK(joined("web[01:03].x", RangeSyntax::ansible) == "web01.x web02.x web03.x ");
  CHECK(joined("web[1:10:4]", RangeSyntax::ansible) == "web1 web5 web9 ");
  CHECK(joined("db-[a:c]", RangeSyntax::ansible) == "db-a db-b db-c ");
  CHECK(joined("r[1:2]n[a:b]", RangeSyntax::ansible) == "r1na r1nb r2na r2nb ");
  CHECK(joined("plain", RangeSyntax::ansible) == "plain ");
  CHECK(joined("w[3:1]", RangeSyntax::ansible).rfind("error: ", 0) == 0);
  CHECK(joined("w[01:100]", RangeSyntax::ansible).find("same width") != std::string::npos);
  CHECK(joined("w[1:5:0]", RangeSyntax::ansible).find("stride") != std::string::npos);
  CHECK(joined("w[1:5", RangeSyntax::ansible).find("missing ']'") != std::string::npos);
}

TEST_CASE("host ranges: pdsh syntax", "[inventory][range]") {
  CHECK(joined("web[01-03]", RangeSyntax::pdsh) == "web01 web02 web03 ");
  CHECK(joined("web[1-3,7]", RangeSyntax::pdsh) == "web1 web2 web3 web7 ");
  CHECK(joined("n[1-2]-[8,9]", RangeSyntax::pdsh) == "n1-8 n1-9 n2-8 n2-9 ");
}

TEST_CASE("host ranges: the count is checked before allocating", "[inventory][range]") {
  auto huge = expand_host_ranges("web[0:99999999]", RangeSyntax::ansible, max_hosts);
  REQUIRE(!huge.ok());
  CHECK(huge.error() == "'web[0:99999999]' expands to more than 1000000 hosts");
  auto product = expand_host_ranges("a[0-999][0-999][0-999]", RangeSyntax::pdsh, max_hosts);
  CHECK(!product.ok());
  auto overflow = expand_host_ranges("a[0-999999999999]", RangeSyntax::pdsh, max_hosts);
  CHECK(!overflow.ok());
}

TEST_CASE("hosts.txt: pdsh ranges with user, port and labels", "[inventory][range]") {
  auto parsed = parse_hosts("ops@web[01-02].dc1:2222 team=a\n[::1]:22\n", "hosts.txt");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->entries.size() == 3);
  CHECK(parsed->entries[1].name == "web02.dc1");
  CHECK(parsed->entries[1].user == "ops");
  CHECK(parsed->entries[1].port == 2222);
  CHECK(parsed->entries[1].labels == std::vector<Label>{{"team", "a"}});
  CHECK(parsed->entries[1].source == SourceRef{"hosts.txt", 1});
  CHECK(parsed->entries[2].name == "::1");
  auto bad = parse_hosts("web\nweb[0-99999999]\n", "hosts.txt");
  REQUIRE(!bad.ok());
  CHECK(bad.error().rfind("hosts.txt:2: ", 0) == 0);
}
