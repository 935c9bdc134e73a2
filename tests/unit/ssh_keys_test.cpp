#include "digger/ssh/bcrypt_pbkdf.hpp"
#include "digger/ssh/openssh_key.hpp"
#include "digger/ssh/private_key.hpp"
#include "digger/ssh/wire.hpp"

#include <catch2/catch.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

using namespace digger::ssh;

namespace {

// Test keys made with `ssh-keygen -N 'unit test'` (throw-away, authorised nowhere).
constexpr const char* encrypted_ed25519 = R"(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABDCyJrZuo
qo7uvsBewGZvtxAAAABAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIPgglkObuGcfoEAx
seEIJg3JUuU4rB1Xmp8LpleJKYCSAAAAkHZl2SVwVjqeAAhVqcUniumP1LF8VfPP7qUSOY
UXoXlKNHttm0K9GaP+0McZApIb5B9PllioxlNEdfIFJzXPVpZ1NijftQL0r12f+iLHNjsp
R7BmzoZQlmR6ngc56BxInknXJ+sLdKbxNh+zYYpXsPbqluGfSkaa11vIdDr0F27mVVMpz/
5TiYNDQX4kqComNQ==
-----END OPENSSH PRIVATE KEY-----
)";
constexpr const char* encrypted_ed25519_pub =
    "AAAAC3NzaC1lZDI1NTE5AAAAIPgglkObuGcfoEAxseEIJg3JUuU4rB1Xmp8LpleJKYCS";

constexpr const char* encrypted_ecdsa_cbc = R"(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jYmMAAAAGYmNyeXB0AAAAGAAAABC4RUEx5l
5TUg/2wdobEv+IAAAAAgAAAAEAAABoAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlz
dHAyNTYAAABBBHKEQ9+0/GIWyhGrvXp/J2Q3Ov3SxoPvlQG/7p/U0Xzf26+z5mG21bcvj4
na5btNPowiwxB6DPhLQ7UZbfrkOrQAAACgSxmvOYUtmqxsgi4B0WKZw/fj4IpJJQxXxPNu
lTlHtBoR7fiMjKhPdZdAMlIk+ejhNknno9AxA/IXdmGyv7d9fh0tER4uzSYv2j8e3q0PoO
weT+dG8vq+ipOP8OTr9B4joRpUskkubMNra1Utl+wZ8zbF6hOzHtm62linQDDMgt96Tfz1
6kwz5arYeLjQ2oTazQ9cw6VmvSiwp5kEksyIfA==
-----END OPENSSH PRIVATE KEY-----
)";
constexpr const char* encrypted_ecdsa_pub =
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHKEQ9+0/GIWyhGrvXp/J2Q3Ov3SxoPvlQG/"
    "7p/U0Xzf26+z5mG21bcvj4na5btNPowiwxB6DPhLQ7UZbfrkOrQ=";

EvpPkeyPtr generate(const char* algorithm, const char* curve = nullptr) {
  EVP_PKEY* key =
      curve != nullptr ? EVP_EC_gen(curve) : EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm);
  REQUIRE(key != nullptr);
  return adopt_evp_pkey(key);
}

std::string to_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  REQUIRE(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

// A plain openssh-key-v1 file for an Ed25519 key, built by hand from PROTOCOL.key.
std::string openssh_file_for(EVP_PKEY* key, std::uint32_t check2_delta = 0) {
  unsigned char seed[32];
  std::size_t length = sizeof seed;
  REQUIRE(EVP_PKEY_get_raw_private_key(key, seed, &length) == 1);
  std::string blob = ssh_public_blob(key).value();
  wire::Reader reader(blob);
  reader.string();
  std::string public_key(*reader.string());
  std::string section;
  wire::put_u32(section, 0x12345678);
  wire::put_u32(section, 0x12345678 + check2_delta);
  wire::put_string(section, "ssh-ed25519");
  wire::put_string(section, public_key);
  wire::put_string(section, std::string(reinterpret_cast<char*>(seed), 32) + public_key);
  wire::put_string(section, "comment");
  for (char pad = 1; section.size() % 8 != 0; ++pad) {
    section.push_back(pad);
  }
  std::string body("openssh-key-v1\0", 15);
  wire::put_string(body, "none");
  wire::put_string(body, "none");
  wire::put_string(body, "");
  wire::put_u32(body, 1);
  wire::put_string(body, blob);
  wire::put_string(body, section);
  return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + base64_encode(body, true) +
         "\n-----END OPENSSH PRIVATE KEY-----\n";
}

bool verifies(const PrivateKey& key, const std::string& data, const std::string& signature) {
  std::string der = signature;
  const EVP_MD* digest = nullptr;
  if (key.type.rfind("ecdsa-sha2-", 0) == 0) {
    wire::Reader reader(signature);
    auto r = reader.string();
    auto s = reader.string();
    REQUIRE((r && s && reader.remaining() == 0));
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig,
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(r->data()),
                             static_cast<int>(r->size()), nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(s->data()),
                             static_cast<int>(s->size()), nullptr));
    unsigned char* out = nullptr;
    int length = i2d_ECDSA_SIG(sig, &out);
    der.assign(reinterpret_cast<char*>(out), static_cast<std::size_t>(length));
    OPENSSL_free(out);
    ECDSA_SIG_free(sig);
    digest = key.type == "ecdsa-sha2-nistp384" ? EVP_sha384() : EVP_sha256();
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
  EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key.key.get());
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(der.data()),
                          der.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

} // namespace

TEST_CASE("Blowfish's initial state is pi's fractional part", "[ssh][keys]") {
  CHECK(blowfish_initial_word(0) == 0x243f6a88u);    // P[0]
  CHECK(blowfish_initial_word(17) == 0x8979fb1bu);   // P[17]
  CHECK(blowfish_initial_word(18) == 0xd1310ba6u);   // S[0][0]
  CHECK(blowfish_initial_word(1041) == 0x3ac372e6u); // S[3][255]
}

TEST_CASE("bcrypt_pbkdf refuses out-of-range arguments", "[ssh][keys]") {
  CHECK(bcrypt_pbkdf("pass", "salt", 32, 0).empty());
  CHECK(bcrypt_pbkdf("pass", "", 32, 1).empty());
  CHECK(bcrypt_pbkdf("pass", "salt", 0, 1).empty());
  CHECK(bcrypt_pbkdf("pass", "salt", 48, 1).size() == 48);
  CHECK(bcrypt_pbkdf("pass", "salt", 48, 1) != bcrypt_pbkdf("pasS", "salt", 48, 1));
}

TEST_CASE("encrypted openssh keys decrypt with the right passphrase only", "[ssh][keys]") {
  struct Case {
    const char* file;
    const char* pub;
    const char* type;
  };
  for (const Case& c : {Case{encrypted_ed25519, encrypted_ed25519_pub, "ssh-ed25519"},
                        Case{encrypted_ecdsa_cbc, encrypted_ecdsa_pub, "ecdsa-sha2-nistp256"}}) {
    INFO(c.type);
    CHECK(key_is_encrypted(c.file));
    CHECK(openssh_public_blob(c.file).value() == base64_decode(c.pub));
    auto key = parse_private_key(c.file, "unit test");
    REQUIRE(key.ok());
    CHECK(key->type == c.type);
    CHECK(key->public_blob == base64_decode(c.pub));
    CHECK(verifies(*key, "data", sign_data(*key, "data").value()));
    auto wrong = parse_private_key(c.file, "unit tesT");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error() == "wrong passphrase");
    CHECK_FALSE(parse_private_key(c.file, "").ok());
  }
}

TEST_CASE("plain openssh-key-v1 Ed25519 files parse and sign", "[ssh][keys]") {
  EvpPkeyPtr generated = generate("ED25519");
  std::string file = openssh_file_for(generated.get());
  CHECK(detect_key_encoding(file) == KeyEncoding::openssh);
  CHECK_FALSE(key_is_encrypted(file));
  auto key = parse_private_key(file, "");
  REQUIRE(key.ok());
  CHECK(key->type == "ssh-ed25519");
  CHECK(key->public_blob == ssh_public_blob(generated.get()).value());
  auto signature = sign_data(*key, "session id and request");
  REQUIRE(signature.ok());
  CHECK(signature->size() == 64);
  CHECK(verifies(*key, "session id and request", *signature));
  CHECK_FALSE(verifies(*key, "another request", *signature));
  auto corrupt = parse_private_key(openssh_file_for(generated.get(), 1), "");
  CHECK_FALSE(corrupt.ok());
}

TEST_CASE("truncated or garbage key files are refused without crashing", "[ssh][keys]") {
  EvpPkeyPtr generated = generate("ED25519");
  std::string file = openssh_file_for(generated.get());
  std::string body = base64_decode(file.substr(36, file.size() - 36 - 35));
  for (std::size_t cut = 0; cut < body.size(); cut += 7) {
    std::string truncated = "-----BEGIN OPENSSH PRIVATE KEY-----\n" +
                            base64_encode(body.substr(0, cut), true) +
                            "\n-----END OPENSSH PRIVATE KEY-----\n";
    CHECK_FALSE(parse_private_key(truncated, "x").ok());
  }
  CHECK_FALSE(parse_private_key("hello", "").ok());
  CHECK_FALSE(
      parse_private_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "").ok());
}

TEST_CASE("PEM keys parse through OpenSSL; ECDSA signatures are SSH mpints", "[ssh][keys]") {
  for (const char* curve : {"P-256", "P-384"}) {
    EvpPkeyPtr generated = generate("EC", curve);
    auto key = parse_private_key(to_pem(generated.get()), "");
    REQUIRE(key.ok());
    CHECK(key->type ==
          (std::string(curve) == "P-256" ? "ecdsa-sha2-nistp256" : "ecdsa-sha2-nistp384"));
    wire::Reader blob(key->public_blob);
    CHECK(blob.string().value() == key->type);
    CHECK(blob.string().value() == key->type.substr(11));
    CHECK(blob.string().value()[0] == '\x04'); // uncompressed point
    auto signature = sign_data(*key, "payload");
    REQUIRE(signature.ok());
    CHECK(verifies(*key, "payload", *signature));
  }
  EvpPkeyPtr rsa = adopt_evp_pkey(EVP_RSA_gen(2048));
  REQUIRE(rsa);
  auto key = parse_private_key(to_pem(rsa.get()), "");
  REQUIRE(key.ok());
  CHECK(key->type == "ssh-rsa");
}
