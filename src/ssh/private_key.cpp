#include "digger/ssh/private_key.hpp"

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

constexpr std::string_view openssh_begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view openssh_end = "-----END OPENSSH PRIVATE KEY-----";
constexpr std::string_view openssh_magic{"openssh-key-v1\0", 15};

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

// The base64 body of the openssh-key-v1 armour, decoded.
Result<std::string> openssh_body(std::string_view text) {
  auto begin = text.find(openssh_begin);
  auto end = text.find(openssh_end);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    return Error{"not an openssh-key-v1 file"};
  }
  begin += openssh_begin.size();
  std::string body = base64_decode(text.substr(begin, end - begin));
  if (body.size() < openssh_magic.size() || body.compare(0, 15, openssh_magic) != 0) {
    return Error{"openssh key: bad magic"};
  }
  return body.substr(openssh_magic.size());
}

struct OpensshContainer {
  std::string_view cipher, kdf, public_blob, private_section;
};

Result<OpensshContainer> read_container(std::string_view body) {
  wire::Reader reader(body);
  auto cipher = reader.string();
  auto kdf = reader.string();
  auto kdf_options = reader.string();
  auto count = reader.u32();
  if (!cipher || !kdf || !kdf_options || !count) {
    return Error{"openssh key: truncated header"};
  }
  if (*count != 1) {
    return Error{"openssh key: files holding several keys are not supported"};
  }
  auto public_blob = reader.string();
  auto private_section = reader.string();
  if (!public_blob || !private_section) {
    return Error{"openssh key: truncated"};
  }
  return OpensshContainer{*cipher, *kdf, *public_blob, *private_section};
}

Result<EvpPkeyPtr> ed25519_from_private(wire::Reader& reader) {
  auto public_key = reader.string();
  auto secret = reader.string(); // seed (32) || public key (32)
  if (!public_key || !secret || public_key->size() != 32 || secret->size() != 64) {
    return Error{"openssh key: malformed ssh-ed25519 key"};
  }
  EVP_PKEY* key =
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, as_bytes(*secret), 32);
  if (key == nullptr) {
    return Error{"openssh key: OpenSSL refused the ssh-ed25519 key"};
  }
  return adopt_evp_pkey(key);
}

Result<EvpPkeyPtr> ecdsa_from_private(wire::Reader& reader) {
  auto curve_name = reader.string();
  auto point = reader.string();
  auto scalar = reader.string();
  const Curve* curve = curve_name ? curve_by_ssh(*curve_name) : nullptr;
  if (curve == nullptr || !point || !scalar) {
    return Error{"openssh key: malformed or unsupported ECDSA key"};
  }
  BnPtr d(BN_bin2bn(as_bytes(*scalar), static_cast<int>(scalar->size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(),
                                                                        OSSL_PARAM_BLD_free);
  if (!d || !build ||
      !OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->openssl,
                                       0) ||
      !OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point->data(),
                                        point->size()) ||
      !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get())) {
    return Error{"openssh key: cannot build the ECDSA key"};
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
      OSSL_PARAM_BLD_to_param(build.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_KEYPAIR, params.get()) <= 0) {
    return Error{"openssh key: OpenSSL refused the ECDSA key"};
  }
  return adopt_evp_pkey(key);
}

Result<PrivateKey> parse_openssh(std::string_view text) {
  auto body = openssh_body(text);
  if (!body) {
    return Error{body.error()};
  }
  auto container = read_container(*body);
  if (!container) {
    return Error{container.error()};
  }
  if (container->cipher != "none") {
    return Error{fmt::format("encrypted openssh key (cipher {})", container->cipher)};
  }
  wire::Reader reader(container->private_section);
  auto check1 = reader.u32();
  auto check2 = reader.u32();
  auto type = reader.string();
  if (!check1 || !check2 || *check1 != *check2 || !type) {
    return Error{"openssh key: corrupt private section"};
  }
  Result<EvpPkeyPtr> key = Error{fmt::format("openssh key: unsupported key type {}", *type)};
  if (*type == "ssh-ed25519") {
    key = ed25519_from_private(reader);
  } else if (type->substr(0, 11) == "ecdsa-sha2-") {
    key = ecdsa_from_private(reader);
  }
  if (!key) {
    return Error{key.error()};
  }
  auto blob = ssh_public_blob(key->get());
  if (!blob) {
    return Error{blob.error()};
  }
  if (*blob != container->public_blob) {
    return Error{"openssh key: public and private halves do not match"};
  }
  return PrivateKey{std::move(key).value(), std::string(*type), std::move(blob).value()};
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

KeyEncoding detect_key_encoding(std::string_view text) {
  if (text.find(openssh_begin) != std::string_view::npos) {
    return KeyEncoding::openssh;
  }
  if (text.find("-----BEGIN ") != std::string_view::npos) {
    return KeyEncoding::pem;
  }
  return KeyEncoding::unknown;
}

bool key_is_encrypted(std::string_view text) {
  if (detect_key_encoding(text) == KeyEncoding::openssh) {
    auto body = openssh_body(text);
    auto container = body ? read_container(*body) : Result<OpensshContainer>(Error{""});
    return container && container->cipher != "none";
  }
  return text.find("ENCRYPTED") != std::string_view::npos;
}

Result<PrivateKey> parse_private_key(std::string_view text, const std::string& passphrase) {
  switch (detect_key_encoding(text)) {
  case KeyEncoding::openssh:
    return parse_openssh(text);
  case KeyEncoding::pem:
    return parse_pem(text, passphrase);
  case KeyEncoding::unknown:
    break;
  }
  return Error{"not a private key file"};
}

Result<std::string> openssh_public_blob(std::string_view text) {
  auto body = openssh_body(text);
  if (!body) {
    return Error{body.error()};
  }
  auto container = read_container(*body);
  if (!container) {
    return Error{container.error()};
  }
  return std::string(container->public_blob);
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

std::string base64_decode(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
      clean.push_back(c);
    }
  }
  if (clean.size() % 4 != 0) {
    return {};
  }
  std::string out(clean.size() / 4 * 3, '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), as_bytes(clean),
                               static_cast<int>(clean.size()));
  if (length < 0) {
    return {};
  }
  std::size_t padding = 0;
  for (auto it = clean.rbegin(); it != clean.rend() && *it == '=' && padding < 2; ++it) {
    ++padding;
  }
  out.resize(static_cast<std::size_t>(length) - padding);
  return out;
}

std::string base64_encode(std::string_view bytes, bool pad) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), as_bytes(bytes),
                               static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  while (!pad && !out.empty() && out.back() == '=') {
    out.pop_back();
  }
  return out;
}

} // namespace digger::ssh
