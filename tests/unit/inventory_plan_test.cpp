#include "digger/inventory/plan.hpp"

#include <catch2/catch.hpp>

using namespace digger::inventory;
using namespace std::chrono_literals;

namespace {
const LocalEnvironment env{"/home/alice", "alice", "laptop"};

SshConfig config_of(const std::string& text) {
  auto parsed = parse_ssh_config(text, "cfg", env);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}
std::vector<InventoryEntry> hosts_of(const std::string& text) {
  auto parsed = parse_hosts(text, "hosts.txt");
  INFO((parsed.ok() ? "" : parsed.error()));
  REQUIRE(parsed.ok());
  return parsed->entries;
}
ScanTarget plan_single(const std::string& host_line, const std::string& config_text,
                       const TargetDefaults& defaults = {}) {
  auto targets = plan_targets(hosts_of(host_line), config_of(config_text), defaults);
  REQUIRE(targets.size() == 1);
  return targets[0];
}
} // namespace

TEST_CASE("plan: hosts.txt > ssh config > defaults > built-ins", "[inventory][plan]") {
  const std::string config = "Host cfg*\n  User cfg-user\n  Port 2200\n";
  TargetDefaults flags{"flag-user", 2300, {}, {}};
  struct Row {
    const char* line;
    bool with_flags;
    const char* user;
    int port;
  };
  auto row = GENERATE(values<Row>({
      {"bob@cfg1:2100", true, "bob", 2100}, // explicit beats everything
      {"cfg1", true, "cfg-user", 2200},     // config beats the flags
      {"other", true, "flag-user", 2300},   // flags beat the built-ins
      {"other", false, "alice", 22},        // built-ins: current user, port 22
      {"bob@other", false, "bob", 22},
      {"cfg1:2100", false, "cfg-user", 2100},
  }));
  INFO(row.line << (row.with_flags ? " with flags" : ""));
  ScanTarget target = plan_single(row.line, config, row.with_flags ? flags : TargetDefaults{});
  CHECK(target.user == row.user);
  CHECK(target.port == row.port);
}

TEST_CASE("plan: address, labels, source, timeout", "[inventory][plan]") {
  ScanTarget target = plan_single("\n\nweb1 team=billing env=prod",
                                  "Host web1\n  HostName 10.0.0.5\n  ConnectTimeout 12\n");
  CHECK(target.name == "web1");
  CHECK(target.address == "10.0.0.5");
  CHECK(target.connect_timeout == 12s);
  CHECK(target.labels == std::vector<Label>{{"team", "billing"}, {"env", "prod"}});
  CHECK(target.source == SourceRef{"hosts.txt", 3});

  CHECK(plan_single("web2", "").address == "web2");
  CHECK(plan_single("web2", "").connect_timeout == builtin_connect_timeout);
  CHECK(plan_single("web2", "", {{}, {}, {}, 3000ms}).connect_timeout == 3000ms);
  CHECK(plan_single("web2", "ConnectTimeout 0\n", {{}, {}, {}, 3000ms}).connect_timeout ==
        3000ms); // ssh's "0 = no timeout" is not honoured: every connection is bounded
}

TEST_CASE("plan: identity files", "[inventory][plan]") {
  TargetDefaults flags{{}, {}, {"~/.ssh/flag_key"}, {}};
  const std::string config = "Host special\n"
                             "  HostName special.example.com\n"
                             "  User svc\n"
                             "  IdentityFile ~/.ssh/id_%r@%h\n"
                             "  IdentityFile %d/keys/%n-%p\n";
  ScanTarget special = plan_single("special:2222", config, flags);
  CHECK(special.identity_files ==
        std::vector<std::string>{"/home/alice/.ssh/id_svc@special.example.com",
                                 "/home/alice/keys/special-2222"});
  CHECK(plan_single("root@special", config, flags).identity_files[0] ==
        "/home/alice/.ssh/id_root@special.example.com"); // %r is the final user
  CHECK(plan_single("other", config, flags).identity_files ==
        std::vector<std::string>{"/home/alice/.ssh/flag_key"});
  CHECK(plan_single("other", config).identity_files.empty());
}

TEST_CASE("plan: known_hosts lookup key like ssh", "[inventory][plan]") {
  const std::string config = "Host db1\n  HostName 10.0.0.7\n  Port 2200\n  HostKeyAlias dbkey\n"
                             "Host web1\n  HostName web1.prod.example.com\n  Port 2222\n";
  ScanTarget db = plan_single("db1", config);
  CHECK(db.host_key_alias == "dbkey");
  CHECK(db.known_hosts_host == "dbkey");
  CHECK(db.known_hosts_port == 22); // ssh does not add the port to a HostKeyAlias
  ScanTarget web = plan_single("web1", config);
  CHECK(web.host_key_alias.empty());
  CHECK(web.known_hosts_host == "web1.prod.example.com"); // ssh records the HostName
  CHECK(web.known_hosts_port == 2222);
  ScanTarget v6 = plan_single("[2001:db8::1]:2200", "");
  CHECK(v6.address == "2001:db8::1");
  CHECK(v6.known_hosts_host == "2001:db8::1");
  CHECK(v6.known_hosts_port == 2200);
}

TEST_CASE("plan: reported options", "[inventory][plan]") {
  ScanTarget target = plan_single("web1", "StrictHostKeyChecking no\n"
                                          "UserKnownHostsFile ~/.ssh/kh_%h /etc/ssh/kh\n");
  CHECK(target.strict_host_key_checking == "no");
  CHECK(target.user_known_hosts_files ==
        std::vector<std::string>{"/home/alice/.ssh/kh_web1", "/etc/ssh/kh"});
  CHECK(plan_single("web1", "UserKnownHostsFile none\n").user_known_hosts_files.empty());
  CHECK_FALSE(plan_single("web1", "").strict_host_key_checking.has_value());
}

TEST_CASE("plan: the same target twice is scanned once", "[inventory][plan]") {
  std::vector<std::string> warnings;
  auto targets = plan_targets(hosts_of("web1\n10.0.0.5\nweb1:2222\nbob@10.0.0.5\n[::1]\n"
                                       "[0::1]:22\n"),
                              config_of("Host web1\n  HostName 10.0.0.5\n"), {}, &warnings);
  std::vector<std::string> names;
  for (const auto& target : targets) {
    names.push_back(target.name);
  }
  CHECK(names == std::vector<std::string>{"web1", "web1", "10.0.0.5", "::1"});
  CHECK(warnings ==
        std::vector<std::string>{"hosts.txt:2: 10.0.0.5 reaches alice@10.0.0.5:22 like hosts.txt:1 "
                                 "(web1); scanned once",
                                 "hosts.txt:6: 0::1 reaches alice@[::1]:22 like hosts.txt:5 (::1); "
                                 "scanned once"});
}

TEST_CASE("plan: unusable path tokens are reported, not fatal", "[inventory][plan]") {
  std::vector<std::string> warnings;
  auto targets =
      plan_targets(hosts_of("web1\n"),
                   config_of("IdentityFile ~/.ssh/%C\nIdentityFile ~/.ssh/ok\n"), {}, &warnings);
  REQUIRE(targets.size() == 1);
  CHECK(targets[0].identity_files == std::vector<std::string>{"/home/alice/.ssh/ok"});
  CHECK(warnings == std::vector<std::string>{
                        "hosts.txt:1: web1: unknown token %C in '~/.ssh/%C'; path not used"});
}

TEST_CASE("plan: the with-ssh-config example", "[inventory][plan]") {
  const std::string dir = std::string(DIGGER_TEST_DATA) + "/../../inventory/with-ssh-config/";
  auto hosts = load_hosts_file(dir + "hosts.txt");
  auto config = load_ssh_config(dir + "ssh_config", env);
  REQUIRE(hosts.ok());
  REQUIRE(config.ok());
  auto targets = plan_targets(hosts->entries, *config, {});
  REQUIRE(targets.size() == 6);
  CHECK(targets[0].address == "web1.prod.example.com");
  CHECK(targets[0].user == "deploy");
  CHECK(targets[0].port == 2222);
  CHECK(targets[2].user == "alice");
  CHECK(targets[3].address == "db1.db.internal");
  CHECK(targets[3].known_hosts_host == "dbfleet");
  CHECK(targets[3].identity_files ==
        std::vector<std::string>{"/home/alice/.ssh/id_ed25519_dba", "/home/alice/.ssh/id_ed25519"});
  CHECK(targets[4].port == 2201);
  CHECK(targets[5].user == "ops");
  CHECK(targets[5].connect_timeout == 10s);
  CHECK(targets[5].strict_host_key_checking == "accept-new");
}

TEST_CASE("plan: ProxyJump chains, each hop resolved through the config", "[inventory][plan]") {
  const std::string config = "Host fleet-*\n"
                             "  User ops\n"
                             "  ProxyJump b1,admin@b2:2200\n"
                             "Host b1\n"
                             "  HostName 10.1.1.1\n"
                             "  User jump\n"
                             "  IdentityFile ~/.ssh/jump_%r\n"
                             "  ConnectTimeout 7\n"
                             "  ProxyJump outer\n"
                             "Host b2\n"
                             "  HostKeyAlias b2key\n"
                             "  ProxyJump ignored-for-b2\n"
                             "Host direct\n"
                             "  ProxyJump none\n"
                             "  ProxyJump never\n";
  ScanTarget target = plan_single("fleet-1", config);
  REQUIRE(target.jump_hosts.size() == 3);
  // b1 is reached first, without -J: its own ProxyJump prepends `outer`.
  CHECK(target.jump_hosts[0].name == "outer");
  CHECK(target.jump_hosts[0].user == "alice");
  CHECK(target.jump_hosts[1].name == "b1");
  CHECK(target.jump_hosts[1].address == "10.1.1.1");
  CHECK(target.jump_hosts[1].user == "jump");
  CHECK(target.jump_hosts[1].identity_files ==
        std::vector<std::string>{"/home/alice/.ssh/jump_jump"});
  CHECK(target.jump_hosts[1].connect_timeout == 7s);
  CHECK(target.jump_hosts[1].known_hosts_host == "10.1.1.1");
  // b2 is reached with -J b1: its own ProxyJump does not apply; user and port from the list.
  CHECK(target.jump_hosts[2].name == "b2");
  CHECK(target.jump_hosts[2].user == "admin");
  CHECK(target.jump_hosts[2].port == 2200);
  CHECK(target.jump_hosts[2].known_hosts_host == "b2key");
  CHECK(target.jump_hosts[2].known_hosts_port == 22);
  CHECK(plan_single("direct", config).jump_hosts.empty());
}

TEST_CASE("plan: ProxyCommand needs the opt-in; first of ProxyJump/ProxyCommand wins",
          "[inventory][plan]") {
  const std::string config = "Host pc\n"
                             "  ProxyCommand nc -X 5 -x proxy %h %p # %r\n"
                             "  ProxyJump later\n"
                             "Host pj\n"
                             "  ProxyJump b\n"
                             "  ProxyCommand never\n"
                             "Host loop\n"
                             "  ProxyJump loop\n";
  std::vector<std::string> errors;
  auto refused = plan_targets(hosts_of("pc\n"), config_of(config), {}, nullptr, &errors);
  CHECK(refused.empty());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "hosts.txt:1: pc: ProxyCommand (cfg:2) refused: it runs a local command; "
                     "pass --allow-proxy-command to allow it");
  TargetDefaults allow;
  allow.allow_proxy_command = true;
  ScanTarget pc = plan_single("bob@pc:2222", config, allow);
  CHECK(pc.proxy_command == "nc -X 5 -x proxy pc 2222 # bob");
  CHECK(pc.jump_hosts.empty());
  ScanTarget pj = plan_single("pj", config);
  CHECK(!pj.proxy_command);
  REQUIRE(pj.jump_hosts.size() == 1);
  errors.clear();
  plan_targets(hosts_of("loop\n"), config_of(config), {}, nullptr, &errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("a loop?") != std::string::npos);
}

TEST_CASE("plan: keywords Digger does not honour are warned about once", "[inventory][plan]") {
  std::vector<std::string> warnings;
  auto targets = plan_targets(hosts_of("a\nb\n"),
                              config_of("Host *\n  CertificateFile ~/.ssh/c\n  IdentitiesOnly yes\n"
                                        "  ControlPath ~/.ssh/cm-%C\n  KexAlgorithms +x\n"),
                              {}, &warnings);
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].identities_only);
  CHECK(warnings == std::vector<std::string>{
                        "cfg:2: CertificateFile is not supported by Digger; ignored (warned once)",
                        "cfg:5: KexAlgorithms is not supported by Digger; ignored (warned once)"});
}

TEST_CASE("plan: inventory values beat the config (ansible_host, key, -J)", "[inventory][plan]") {
  InventoryEntry entry;
  entry.name = "db-primary";
  entry.address = "10.0.0.5";
  entry.identity_files = {"~/.ssh/inv_key"};
  entry.proxy_jump = "inv-bastion";
  entry.source = {"inv", 4};
  auto targets = plan_targets({entry},
                              config_of("Host 10.0.0.5\n  User pg\n  IdentityFile ~/.ssh/cfg\n"
                                        "  ProxyJump cfg-bastion\n"),
                              {});
  REQUIRE(targets.size() == 1);
  CHECK(targets[0].name == "db-primary");
  CHECK(targets[0].address == "10.0.0.5");
  CHECK(targets[0].user == "pg"); // the config is matched against ansible_host
  CHECK(targets[0].identity_files ==
        std::vector<std::string>{"/home/alice/.ssh/inv_key", "/home/alice/.ssh/cfg"});
  REQUIRE(targets[0].jump_hosts.size() == 1);
  CHECK(targets[0].jump_hosts[0].name == "inv-bastion");
}
