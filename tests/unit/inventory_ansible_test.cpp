#include "digger/inventory/ansible.hpp"
#include "digger/inventory/inventory_file.hpp"
#include "digger/inventory/limit.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

using namespace digger::inventory;

namespace {

std::string read_example(const std::string& name) {
  std::ifstream in(std::string(DIGGER_TEST_DATA) + "/../../inventory/" + name);
  std::stringstream text;
  text << in.rdbuf();
  REQUIRE(!text.str().empty());
  return text.str();
}

Inventory parsed(std::string_view text, InventoryFormat format = InventoryFormat::automatic) {
  auto result = parse_inventory(text, "inv", format);
  INFO((result.ok() ? "" : result.error()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

std::string error_of(std::string_view text, InventoryFormat format = InventoryFormat::automatic) {
  auto result = parse_inventory(text, "inv", format);
  REQUIRE(!result.ok());
  return result.error();
}

const InventoryEntry& find(const Inventory& inventory, const std::string& name) {
  for (const auto& entry : inventory.entries) {
    if (entry.name == name) {
      return entry;
    }
  }
  FAIL("no host " << name);
  throw std::logic_error("unreachable");
}

std::string label(const InventoryEntry& entry, const std::string& key) {
  for (const auto& [k, v] : entry.labels) {
    if (k == key) {
      return v;
    }
  }
  return "";
}

// What a format must agree on for one host.
std::string summary(const InventoryEntry& e) {
  std::ostringstream out;
  out << e.name << " addr=" << e.address.value_or("-") << " port=" << e.port.value_or(0)
      << " user=" << e.user.value_or("-") << " jump=" << e.proxy_jump.value_or("-")
      << " become=" << e.become << " group=" << label(e, "group") << " keys=";
  for (const auto& k : e.identity_files) {
    out << k << ";";
  }
  return out.str();
}

std::vector<std::string> summaries(const Inventory& inventory) {
  std::vector<std::string> out;
  for (const auto& entry : inventory.entries) {
    out.push_back(summary(entry));
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_CASE("inventory examples: INI, YAML and --list JSON give the same hosts",
          "[inventory][ansible]") {
  Inventory ini = parsed(read_example("ansible.ini"));
  Inventory yaml = parsed(read_example("ansible.yml"));
  Inventory json = parsed(read_example("ansible.json"));
  CHECK(ini.entries.size() == 8);
  CHECK(summaries(ini) == summaries(yaml));
  CHECK(summaries(ini) == summaries(json));
  const auto& primary = find(ini, "db-primary");
  CHECK(primary.address == "10.0.0.5");
  CHECK(primary.user == "postgres"); // host vars beat group vars
  CHECK(primary.proxy_jump == "jump@bastion.example.com");
  CHECK(primary.become);
  CHECK(label(primary, "group") == "db,dc1");
  CHECK(find(ini, "db-b.example.com").port == 2222);
  CHECK(find(ini, "web02.example.com").identity_files ==
        std::vector<std::string>{"~/.ssh/fleet_ed25519"});
  CHECK(find(ini, "bastion.example.com").user == "jump");
  CHECK(!find(ini, "bastion.example.com").proxy_jump);
  CHECK(find(ini, "bastion.example.com").groups == std::vector<std::string>{"ungrouped"});
}

TEST_CASE("ansible INI: sections, children, vars, ranges, host:port", "[inventory][ansible]") {
  Inventory inv = parsed("[web]   # the web tier\n"
                         "www[01:05:2].example.com\n"
                         "alpha:2200 ansible_user='o p' # comment\n"
                         "[web:vars]\n"
                         "ansible_port=2222\n"
                         "[top:children]\n"
                         "web\n"
                         "[top:vars]\n"
                         "ansible_port=9999\n"
                         "ansible_user=topuser\n");
  REQUIRE(inv.entries.size() == 4);
  CHECK(inv.entries[0].name == "www01.example.com");
  CHECK(inv.entries[1].name == "www03.example.com");
  CHECK(inv.entries[2].name == "www05.example.com");
  CHECK(inv.entries[0].port == 2222); // child group beats parent
  CHECK(inv.entries[0].user == "topuser");
  CHECK(inv.entries[3].port == 2200); // host:port beats group vars
  CHECK(inv.entries[3].user == "o p");
  CHECK(inv.entries[3].groups == std::vector<std::string>{"top", "web"});
}

TEST_CASE("ansible INI: errors name file and line", "[inventory][ansible]") {
  CHECK(error_of("[web]\nweb1 novalue\n").rfind("inv:2: ", 0) == 0);
  CHECK(error_of("[web:bogus]\n").rfind("inv:1: unknown section kind", 0) == 0);
  CHECK(error_of("[web]\nweb[0:99999999]\n") ==
        "inv:2: 'web[0:99999999]' expands to more than 1000000 hosts");
  CHECK(error_of("[web]\nweb1 ansible_port=abc\n").find("inv:2: web1: bad ansible_port 'abc'") !=
        std::string::npos);
  CHECK(error_of("[web]\nweb1 ansible_host={{lookup('x')}}\n").find("Jinja template") !=
        std::string::npos);
}

TEST_CASE("ansible: ProxyJump and ProxyCommand from ssh args", "[inventory][ansible]") {
  Inventory inv = parsed("[g]\n"
                         "a ansible_ssh_common_args='-J b1,b2:2200 -o StrictHostKeyChecking=no'\n"
                         "b ansible_ssh_extra_args=\"-o 'ProxyCommand=ssh -W %h:%p gw'\"\n"
                         "c ansible_ssh_common_args='-oProxyJump=none'\n");
  CHECK(find(inv, "a").proxy_jump == "b1,b2:2200");
  CHECK(find(inv, "a").proxy_source == SourceRef{"inv", 2});
  CHECK(find(inv, "b").proxy_command == "ssh -W %h:%p gw");
  CHECK(find(inv, "c").proxy_jump == "none");
  REQUIRE(inv.warnings.size() == 1); // StrictHostKeyChecking: once
  CHECK(inv.warnings[0].find("stricthostkeychecking") != std::string::npos);
  CHECK(error_of("[g]\na ansible_ssh_common_args='-J bad@'\n").rfind("inv:2: a: ProxyJump", 0) ==
        0);
}

TEST_CASE("ansible JSON: unsafe unwrapped, vault refused, string port, export form",
          "[inventory][ansible]") {
  Inventory inv = parsed(R"({"_meta": {"hostvars": {
      "h1": {"ansible_host": {"__ansible_unsafe": "127.0.2.5"}, "ansible_port": "2222"},
      "h2": {"db_password": {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n3061"}}}},
    "all": {"children": ["ungrouped", "a"], "vars": {"ansible_user": "ops"}},
    "a": {"children": ["b"]}, "b": {"children": ["c"]}, "c": {"hosts": ["h1"]},
    "ungrouped": {"hosts": ["h2"]}})");
  CHECK(find(inv, "h1").address == "127.0.2.5");
  CHECK(find(inv, "h1").port == 2222);
  CHECK(find(inv, "h1").user == "ops"); // --export: group vars on groups
  CHECK(label(find(inv, "h1"), "group") == "a,b,c");
  CHECK(find(inv, "h2").user == "ops"); // a vault value Digger does not need is no problem
  std::string vault = error_of(R"({"_meta": {"hostvars": {"h": {"ansible_user":
      {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256"}}}}})");
  CHECK(vault.find("inv:1: h: ansible_user is vault-encrypted") == 0);
  CHECK(vault.find("ANSIBLE_VAULT") == std::string::npos); // never echo the ciphertext
  CHECK(error_of("{\"all\": \n [}").rfind("inv:2: not valid JSON", 0) == 0);
}

TEST_CASE("ansible YAML: vault tag, plugin files, bad shapes", "[inventory][ansible]") {
  CHECK(
      error_of("all:\n  hosts:\n    h:\n      ansible_user: !vault |\n        $ANSIBLE_VAULT;1.1\n")
          .rfind("inv:4: h: ansible_user is vault-encrypted", 0) == 0);
  CHECK(error_of("plugin: amazon.aws.aws_ec2\nregions: [x]\n").find("inventory plugin") !=
        std::string::npos);
  CHECK(error_of("all:\n  hostz:\n    h:\n").rfind("inv:2: unknown key 'hostz'", 0) == 0);
  CHECK(error_of("all:\n  hosts: [a, b]\n").rfind("inv:2: ", 0) == 0);
  Inventory inv = parsed("all:\n  hosts:\n    'h:2200':\n    ::1:\n  children:\n    g:\n");
  CHECK(find(inv, "h").port == 2200);
  CHECK(find(inv, "::1").port == std::nullopt);
  // Aliases share nodes: nine levels of ten aliases would be 10^9 group visits; the work
  // budget stops it with a located error instead.
  std::string laughs = "l0: &l0\n  hosts:\n    h:\n";
  for (int level = 1; level < 10; ++level) {
    laughs += fmt::format("l{}: &l{}\n  children:\n", level, level);
    for (int i = 0; i < 10; ++i) {
      laughs += fmt::format("    g{}_{}: *l{}\n", level, i, level - 1);
    }
  }
  auto result = parse_inventory(laughs, "inv", InventoryFormat::ansible_yaml);
  REQUIRE(!result.ok());
  CHECK(result.error().find("too repetitive") != std::string::npos);
}

TEST_CASE("format detection and 'this looks like'", "[inventory][format]") {
  CHECK(detect_format("web1\n[::1]:2222\nops@db:22 team=a\n") == InventoryFormat::plain);
  CHECK(detect_format("# x\n[web]\nweb1\n") == InventoryFormat::ansible_ini);
  CHECK(detect_format("web1 ansible_host=10.0.0.5\n") == InventoryFormat::ansible_ini);
  CHECK(detect_format("---\nall:\n  hosts:\n") == InventoryFormat::ansible_yaml);
  CHECK(detect_format("all:\n  hosts:\n") == InventoryFormat::ansible_yaml);
  CHECK(detect_format("  {\"_meta\": {}}") == InventoryFormat::ansible_json);
  CHECK(error_of("all:\n  hosts:\n", InventoryFormat::plain) ==
        "inv: this looks like an Ansible YAML inventory, not a plain host list (leave "
        "--inventory-format out, or use --inventory-format ansible-yaml)");
  CHECK(error_of("[web]\nweb1\n", InventoryFormat::ansible_json).find("Ansible INI") !=
        std::string::npos);
  // The issue's cases: ansible_* words are not labels, `web` sections are not IPv6.
  Inventory inv = parsed("web1 ansible_host=10.0.0.5 ansible_user=ops\n");
  CHECK(inv.entries[0].address == "10.0.0.5");
  CHECK(inv.entries[0].labels.empty());
}

TEST_CASE("limit patterns select hosts as Ansible does", "[inventory][limit]") {
  Inventory inv = parsed(read_example("ansible.ini"));
  auto names = [&](const std::string& pattern) {
    auto limited = apply_limit(inv.entries, pattern);
    INFO(pattern << ": " << (limited.ok() ? "" : limited.error()));
    REQUIRE(limited.ok());
    std::string out;
    for (const auto& e : *limited) {
      out += e.name.substr(0, e.name.find('.')) + " ";
    }
    return out;
  };
  CHECK(names("web") == "web01 web02 web03 ");
  CHECK(names("db:&dc1:!db-primary") == "db-a db-b db-c ");
  CHECK(names("web*") == "web01 web02 web03 ");
  CHECK(names("web02.example.com,bastion.example.com") == "bastion web02 ");
  CHECK(names("all:!dc1") == "bastion ");
  CHECK(names("ungrouped") == "bastion ");
  CHECK(names("!web") == "bastion db-a db-b db-c db-primary ");
  CHECK(!apply_limit(inv.entries, "nosuch").ok());
}
