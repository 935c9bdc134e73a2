// RSA identities: the signature algorithm read from the request libssh2 signs, the hash that
// follows from it, the agent's flags, and the reason given when a server refuses ssh-rsa.
#include "digger/ssh/agent.hpp"
#include "digger/ssh/auth.hpp"
#include "digger/ssh/private_key.hpp"
#include "digger/ssh/wire.hpp"

#include <catch2/catch.hpp>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

using namespace digger::ssh;

namespace {

// What libssh2 hands to the sign callback: string(session id) then the USERAUTH_REQUEST.
std::string userauth_request(std::string_view algorithm, std::string_view blob) {
  std::string data;
  wire::put_string(data, std::string(32, 'i'));
  data.push_back(50);
  wire::put_string(data, "root");
  wire::put_string(data, "ssh-connection");
  wire::put_string(data, "publickey");
  data.push_back(1);
  wire::put_string(data, algorithm);
  wire::put_string(data, blob);
  return data;
}

std::string to_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool verifies(EVP_PKEY* key, const EVP_MD* digest, std::string_view data,
              const std::string& signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

Identity rsa_identity(EvpPkeyPtr& raw) {
  raw = adopt_evp_pkey(EVP_RSA_gen(2048));
  auto parsed = parse_private_key(to_pem(raw.get()), "");
  REQUIRE(parsed.ok());
  Identity identity;
  identity.kind = Identity::Kind::parsed_key;
  identity.type = parsed->type;
  identity.public_blob = parsed->public_blob;
  identity.origin = "/keys/id_rsa";
  identity.key = std::make_shared<const PrivateKey>(std::move(parsed).value());
  return identity;
}

} // namespace

TEST_CASE("the signature algorithm is read from the signed request", "[ssh][rsa]") {
  CHECK(signature_algorithm(userauth_request("ssh-rsa", "BLOB")) == "ssh-rsa");
  CHECK(signature_algorithm(userauth_request("rsa-sha2-512", "BLOB")) == "rsa-sha2-512");
  CHECK(signature_algorithm("") == "");
  std::string truncated = userauth_request("rsa-sha2-256", "BLOB");
  CHECK(signature_algorithm(truncated.substr(0, 60)) == "");
  std::string other = userauth_request("ssh-rsa", "BLOB");
  other[36] = 51; // not a USERAUTH_REQUEST
  CHECK(signature_algorithm(other) == "");
}

TEST_CASE("RSA keys sign with the hash the algorithm names", "[ssh][rsa]") {
  EvpPkeyPtr raw;
  Identity identity = rsa_identity(raw);
  AgentConnection unused("");
  for (auto [algorithm, digest] :
       {std::pair{"ssh-rsa", EVP_sha1()}, std::pair{"rsa-sha2-256", EVP_sha256()},
        std::pair{"rsa-sha2-512", EVP_sha512()}}) {
    std::string data = userauth_request(algorithm, identity.public_blob);
    auto signature = sign_with(identity, data, unused);
    REQUIRE(signature.ok());
    INFO(algorithm);
    CHECK(verifies(raw.get(), digest, data, *signature));
    CHECK_FALSE(
        verifies(raw.get(), digest == EVP_sha1() ? EVP_sha512() : EVP_sha1(), data, *signature));
  }
}

TEST_CASE("agent sign flags ask for SHA-2 RSA signatures", "[ssh][rsa]") {
  for (auto [flags, expected] : {std::pair{0u, 0u}, std::pair{2u, 2u}, std::pair{4u, 4u}}) {
    std::string request = agent_sign_request("BLOB", "DATA", flags);
    wire::Reader reader(request);
    wire::Reader body(reader.string().value());
    body.byte();
    body.string();
    body.string();
    CHECK(body.u32().value() == expected);
  }
}

TEST_CASE("RSA keys load and are tried after the others", "[ssh][rsa]") {
  EvpPkeyPtr raw;
  Identity rsa = rsa_identity(raw);
  CHECK(rsa.type == "ssh-rsa");
  // KeyRing order is exercised against sshd (tests/ssh); here the refusal text.
  Identity ed;
  ed.type = "ssh-ed25519";
  std::vector<std::string> tried{"ssh-ed25519 /keys/id_ed25519", "ssh-rsa /keys/id_rsa"};
  std::string modern = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3";
  std::string reason = refused_reason("root", tried, &rsa, modern);
#ifndef DIGGER_LIBSSH2_SIGN_ALGO
  CHECK(reason.starts_with("server refuses ssh-rsa (SHA-1) signatures (OpenSSH >= 8.8); use an "
                           "Ed25519/ECDSA key for it"));
#endif
  CHECK(reason.find("tried: ssh-ed25519 /keys/id_ed25519; ssh-rsa /keys/id_rsa") !=
        std::string::npos);
  // Not when the last key was not RSA, nor on servers that accept ssh-rsa.
  CHECK(refused_reason("root", tried, &ed, modern).starts_with("public key refused for user root"));
  CHECK(
      refused_reason("root", tried, &rsa, "SSH-2.0-OpenSSH_7.4").starts_with("public key refused"));
  CHECK(refused_reason("root", tried, &rsa, "SSH-2.0-dropbear_2022.83")
            .starts_with("public key refused"));
}

TEST_CASE("OpenSSH versions from server banners", "[ssh][rsa]") {
  CHECK(openssh_version("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3") == std::pair{9, 2});
  CHECK(openssh_version("SSH-2.0-OpenSSH_8.8") == std::pair{8, 8});
  CHECK(openssh_version("SSH-2.0-OpenSSH_7.4") == std::pair{7, 4});
  CHECK_FALSE(openssh_version("SSH-2.0-dropbear_2022.83").has_value());
  CHECK_FALSE(openssh_version("SSH-2.0-OpenSSH_x").has_value());
}
