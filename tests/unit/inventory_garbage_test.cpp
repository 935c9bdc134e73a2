// Random input must produce a located error or warning, never a crash or a hang. Deterministic
// seeds, so a failure reproduces.
#include "digger/inventory/hosts_file.hpp"
#include "digger/inventory/inventory_file.hpp"
#include "digger/inventory/plan.hpp"
#include "digger/inventory/ssh_config.hpp"
#include "digger/ssh/known_hosts.hpp"

#include <catch2/catch.hpp>

#include <random>

namespace {
std::string random_text(std::mt19937& random, size_t lines) {
  static const std::string alphabet = "abcAZ09.-_@:[]=#|!*?,\"'\\ \t%~/+1\x01\x7f\xc3\xa9"
                                      "Host Port Match Include |1| @revoked ssh-ed25519 AAAA";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<size_t> length(0, 60);
  std::string text;
  for (size_t line = 0; line < lines; ++line) {
    for (size_t i = length(random); i > 0; --i) {
      text += alphabet[pick(random)];
    }
    text += '\n';
  }
  return text;
}
} // namespace

TEST_CASE("parsers survive random input", "[inventory][ssh][garbage]") {
  std::mt19937 random(GENERATE(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u));
  const digger::inventory::LocalEnvironment env{"/home/a", "a", "h"};
  for (int round = 0; round < 50; ++round) {
    std::string text = random_text(random, 20);
    auto hosts = digger::inventory::parse_hosts(text, "fuzz");
    if (!hosts.ok()) {
      CHECK(hosts.error().rfind("fuzz:", 0) == 0);
    }
    auto config = digger::inventory::parse_ssh_config(text, "fuzz", env);
    if (config.ok()) {
      auto resolved = digger::inventory::resolve(*config, "web1");
      CHECK((!resolved.port || (*resolved.port >= 1 && *resolved.port <= 65535)));
    } else {
      CHECK(config.error().rfind("fuzz:", 0) == 0);
    }
    digger::ssh::KnownHosts known;
    known.add_text(text, "fuzz");
    for (const auto& warning : known.warnings()) {
      CHECK(warning.rfind("fuzz:", 0) == 0);
    }
    CHECK(known.check("web1", 22, {"ssh-ed25519", "x"}).verdict !=
          digger::ssh::HostKeyVerdict::known);
  }
}

TEST_CASE("inventory formats survive random input", "[inventory][garbage]") {
  using digger::inventory::InventoryFormat;
  std::mt19937 random(GENERATE(11u, 12u, 13u, 14u));
  const std::string pieces[] = {"[web]\n",
                                "[g:children]\n",
                                "[all:vars]\n",
                                "all:\n",
                                "  hosts:\n",
                                "    h[1:3]:\n",
                                "  children:\n",
                                "{\"_meta\": ",
                                "ansible_host=x ",
                                "ansible_ssh_common_args='-J a,b' ",
                                "web[01-03]\n",
                                "- x\n",
                                "&a *a ",
                                "!vault |\n",
                                "\"hosts\": [",
                                "ansible_port=22\n",
                                "]}",
                                "\n",
                                "  vars: {a: 1}\n"};
  std::uniform_int_distribution<size_t> pick(0, std::size(pieces) - 1);
  for (int round = 0; round < 200; ++round) {
    std::string text = round % 2 == 0 ? random_text(random, 6) : "";
    for (int i = 0; i < 12; ++i) {
      text += pieces[pick(random)];
    }
    for (auto format : {InventoryFormat::automatic, InventoryFormat::ansible_ini,
                        InventoryFormat::ansible_yaml, InventoryFormat::ansible_json}) {
      auto parsed = digger::inventory::parse_inventory(text, "fuzz", format);
      if (!parsed.ok()) {
        CHECK(parsed.error().rfind("fuzz", 0) == 0);
        continue;
      }
      std::vector<std::string> errors;
      auto targets = digger::inventory::plan_targets(parsed->entries, {}, {}, nullptr, &errors);
      CHECK(targets.size() + errors.size() <= parsed->entries.size());
    }
  }
}
