#include "digger/ssh/known_hosts.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include <fstream>
#include <map>
#include <sstream>

using namespace digger::ssh;

namespace {
const std::string data_dir = std::string(DIGGER_TEST_DATA) + "/known_hosts/";

std::string read_file(const std::string& name) {
  std::ifstream in(data_dir + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Decodes with OpenSSL, not with the code under test.
std::string decode_base64(const std::string& text) {
  std::string out(text.size(), '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(text.data()),
                               static_cast<int>(text.size()));
  REQUIRE(length >= 0);
  size_t padding = text.size() - text.find_last_not_of('=') - 1;
  out.resize(static_cast<size_t>(length) - padding);
  return out;
}

// "ssh-ed25519 AAAA... comment" from a .pub file.
HostKey load_key(const std::string& name) {
  std::istringstream line(read_file(name + ".pub"));
  std::string type;
  std::string base64;
  line >> type >> base64;
  return HostKey{type, decode_base64(base64)};
}

std::string pub_line_fields(const std::string& name) {
  std::istringstream line(read_file(name + ".pub"));
  std::string type;
  std::string base64;
  line >> type >> base64;
  return type + " " + base64;
}

KnownHosts load(const std::string& name) {
  KnownHosts known;
  known.add_text(read_file(name), name);
  return known;
}
} // namespace

TEST_CASE("fingerprints equal `ssh-keygen -lf`", "[ssh][known_hosts]") {
  // Printed by ssh-keygen -lf (OpenSSH 9.2p1) when the fixtures were made.
  auto [name, expected] = GENERATE(table<std::string, std::string>({
      {"ed25519_a", "SHA256:tECSL77FQfc5cG8Ey1k6hgyHZO2LMFuXqB1KUSWx1Q0"},
      {"ed25519_b", "SHA256:sTRfXxewzxebkTxQWSUE8daBFMZ7ZlFgpBum8N9j+68"},
      {"ed25519_revoked", "SHA256:9CfCK6MTOEhB8s7c7Fb6FfprBSopTLvoMF/UR/ccJBU"},
      {"ed25519_ca", "SHA256:44zoVMeunPbsdoGjGAO/0k0XMjKSImXukgs33/z6y2w"},
      {"ecdsa_a", "SHA256:3gKn+YOU/2//8ui1+TWmwjLYuR5uFsruMNFMeii8QZs"},
      {"ecdsa384_c", "SHA256:+tPdmFHkiOYgDGpESurHm3HIRhgqAkQxMO7fAnvsE1U"},
      {"rsa_a", "SHA256:Qu9BLcU2sAx56bKCyNlNIOkxJiOTUtqqFYMs46qDYiY"},
  }));
  CHECK(fingerprint_sha256(load_key(name)) == expected);
}

TEST_CASE("known_hosts verdicts on plain entries", "[ssh][known_hosts]") {
  KnownHosts known = load("plain.known_hosts");
  struct Row {
    const char* host;
    int port;
    const char* key;
    HostKeyVerdict verdict;
  };
  auto row = GENERATE(values<Row>({
      {"web1.example.com", 22, "ed25519_a", HostKeyVerdict::known},
      {"web1.example.com", 22, "ecdsa_a", HostKeyVerdict::known},
      {"web1.example.com", 22, "ed25519_b", HostKeyVerdict::changed},
      {"web1.example.com", 22, "rsa_a", HostKeyVerdict::known_other_type},
      {"web1.example.com", 2222, "ed25519_a", HostKeyVerdict::unknown}, // no bare-name fallback
      {"10.0.0.5", 22, "ed25519_a", HostKeyVerdict::known},             // second name of a list
      {"10.0.0.5", 22, "ecdsa_a", HostKeyVerdict::known_other_type},
      {"web2.example.com", 2222, "ecdsa_a", HostKeyVerdict::known},
      {"web2.example.com", 2222, "rsa_a", HostKeyVerdict::known_other_type},
      {"web2.example.com", 22, "rsa_a", HostKeyVerdict::known},
      {"web2.example.com", 22, "ecdsa_a", HostKeyVerdict::known_other_type},
      {"x.db.example.com", 22, "ed25519_b", HostKeyVerdict::known}, // wildcard
      {"x.db.example.com", 22, "ed25519_a", HostKeyVerdict::changed},
      // Negation: the plain *.db line does not match; the *.example.com CA line does.
      {"secret.db.example.com", 22, "ed25519_b", HostKeyVerdict::cert_authority_only},
      {"app1.example.com", 22, "ed25519_a", HostKeyVerdict::known}, // '?'
      {"app12.example.com", 22, "ed25519_a", HostKeyVerdict::cert_authority_only},
      {"old.example.com", 22, "ed25519_revoked", HostKeyVerdict::revoked}, // despite a plain line
      {"anything.example.org", 22, "ed25519_revoked", HostKeyVerdict::revoked},
      // A CA never makes a key known: the host is one whose certificate cannot be checked.
      {"new.example.com", 22, "ed25519_ca", HostKeyVerdict::cert_authority_only},
      {"new.example.org", 22, "ed25519_a", HostKeyVerdict::unknown}, // outside the CA's pattern
      {"2001:db8::1", 2200, "ed25519_a", HostKeyVerdict::known},
      {"2001:db8::1", 22, "ed25519_a", HostKeyVerdict::unknown},
      {"2001:db8::2", 22, "ed25519_a", HostKeyVerdict::known},
      {"2001:DB8::2", 22, "ed25519_a", HostKeyVerdict::known},
      {"mixed.example.com", 22, "ed25519_a", HostKeyVerdict::known},
      {"MIXED.example.COM", 22, "ed25519_a", HostKeyVerdict::known},
      {"crlf.example.com", 22, "ecdsa384_c", HostKeyVerdict::known},
      {"example.com", 22, "ed25519_a", HostKeyVerdict::unknown},
  }));
  INFO(row.host << ":" << row.port << " " << row.key);
  CHECK(known.check(row.host, row.port, load_key(row.key)).verdict == row.verdict);
}

TEST_CASE("known_hosts check details name the line and fingerprints", "[ssh][known_hosts]") {
  KnownHosts known = load("plain.known_hosts");
  const std::string a = "SHA256:tECSL77FQfc5cG8Ey1k6hgyHZO2LMFuXqB1KUSWx1Q0";
  const std::string b = "SHA256:sTRfXxewzxebkTxQWSUE8daBFMZ7ZlFgpBum8N9j+68";
  CHECK(known.check("web1.example.com", 22, load_key("ed25519_a")).detail ==
        "plain.known_hosts:2 has ssh-ed25519 " + a);
  CHECK(known.check("web1.example.com", 22, load_key("ed25519_b")).detail ==
        "plain.known_hosts:2 has ssh-ed25519 " + a + "; the server sent " + b);
  CHECK(known.check("web2.example.com", 2222, load_key("rsa_a")).detail ==
        "plain.known_hosts:4 has ecdsa-sha2-nistp256 "
        "SHA256:3gKn+YOU/2//8ui1+TWmwjLYuR5uFsruMNFMeii8QZs; the server sent ssh-rsa "
        "SHA256:Qu9BLcU2sAx56bKCyNlNIOkxJiOTUtqqFYMs46qDYiY");
  CHECK(known.check("old.example.com", 22, load_key("ed25519_revoked")).detail ==
        "plain.known_hosts:8 marks ssh-ed25519 SHA256:9CfCK6MTOEhB8s7c7Fb6FfprBSopTLvoMF/UR/"
        "ccJBU as @revoked");
  CHECK(known.check("web9.example.com", 2222, load_key("ed25519_a")).detail ==
        "no entry for [web9.example.com]:2222; the server sent ssh-ed25519 " + a);
}

TEST_CASE("known_hosts recorded key types", "[ssh][known_hosts]") {
  KnownHosts known = load("plain.known_hosts");
  using Types = std::vector<std::string>;
  CHECK(known.key_types_for("web1.example.com", 22) == Types{"ssh-ed25519", "ecdsa-sha2-nistp256"});
  CHECK(known.key_types_for("WEB1.example.com", 22) == Types{"ssh-ed25519", "ecdsa-sha2-nistp256"});
  CHECK(known.key_types_for("web2.example.com", 2222) == Types{"ecdsa-sha2-nistp256"});
  CHECK(known.key_types_for("web2.example.com", 22) == Types{"ssh-rsa"});
  CHECK(known.key_types_for("old.example.com", 22) == Types{"ssh-ed25519"});
  CHECK(known.key_types_for("secret.db.example.com", 22).empty()); // only @revoked, CA match
  CHECK(known.key_types_for("2001:db8::1", 2200) == Types{"ssh-ed25519"});
}

TEST_CASE("known_hosts hashed names from ssh-keygen -H", "[ssh][known_hosts]") {
  KnownHosts known = load("hashed.known_hosts");
  CHECK(known.warnings().empty());
  struct Row {
    const char* host;
    int port;
    const char* key;
    HostKeyVerdict verdict;
  };
  auto row = GENERATE(values<Row>({
      {"hashed.example.com", 22, "ed25519_a", HostKeyVerdict::known},
      {"Hashed.Example.com", 22, "ed25519_a", HostKeyVerdict::known},
      {"hashed.example.com", 22, "ed25519_b", HostKeyVerdict::changed},
      {"hashed.example.com", 22, "ecdsa384_c", HostKeyVerdict::known_other_type},
      {"hashed.example.com", 2200, "ecdsa384_c", HostKeyVerdict::known},
      {"hashed.example.com", 2200, "ed25519_a", HostKeyVerdict::known_other_type},
      {"hashed.example.com", 2201, "ecdsa384_c", HostKeyVerdict::unknown},
      {"10.1.2.3", 22, "ed25519_b", HostKeyVerdict::known},
      {"10.1.2.3", 22, "ed25519_a", HostKeyVerdict::changed},
      {"other.example.com", 22, "ed25519_a", HostKeyVerdict::unknown},
  }));
  INFO(row.host << ":" << row.port << " " << row.key);
  CHECK(known.check(row.host, row.port, load_key(row.key)).verdict == row.verdict);
  CHECK(known.key_types_for("hashed.example.com", 2200) ==
        std::vector<std::string>{"ecdsa-sha2-nistp384"});
}

TEST_CASE("known_hosts skips bad lines with file:line", "[ssh][known_hosts]") {
  KnownHosts known = load("bad-lines.known_hosts");
  CHECK(known.warnings() ==
        std::vector<std::string>{
            "bad-lines.known_hosts:2: missing key; line skipped",
            "bad-lines.known_hosts:3: unknown marker '@foo'; line skipped",
            "bad-lines.known_hosts:4: bad base64 key; line skipped",
            "bad-lines.known_hosts:5: key type 'ssh-rsa' does not match the key ('ssh-ed25519'); "
            "line skipped",
            "bad-lines.known_hosts:6: SSH-1 keys are not supported; line skipped",
            "bad-lines.known_hosts:7: unknown hashed-name format; line skipped",
            "bad-lines.known_hosts:8: bad hashed name; line skipped",
            "bad-lines.known_hosts:9: missing key; line skipped",
        });
  CHECK(known.check("good.example.com", 22, load_key("ed25519_a")).verdict ==
        HostKeyVerdict::known);
  CHECK(known.check("bad3.example.com", 22, load_key("ed25519_a")).verdict ==
        HostKeyVerdict::unknown);
}

TEST_CASE("a host known only through @cert-authority says so, with the line",
          "[ssh][known_hosts]") {
  KnownHosts known = load("plain.known_hosts");
  auto check = known.check("build7.example.com", 22, load_key("ed25519_b"));
  CHECK(check.verdict == HostKeyVerdict::cert_authority_only);
  CHECK(check.detail.find("plain.known_hosts:10 names a @cert-authority for "
                          "build7.example.com") != std::string::npos);
  // A plain entry wins over the CA line: the key is simply known, or changed.
  CHECK(known.check("web1.example.com", 22, load_key("ed25519_a")).verdict ==
        HostKeyVerdict::known);
  CHECK(known.check("web1.example.com", 22, load_key("ed25519_b")).verdict ==
        HostKeyVerdict::changed);
}

TEST_CASE("known_hosts warns once about @cert-authority", "[ssh][known_hosts]") {
  KnownHosts known = load("plain.known_hosts");
  known.add_text("@cert-authority * " + pub_line_fields("ed25519_ca") + "\n", "second");
  CHECK(known.warnings() ==
        std::vector<std::string>{"plain.known_hosts:10: @cert-authority: libssh2 1.10 cannot "
                                 "verify host certificates; hosts known only through a "
                                 "certificate authority are refused (record their own keys)"});
}

TEST_CASE("known_hosts survives hostile input", "[ssh][known_hosts]") {
  const std::string ed = pub_line_fields("ed25519_a");
  const std::string blob_b64 = ed.substr(ed.find(' ') + 1);
  auto [text, warning] = GENERATE_COPY(table<std::string, std::string>({
      {"@revoked", "x:1: missing key; line skipped"},
      {"@revoked host", "x:1: missing key; line skipped"},
      {"|1| ssh-ed25519 " + blob_b64, "x:1: bad hashed name; line skipped"},
      {"|1||| ssh-ed25519 " + blob_b64, "x:1: bad hashed name; line skipped"},
      {"h ssh-ed25519 AAAA", "x:1: key type 'ssh-ed25519' does not match the key ('unreadable'); "
                             "line skipped"},
      {"h ssh-ed25519 AAAAAAAA", "x:1: key type 'ssh-ed25519' does not match the key "
                                 "('unreadable'); line skipped"},
      {"h ssh-ed25519 /////w==", "x:1: key type 'ssh-ed25519' does not match the key "
                                 "('unreadable'); line skipped"},
      {"h ssh-ed25519 " + blob_b64 + "=", "x:1: bad base64 key; line skipped"},
      {"h ssh-ed25519 " + blob_b64.substr(0, 10) + "!" + blob_b64.substr(11),
       "x:1: bad base64 key; line skipped"},
      {"h ssh-ed25519 " + std::string(70000, 'A'), "x:1: line longer than 65536 bytes; line "
                                                   "skipped"},
  }));
  KnownHosts known;
  known.add_text(text, "x");
  CHECK(known.warnings() == std::vector<std::string>{warning});
  CHECK(known.key_types_for("h", 22).empty());
}

TEST_CASE("known_hosts: comments, blank lines, several files", "[ssh][known_hosts]") {
  const std::string ed = pub_line_fields("ed25519_a");
  KnownHosts known;
  known.add_text("# comment\n\n   \n\t# indented\nfirst " + ed + " trailing comment words\n",
                 "one");
  known.add_text("\n!nowhere " + ed + "\nsecond " + ed, "two");
  CHECK(known.warnings().empty());
  CHECK(known.check("first", 22, load_key("ed25519_a")).detail.rfind("one:5 has", 0) == 0);
  CHECK(known.check("second", 22, load_key("ed25519_a")).detail.rfind("two:3 has", 0) == 0);
  CHECK(known.check("nowhere", 22, load_key("ed25519_a")).verdict == HostKeyVerdict::unknown);
  CHECK(known.check("first", 0, load_key("ed25519_a")).verdict == HostKeyVerdict::known);
}

TEST_CASE("known_hosts entries for accepted keys", "[ssh][known_hosts]") {
  HostKey key = load_key("ed25519_a");
  CHECK(KnownHosts::format_entry("web9.example.com", 22, key) ==
        "web9.example.com " + pub_line_fields("ed25519_a") + "\n");
  CHECK(KnownHosts::format_entry("Web9.Example.com", 2222, key) ==
        "[web9.example.com]:2222 " + pub_line_fields("ed25519_a") + "\n");
  CHECK(KnownHosts::format_entry("2001:db8::9", 2200, load_key("rsa_a")) ==
        "[2001:db8::9]:2200 " + pub_line_fields("rsa_a") + "\n");

  KnownHosts known;
  known.add_text(KnownHosts::format_entry("web9.example.com", 2222, key), "digger_known_hosts");
  CHECK(known.check("web9.example.com", 2222, key).verdict == HostKeyVerdict::known);
  CHECK(known.warnings().empty());

  for (const char* bad :
       {"", "a b", "a,b", "*.example.com", "!x", "#x", "@revoked", "|1|x", "a\nb"}) {
    INFO(bad);
    CHECK_THROWS_AS(KnownHosts::format_entry(bad, 22, key), std::invalid_argument);
  }
  CHECK_THROWS_AS(KnownHosts::format_entry("h", 22, HostKey{"ssh-ed25519", ""}),
                  std::invalid_argument);
}
