#include "digger/inventory/ssh_config.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

using namespace digger::inventory;
using namespace std::chrono_literals;

namespace {
const LocalEnvironment env{"/home/alice", "alice", "laptop"};

SshConfig config_of(const std::string& text, const IncludeReader& reader = {}) {
  auto parsed = parse_ssh_config(text, "cfg", env, reader);
  INFO(text);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}
std::string error_of(const std::string& text, const IncludeReader& reader = {}) {
  auto parsed = parse_ssh_config(text, "cfg", env, reader);
  INFO(text);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error();
}

// Include globs answered from memory; records what was asked.
struct FakeFiles {
  std::map<std::string, std::vector<ConfigFile>> by_glob;
  std::vector<std::string> asked;
  IncludeReader reader() {
    return [this](const std::string& glob) -> digger::util::Result<std::vector<ConfigFile>> {
      asked.push_back(glob);
      auto it = by_glob.find(glob);
      return it == by_glob.end() ? std::vector<ConfigFile>{} : it->second;
    };
  }
};
} // namespace

TEST_CASE("ssh_config: the first value obtained wins", "[inventory][ssh_config]") {
  SshConfig config = config_of("Host web1\n"
                               "  Port 2201\n"
                               "  Port 2299\n"
                               "Host web*\n"
                               "  User web\n"
                               "  Port 2202\n"
                               "Host *\n"
                               "  User ops\n"
                               "  Port 22\n"
                               "  HostName fallback.example.com\n");
  ResolvedHost web1 = resolve(config, "web1");
  CHECK(web1.port == 2201);
  CHECK(web1.user == "web");
  CHECK(web1.hostname == "fallback.example.com");
  ResolvedHost web2 = resolve(config, "web2");
  CHECK(web2.port == 2202);
  CHECK(web2.user == "web");
  ResolvedHost db = resolve(config, "db1");
  CHECK(db.port == 22);
  CHECK(db.user == "ops");
}

TEST_CASE("ssh_config: Host patterns", "[inventory][ssh_config]") {
  struct Row {
    const char* patterns;
    const char* host;
    bool applies;
  };
  auto row = GENERATE(values<Row>({
      {"web1", "web1", true},
      {"web1", "WEB1", false}, // case-sensitive, as `ssh -G WEB1` shows
      {"Web1", "web1", false},
      {"WEB1", "WEB1", true},
      {"web?", "web1", true},
      {"web?", "web10", false},
      {"*.example.com", "a.example.com", true},
      {"db1 web1", "web1", true}, // several patterns on a line
      {"*.example.com !bastion.example.com", "bastion.example.com", false},
      {"!bastion.example.com *.example.com", "bastion.example.com", false},
      {"*.example.com !bastion.example.com", "web.example.com", true},
      {"!bastion", "web1", false}, // a negation alone never matches
      {"\"web1\"", "web1", true},
      {"2001:db8::*", "2001:db8::1", true},
  }));
  SshConfig config = config_of(std::string("Host ") + row.patterns + "\n  Port 2222\n");
  INFO(row.patterns << " / " << row.host);
  CHECK(resolve(config, row.host).port.has_value() == row.applies);
}

TEST_CASE("ssh_config: syntax like readconf.c", "[inventory][ssh_config]") {
  SshConfig config = config_of("# comment\n"
                               "\n"
                               "HOST=web1\n"
                               "  PORT=2200\n"
                               "  user = bob\n"
                               "\tHostName\t\"10.0.0.9\"   # trailing comment\n"
                               "  IdentityFile \"~/keys/my key\"\n"
                               "  IdentityFile ~/keys/other\\ key\n"
                               "  ConnectTimeout 1m30s\n"
                               "  HostKeyAlias web1-key\n"
                               "  StrictHostKeyChecking Accept-New\n"
                               "  UserKnownHostsFile ~/.ssh/kh1 %d/kh2\n"
                               "  UserKnownHostsFile ~/.ssh/ignored\n"
                               "  ForwardAgent yes\n"
                               "  NoSuchKeyword whatever\n"
                               "  RemoteCommand echo it's \"raw\n"
                               "  ProxyCommand=nc %h %p\n");
  ResolvedHost host = resolve(config, "web1");
  CHECK(host.port == 2200);
  CHECK(host.user == "bob");
  CHECK(host.hostname == "10.0.0.9");
  CHECK(host.identity_files == std::vector<std::string>{"~/keys/my key", "~/keys/other key"});
  CHECK(host.connect_timeout == 90s);
  CHECK(host.host_key_alias == "web1-key");
  CHECK(host.strict_host_key_checking == "accept-new");
  CHECK(host.user_known_hosts_files == std::vector<std::string>{"~/.ssh/kh1", "%d/kh2"});
  CHECK(config.warnings.empty());
  CHECK_FALSE(resolve(config, "web2").port.has_value());
}

TEST_CASE("ssh_config: HostName %h and IdentityFile accumulation", "[inventory][ssh_config]") {
  SshConfig config = config_of("Host web*\n"
                               "  HostName %h.prod.example.com\n"
                               "  IdentityFile ~/.ssh/id_web\n"
                               "Host *\n"
                               "  HostName 100%%-%h\n"
                               "  IdentityFile ~/.ssh/id_ed25519\n"
                               "  IdentityFile ~/.ssh/id_web\n");
  ResolvedHost web = resolve(config, "web7");
  CHECK(web.hostname == "web7.prod.example.com");
  CHECK(resolve(config, "WeB7").hostname == "100%-web7"); // "Host web*" is case-sensitive
  CHECK(web.identity_files == std::vector<std::string>{"~/.ssh/id_web", "~/.ssh/id_ed25519"});
  CHECK(resolve(config, "db").hostname == "100%-db");
}

TEST_CASE("ssh_config: Match", "[inventory][ssh_config]") {
  SshConfig config = config_of("Host web1\n"
                               "  HostName web1.prod.example.com\n"
                               "Match host *.prod.example.com\n"
                               "  Port 2201\n"
                               "Match originalhost web1 user root\n"
                               "  IdentityFile ~/.ssh/root_key\n"
                               "Match !originalhost web1,web2 localuser alice\n"
                               "  Port 2203\n"
                               "Match exec \"test -f /tmp/x\"\n"
                               "  Port 2204\n"
                               "Match all\n"
                               "  User everyone\n"
                               "  Port 2205\n");
  CHECK(config.warnings ==
        std::vector<std::string>{"cfg:9: Match exec is not supported; the block is skipped"});
  ResolvedHost web1 = resolve(config, "web1");
  CHECK(web1.port == 2201); // Match host sees the HostName obtained so far
  CHECK(web1.user == "everyone");
  CHECK(web1.identity_files.empty());
  CHECK(resolve(config, "web1", std::string("root")).identity_files ==
        std::vector<std::string>{"~/.ssh/root_key"});
  CHECK(resolve(config, "web2").port == 2205);
  CHECK(resolve(config, "db1").port == 2203);
  CHECK(resolve(config, "x.prod.example.com").port == 2201);
}

TEST_CASE("ssh_config: Match user sees the user obtained so far", "[inventory][ssh_config]") {
  SshConfig config = config_of("Host a\n  User deploy\n"
                               "Match user deploy\n  Port 2001\n"
                               "Match user alice\n  Port 2002\n");
  CHECK(resolve(config, "a").port == 2001);
  CHECK(resolve(config, "b").port == 2002);                           // the local user
  CHECK(resolve(config, "a", std::string("alice")).port == 2002);     // hosts.txt user wins
  CHECK(resolve(config, "a", std::string("alice")).user == "deploy"); // kept for the record
}

TEST_CASE("ssh_config: Include", "[inventory][ssh_config]") {
  FakeFiles files;
  files.by_glob["/home/alice/.ssh/conf.d/*"] = {
      {"/home/alice/.ssh/conf.d/a", "Host db*\n  Port 3306\n"},
      {"/home/alice/.ssh/conf.d/b", "User from-b\n"}, // top of file: inherits the Include state
  };
  files.by_glob["/etc/ssh/extra"] = {{"/etc/ssh/extra", "Port 2222\n"}};
  files.by_glob["/home/alice/cfg/inner"] = {{"/home/alice/cfg/inner", "Port 2999\n"}};
  SshConfig config = config_of("Include conf.d/*\n"
                               "Host web1\n"
                               "  Include /etc/ssh/extra ~/cfg/inner\n"
                               "Host *\n"
                               "  User last\n"
                               "  Port 22\n",
                               files.reader());
  CHECK(files.asked == std::vector<std::string>{"/home/alice/.ssh/conf.d/*", "/etc/ssh/extra",
                                                "/home/alice/cfg/inner"});
  CHECK(resolve(config, "db1").port == 3306);
  CHECK(resolve(config, "db1").user == "from-b");
  CHECK(resolve(config, "web1").port == 2222);
  CHECK(resolve(config, "web2").port == 22); // the Include inside "Host web1" does not apply
  CHECK(resolve(config, "web2").user == "from-b");
}

TEST_CASE("ssh_config: a Host inside an Include ends with the file", "[inventory][ssh_config]") {
  FakeFiles files;
  files.by_glob["/home/alice/.ssh/inc"] = {{"inc", "Host nothing-matches\n  Port 1\n"}};
  SshConfig config = config_of("Host web1\n  Include inc\n  Port 2022\n", files.reader());
  CHECK(resolve(config, "web1").port == 2022);
  CHECK_FALSE(resolve(config, "web2").port.has_value());
}

TEST_CASE("ssh_config: Include depth and errors", "[inventory][ssh_config]") {
  FakeFiles files;
  files.by_glob["/home/alice/.ssh/loop"] = {{"loop", "Include loop\n"}};
  CHECK(error_of("Include loop\n", files.reader()) ==
        "loop:1: Include nested deeper than 16 levels");
  files.by_glob["/home/alice/.ssh/bad"] = {{"bad", "\n\nPort many\n"}};
  CHECK(error_of("Include bad\n", files.reader()) == "bad:3: Port: bad port 'many'");
  CHECK(error_of("Include\n", files.reader()) == "cfg:1: Include: missing argument");
  auto failing = [](const std::string&) -> digger::util::Result<std::vector<ConfigFile>> {
    return digger::util::Error{"cannot open x: Permission denied"};
  };
  CHECK(error_of("\nInclude x\n", failing) == "cfg:2: Include: cannot open x: Permission denied");
  SshConfig without_reader = config_of("Include x\n");
  CHECK(without_reader.warnings == std::vector<std::string>{"cfg:1: Include is not followed here"});
}

TEST_CASE("ssh_config: errors name file and line", "[inventory][ssh_config]") {
  struct Row {
    const char* text;
    const char* message;
  };
  auto row = GENERATE(values<Row>({
      {"Host x\n  Port abc\n", "cfg:2: Port: bad port 'abc'"},
      {"Port 0\n", "cfg:1: Port: bad port '0'"},
      {"Port 70000\n", "cfg:1: Port: bad port '70000'"},
      {"port\n", "cfg:1: port: missing argument"},
      {"User a b\n", "cfg:1: User: garbage at end of line: 'b'"},
      {"ConnectTimeout 5x\n", "cfg:1: ConnectTimeout: bad time '5x'"},
      {"StrictHostKeyChecking maybe\n",
       "cfg:1: StrictHostKeyChecking: bad StrictHostKeyChecking 'maybe'"},
      {"Host\n", "cfg:1: Host: Host needs non-empty patterns"},
      {"Host \"\"\n", "cfg:1: Host: Host needs non-empty patterns"},
      {"HostName \"web1\n", "cfg:1: unterminated quote"},
      {"Match\n", "cfg:1: Match: missing criteria"},
      {"Match host\n", "cfg:1: Match: missing argument for 'host'"},
      {"Match all host x\n", "cfg:1: Match: 'all' cannot be combined with other Match attributes"},
  }));
  CHECK(error_of(row.text) == row.message);
}

TEST_CASE("ssh durations", "[inventory][ssh_config]") {
  CHECK(parse_ssh_duration("90") == 90s);
  CHECK(parse_ssh_duration("1m30s") == 90s);
  CHECK(parse_ssh_duration("2H") == 7200s);
  CHECK(parse_ssh_duration("1w1d") == std::chrono::seconds(8 * 86400));
  CHECK(parse_ssh_duration("0") == 0s);
  CHECK_FALSE(parse_ssh_duration(""));
  CHECK_FALSE(parse_ssh_duration("m"));
  CHECK_FALSE(parse_ssh_duration("5y"));
  CHECK_FALSE(parse_ssh_duration("99999999999999999999"));
}

TEST_CASE("path tokens", "[inventory][ssh_config]") {
  TokenValues values{"web1.example.com", "deploy", 2222, "web1"};
  CHECK(*expand_path("~/.ssh/id_%r@%h:%p", env, values) ==
        "/home/alice/.ssh/id_deploy@web1.example.com:2222");
  CHECK(*expand_path("%d/%u/%l/%n/100%%", env, values) == "/home/alice/alice/laptop/web1/100%");
  CHECK(*expand_path("~", env, values) == "/home/alice");
  CHECK(*expand_path("~bob/key", env, values) == "~bob/key");
  CHECK(*expand_path("/abs/~/x", env, values) == "/abs/~/x");
  CHECK(expand_path("~/id_%C", env, values).error() == "unknown token %C in '~/id_%C'");
  CHECK(expand_path("key%", env, values).error() == "'key%' ends with '%'");
}

TEST_CASE("ssh_config: files and Include globs on disk", "[inventory][ssh_config]") {
  namespace fs = std::filesystem;
  fs::path home = fs::temp_directory_path() / ("digger-ssh-config-" + std::to_string(::getpid()));
  fs::create_directories(home / ".ssh" / "conf.d");
  auto write = [](const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  };
  write(home / ".ssh" / "config", "Include conf.d/*.conf\nHost *\n  Port 22\n");
  write(home / ".ssh" / "conf.d" / "20-web.conf", "Host web*\n  Port 2020\n  User second\n");
  write(home / ".ssh" / "conf.d" / "10-all.conf", "Host web1\n  Port 1010\n");
  write(home / ".ssh" / "conf.d" / "ignored.txt", "Port 9999\n");
  const LocalEnvironment local{home.string(), "alice", "laptop"};

  auto config = load_ssh_config(home / ".ssh" / "config", local);
  REQUIRE(config.ok());
  CHECK(resolve(*config, "web1").port == 1010); // 10-all.conf is read before 20-web.conf
  CHECK(resolve(*config, "web1").user == "second");
  CHECK(resolve(*config, "web2").port == 2020);
  CHECK(resolve(*config, "db").port == 22);

  write(home / ".ssh" / "conf.d" / "30-bad.conf", "\nPort x\n");
  auto bad = load_ssh_config(home / ".ssh" / "config", local);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error() ==
        (home / ".ssh" / "conf.d" / "30-bad.conf").string() + ":2: Port: bad port 'x'");
  auto missing = load_ssh_config(home / "nope", local);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error() ==
        "cannot open " + (home / "nope").string() + ": No such file or directory");
  fs::remove_all(home);
}

TEST_CASE("the local environment", "[inventory][ssh_config]") {
  LocalEnvironment local = current_environment();
  CHECK_FALSE(local.user.empty());
  CHECK_FALSE(local.home.empty());
  CHECK(local.home.back() != '/');
  CHECK_FALSE(local.hostname.empty());
}

TEST_CASE("ssh_config: letter case as `ssh -G` (OpenSSH 9.2) resolves it",
          "[inventory][ssh_config]") {
  struct Row {
    const char* config;
    const char* host;
    std::optional<int> port; // what `ssh -G -F config host` printed (22 = not set here)
    const char* hostname;
  };
  auto row = GENERATE(values<Row>({
      {"Host WEB1\n Port 1\n", "WEB1", 1, "web1"},
      {"Host WEB1\n Port 1\n", "web1", {}, "web1"},
      {"Host web1\n Port 1\n", "WEB1", {}, "web1"},
      {"Match originalhost web1\n Port 1\n", "WEB1", 1, "web1"},
      {"Match originalhost WEB1\n Port 1\n", "web1", 1, "web1"},
      {"Match host web1\n Port 1\n", "WEB1", 1, "web1"},
      {"Match host WEB1\n Port 1\n", "WEB1", 1, "web1"},
      {"Host web1\n HostName WEB1.x\nMatch host web1.x\n Port 1\n", "web1", 1, "web1.x"},
      {"Host *\n HostName %h.x\n", "WeB1", {}, "web1.x"},
  }));
  INFO(row.config << " / " << row.host);
  SshConfig config = config_of(row.config);
  ResolvedHost resolved = resolve(config, row.host);
  CHECK(resolved.port == row.port);
  CHECK(resolved.hostname.value_or(digger::inventory::normalized_host(row.host)) == row.hostname);
}
