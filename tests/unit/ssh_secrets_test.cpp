// Secrets in memory and on disk (issue 14, item 12): moved-from secrets keep no bytes, the
// passphrase leaves the environment once read, and key files others may read are refused
// like OpenSSH refuses them.
#include "digger/ssh/auth.hpp"
#include "digger/ssh/private_key.hpp"
#include "digger/ssh/secret.hpp"
#include "digger/util/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace digger::ssh;

namespace {

// The bytes a string's buffer holds, past its size too (a short string's buffer is inside the
// object, so it stays readable after a move).
bool all_zero(const char* bytes, std::size_t count) {
  return std::all_of(bytes, bytes + count, [](char c) { return c == '\0'; });
}

std::string ed25519_pem() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  REQUIRE(key != nullptr);
  EvpPkeyPtr owned = adopt_evp_pkey(key);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  REQUIRE(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

struct KeyDir {
  digger::util::TempDir dir{"digger-keyperm"};
  std::string key(mode_t mode) const {
    const std::string file = dir.file("id_ed25519");
    std::ofstream(file) << ed25519_pem();
    REQUIRE(::chmod(file.c_str(), mode) == 0);
    return file;
  }
};

KeyRing ring_with(const std::string& file) {
  KeyRingOptions options;
  options.use_agent = false;
  options.default_identity_files = false;
  options.identity_files = {file};
  return KeyRing::load(options);
}

} // namespace

TEST_CASE("a moved-from SecretString keeps none of its bytes", "[ssh][secrets]") {
  SECTION("short secrets live inside the object: the move must wipe them") {
    SecretString source(std::string("hunter2"));
    const char* inside = source.get().data();
    const std::size_t capacity = source.get().capacity();
    SecretString target(std::move(source));
    CHECK(target.get() == "hunter2");
    CHECK(source.get().empty()); // NOLINT(bugprone-use-after-move): that is the point
    CHECK(all_zero(inside, capacity));
  }
  SECTION("move assignment wipes the source") {
    SecretString target(std::string("old-secret"));
    SecretString source(std::string("new-secret"));
    const char* source_bytes = source.get().data();
    target = std::move(source);
    CHECK(target.get() == "new-secret");
    CHECK(all_zero(source_bytes, 10));
  }
  SECTION("the string a secret is made from is wiped") {
    std::string clear = "pass";
    const char* bytes = clear.data();
    SecretString secret(std::move(clear));
    CHECK(secret.get() == "pass");
    CHECK(all_zero(bytes, 4));
  }
  SECTION("wipe clears a long string's whole buffer") {
    std::string text(100, 'x');
    text.resize(10); // 90 bytes past the size still hold 'x'
    const char* bytes = text.data();
    SecretString::wipe(text);
    CHECK(text.empty());
    CHECK(all_zero(bytes, 100));
  }
}

TEST_CASE("DIGGER_KEY_PASSPHRASE is read once and leaves the environment", "[ssh][secrets]") {
  REQUIRE(::setenv("DIGGER_KEY_PASSPHRASE", "pass phrase", 1) == 0);
  PassphraseProvider provider = default_passphrase_provider();
  CHECK(std::getenv("DIGGER_KEY_PASSPHRASE") == nullptr);
  // Every encrypted key of the scan still gets it.
  for (const char* key : {"/k/one", "/k/two"}) {
    auto given = provider(key);
    REQUIRE(given.has_value());
    CHECK(given->get() == "pass phrase");
  }
}

TEST_CASE("key files readable by group or others are refused like OpenSSH",
          "[ssh][secrets][keys]") {
  KeyDir dir;
  for (mode_t mode : {0644, 0640, 0604, 0660}) {
    INFO("mode " << std::oct << mode);
    const std::string file = dir.key(mode);
    KeyRing ring = ring_with(file);
    CHECK(ring.identities_for({}).empty());
    REQUIRE(ring.warnings().size() == 1);
    CHECK(ring.warnings()[0].find("UNPROTECTED PRIVATE KEY FILE") != std::string::npos);
    CHECK(ring.warnings()[0].find(file) != std::string::npos);
  }
  for (mode_t mode : {0600, 0400}) {
    INFO("mode " << std::oct << mode);
    KeyRing ring = ring_with(dir.key(mode));
    CHECK(ring.identities_for({}).size() == 1);
    CHECK(ring.warnings().empty());
  }
}
