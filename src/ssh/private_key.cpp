#include "digger/ssh/private_key.hpp"

#include "digger/ssh/openssh_key.hpp"
#include "digger/ssh/wire.hpp"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include <cstring>
#include <memory>
#include <vector>

namespace digger::ssh {
namespace {

using util::Error;
using util::Result;

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

std::string_view as_chars(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

const unsigned char* as_bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// The curve name of an "ecdsa-sha2-<name>" key in SSH and in OpenSSL, and its digest.
struct Curve {
  std::string_view ssh;
  const char* openssl;
  const EVP_MD* (*digest)();
};
constexpr Curve curves[] = {{"nistp256", "prime256v1", EVP_sha256},
                            {"nistp384", "secp384r1", EVP_sha384},
                            {"nistp521", "secp521r1", EVP_sha512}};

const Curve* curve_by_ssh(std::string_view name) {
  for (const auto& curve : curves) {
    if (curve.ssh == name) {
      return &curve;
    }
  }
  return nullptr;
}

const Curve* curve_by_openssl(std::string_view name) {
  for (const auto& curve : curves) {
    if (name == curve.openssl) {
      return &curve;
    }
  }
  return nullptr;
}

int passphrase_callback(char* buffer, int size, int, void* user) {
  const auto* passphrase = static_cast<const std::string*>(user);
  if (passphrase->size() > static_cast<std::size_t>(size)) {
    return -1;
  }
  std::memcpy(buffer, passphrase->data(), passphrase->size());
  return static_cast<int>(passphrase->size());
}

Result<PrivateKey> parse_pem(std::string_view text, const std::string& passphrase) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback,
                                          const_cast<std::string*>(&passphrase));
  if (raw == nullptr) {
    return Error{key_is_encrypted(text) ? "cannot decrypt the PEM key (wrong passphrase?)"
                                        : "OpenSSL cannot read the PEM key"};
  }
  EvpPkeyPtr key = adopt_evp_pkey(raw);
  auto blob = ssh_public_blob(raw);
  if (!blob) {
    return Error{blob.error()};
  }
  std::string type = wire::key_type_of_blob(*blob);
  return PrivateKey{std::move(key), std::move(type), std::move(blob).value()};
}

Result<std::string> bignum_param(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return Error{"cannot read an RSA parameter"};
  }
  BnPtr bn(raw);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return bytes;
}

Result<std::string> ecdsa_signature(std::string_view der) {
  const auto* cursor = as_bytes(der);
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())), ECDSA_SIG_free);
  if (!sig) {
    return Error{"ECDSA signature: bad DER"};
  }
  std::string out;
  for (const BIGNUM* part : {ECDSA_SIG_get0_r(sig.get()), ECDSA_SIG_get0_s(sig.get())}) {
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(part)), '\0');
    BN_bn2bin(part, reinterpret_cast<unsigned char*>(bytes.data()));
    wire::put_mpint(out, bytes);
  }
  return out;
}

const EVP_MD* digest_for(const PrivateKey& key) {
  if (key.type == "ssh-ed25519") {
    return nullptr; // pure EdDSA: no pre-hash
  }
  if (key.type == "ssh-rsa") {
    return EVP_sha1();
  }
  const Curve* curve = curve_by_ssh(std::string_view(key.type).substr(11));
  return curve != nullptr ? curve->digest() : EVP_sha256();
}

} // namespace

const char* openssl_curve_name(std::string_view ssh_curve) {
  const Curve* curve = curve_by_ssh(ssh_curve);
  return curve != nullptr ? curve->openssl : nullptr;
}

KeyEncoding detect_key_encoding(std::string_view text) {
  if (text.find("-----BEGIN OPENSSH PRIVATE KEY-----") != std::string_view::npos) {
    return KeyEncoding::openssh;
  }
  if (text.find("-----BEGIN ") != std::string_view::npos) {
    return KeyEncoding::pem;
  }
  return KeyEncoding::unknown;
}

bool key_is_encrypted(std::string_view text) {
  if (detect_key_encoding(text) == KeyEncoding::openssh) {
    return openssh_key_is_encrypted(text);
  }
  return text.find("ENCRYPTED") != std::string_view::npos;
}

Result<PrivateKey> parse_private_key(std::string_view text, const std::string& passphrase) {
  switch (detect_key_encoding(text)) {
  case KeyEncoding::openssh:
    return parse_openssh_key(text, passphrase);
  case KeyEncoding::pem:
    return parse_pem(text, passphrase);
  case KeyEncoding::unknown:
    break;
  }
  return Error{"not a private key file"};
}

Result<std::string> ssh_public_blob(EVP_PKEY* key) {
  std::string blob;
  if (EVP_PKEY_is_a(key, "ED25519")) {
    unsigned char raw[32];
    std::size_t length = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &length) != 1 || length != 32) {
      return Error{"cannot read the Ed25519 public key"};
    }
    wire::put_string(blob, "ssh-ed25519");
    wire::put_string(blob, as_chars(raw, length));
    return blob;
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    unsigned char point[256];
    std::size_t point_length = 0;
    const Curve* curve = nullptr;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       nullptr) == 1) {
      curve = curve_by_openssl(group);
    }
    if (curve == nullptr || EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point,
                                                            sizeof point, &point_length) != 1) {
      return Error{"unsupported ECDSA curve (only nistp256/384/521)"};
    }
    wire::put_string(blob, fmt::format("ecdsa-sha2-{}", curve->ssh));
    wire::put_string(blob, curve->ssh);
    wire::put_string(blob, as_chars(point, point_length));
    return blob;
  }
  if (EVP_PKEY_is_a(key, "RSA")) {
    auto e = bignum_param(key, OSSL_PKEY_PARAM_RSA_E);
    auto n = bignum_param(key, OSSL_PKEY_PARAM_RSA_N);
    if (!e || !n) {
      return Error{"cannot read the RSA public key"};
    }
    wire::put_string(blob, "ssh-rsa");
    wire::put_mpint(blob, *e);
    wire::put_mpint(blob, *n);
    return blob;
  }
  return Error{"unsupported key algorithm (use Ed25519 or ECDSA)"};
}

Result<std::string> sign_data(const PrivateKey& key, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
  std::size_t length = 0;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, digest_for(key), nullptr, key.key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, as_bytes(data), data.size()) != 1) {
    return Error{"signing failed"};
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     as_bytes(data), data.size()) != 1) {
    return Error{"signing failed"};
  }
  signature.resize(length);
  if (key.type.rfind("ecdsa-sha2-", 0) == 0) {
    return ecdsa_signature(signature);
  }
  return signature;
}

} // namespace digger::ssh
