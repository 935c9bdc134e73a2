#include "digger/ssh/openssh_key.hpp"

#include "digger/ssh/bcrypt_pbkdf.hpp"
#include "digger/ssh/secret.hpp"
#include "digger/ssh/wire.hpp"

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace digger::ssh {
namespace {

using util::Error;
using util::Result;

constexpr std::string_view openssh_begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view openssh_end = "-----END OPENSSH PRIVATE KEY-----";
constexpr std::string_view openssh_magic{"openssh-key-v1\0", 15};
constexpr unsigned max_kdf_rounds = 1u << 16; // bound the CPU an odd file can cost

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

// OpenSSL 3.0 has no OSSL_PARAM_clear_free, and the array holds a copy of the private scalar.
struct ParamsWiper {
  void operator()(OSSL_PARAM* params) const {
    for (OSSL_PARAM* p = params; p->key != nullptr; ++p) {
      if (p->data != nullptr) {
        OPENSSL_cleanse(p->data, p->data_size);
      }
    }
    OSSL_PARAM_free(params);
  }
};

const unsigned char* as_bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// base64 without a copy left behind: the body of an unencrypted key IS the private key, so
// every buffer it passes through is sized once (no reallocation) and wiped.
SecretString decode_base64_secret(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
      clean.push_back(c);
    }
  }
  std::string out(clean.size() / 4 * 3, '\0');
  const int length = clean.size() % 4 != 0
                         ? -1
                         : EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                           as_bytes(clean), static_cast<int>(clean.size()));
  std::size_t padding = 0;
  for (auto it = clean.rbegin(); it != clean.rend() && *it == '=' && padding < 2; ++it) {
    ++padding;
  }
  SecretString::wipe(clean);
  if (length < 0) {
    SecretString::wipe(out);
    return SecretString();
  }
  out.resize(static_cast<std::size_t>(length) - padding); // shrinking keeps the buffer
  return SecretString(std::move(out));
}

// The decoded file (magic included), wiped when dropped: see body_of for what follows it.
Result<SecretString> openssh_body(std::string_view text) {
  auto begin = text.find(openssh_begin);
  auto end = text.find(openssh_end);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    return Error{"not an openssh-key-v1 file"};
  }
  begin += openssh_begin.size();
  SecretString body = decode_base64_secret(text.substr(begin, end - begin));
  if (body.get().size() < openssh_magic.size() ||
      body.get().compare(0, openssh_magic.size(), openssh_magic) != 0) {
    return Error{"openssh key: bad magic"};
  }
  return body;
}

std::string_view body_of(const SecretString& decoded) {
  return std::string_view(decoded.get()).substr(openssh_magic.size());
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
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, as_bytes(*secret), 32);
  if (key == nullptr) {
    return Error{"openssh key: OpenSSL refused the ssh-ed25519 key"};
  }
  return adopt_evp_pkey(key);
}

Result<EvpPkeyPtr> ecdsa_from_private(wire::Reader& reader) {
  auto curve_name = reader.string();
  auto point = reader.string();
  auto scalar = reader.string();
  const char* curve = curve_name ? openssl_curve_name(*curve_name) : nullptr;
  if (curve == nullptr || !point || !scalar) {
    return Error{"openssh key: malformed or unsupported ECDSA key"};
  }
  BnPtr d(BN_bin2bn(as_bytes(*scalar), static_cast<int>(scalar->size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(),
                                                                        OSSL_PARAM_BLD_free);
  if (!d || !build ||
      !OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point->data(),
                                        point->size()) ||
      !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get())) {
    return Error{"openssh key: cannot build the ECDSA key"};
  }
  std::unique_ptr<OSSL_PARAM, ParamsWiper> params(OSSL_PARAM_BLD_to_param(build.get()));
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_KEYPAIR, params.get()) <= 0) {
    return Error{"openssh key: OpenSSL refused the ECDSA key"};
  }
  return adopt_evp_pkey(key);
}

struct Cipher {
  std::string_view name;
  const EVP_CIPHER* (*make)();
};
constexpr Cipher ciphers[] = {{"aes256-ctr", EVP_aes_256_ctr}, {"aes192-ctr", EVP_aes_192_ctr},
                              {"aes128-ctr", EVP_aes_128_ctr}, {"aes256-cbc", EVP_aes_256_cbc},
                              {"aes192-cbc", EVP_aes_192_cbc}, {"aes128-cbc", EVP_aes_128_cbc}};

// Decrypts the private section in place of a copy; the caller wipes the result.
Result<SecretString> decrypt_section(const OpensshContainer& container, std::string_view kdf,
                                     const std::string& passphrase) {
  const EVP_CIPHER* cipher = nullptr;
  for (const auto& candidate : ciphers) {
    if (candidate.name == container.cipher) {
      cipher = candidate.make();
    }
  }
  if (cipher == nullptr || container.kdf != "bcrypt") {
    return Error{fmt::format("unsupported openssh key encryption ({}, {})", container.cipher,
                             container.kdf)};
  }
  wire::Reader options(kdf);
  auto salt = options.string();
  auto rounds = options.u32();
  if (!salt || !rounds || *rounds == 0 || *rounds > max_kdf_rounds || passphrase.empty()) {
    return Error{passphrase.empty() ? "no passphrase for an encrypted key"
                                    : "openssh key: bad bcrypt parameters"};
  }
  auto key_length = static_cast<std::size_t>(EVP_CIPHER_get_key_length(cipher));
  auto iv_length = static_cast<std::size_t>(EVP_CIPHER_get_iv_length(cipher));
  SecretString key_iv(bcrypt_pbkdf(passphrase, *salt, key_length + iv_length, *rounds));
  const auto block = static_cast<std::size_t>(EVP_CIPHER_get_block_size(cipher));
  if (key_iv.get().size() != key_length + iv_length ||
      container.private_section.size() % std::max<std::size_t>(block, 16) != 0) {
    return Error{"openssh key: bad encrypted section"};
  }
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> context(EVP_CIPHER_CTX_new(),
                                                                          EVP_CIPHER_CTX_free);
  std::string plain(container.private_section.size() + block, '\0');
  int written = 0;
  int final_written = 0;
  const auto* key = as_bytes(key_iv.get());
  if (!context || EVP_DecryptInit_ex(context.get(), cipher, nullptr, key, key + key_length) != 1 ||
      EVP_CIPHER_CTX_set_padding(context.get(), 0) != 1 ||
      EVP_DecryptUpdate(context.get(), reinterpret_cast<unsigned char*>(plain.data()), &written,
                        as_bytes(container.private_section),
                        static_cast<int>(container.private_section.size())) != 1 ||
      EVP_DecryptFinal_ex(context.get(), reinterpret_cast<unsigned char*>(plain.data()) + written,
                          &final_written) != 1) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return Error{"openssh key: decryption failed"};
  }
  plain.resize(static_cast<std::size_t>(written + final_written));
  return SecretString(std::move(plain));
}

Result<std::string_view> kdf_options_of(std::string_view body) {
  wire::Reader reader(body);
  reader.string();
  reader.string();
  auto options = reader.string();
  if (!options) {
    return Error{"openssh key: truncated header"};
  }
  return *options;
}

} // namespace

bool openssh_key_is_encrypted(std::string_view text) {
  auto body = openssh_body(text);
  auto container = body ? read_container(body_of(*body)) : Result<OpensshContainer>(Error{""});
  return container && container->cipher != "none";
}

Result<std::string> openssh_public_blob(std::string_view text) {
  auto body = openssh_body(text);
  if (!body) {
    return Error{body.error()};
  }
  auto container = read_container(body_of(*body));
  if (!container) {
    return Error{container.error()};
  }
  return std::string(container->public_blob);
}

Result<PrivateKey> parse_openssh_key(std::string_view text, const std::string& passphrase) {
  auto body = openssh_body(text);
  if (!body) {
    return Error{body.error()};
  }
  auto container = read_container(body_of(*body));
  if (!container) {
    return Error{container.error()};
  }
  SecretString decrypted;
  std::string_view section = container->private_section;
  if (container->cipher != "none") {
    auto plain = decrypt_section(*container, *kdf_options_of(body_of(*body)), passphrase);
    if (!plain) {
      return Error{plain.error()};
    }
    decrypted = std::move(plain).value();
    section = decrypted.get();
  }
  wire::Reader reader(section);
  auto check1 = reader.u32();
  auto check2 = reader.u32();
  if (!check1 || !check2 || *check1 != *check2) {
    return Error{container->cipher != "none" ? "wrong passphrase"
                                             : "openssh key: corrupt private section"};
  }
  auto type = reader.string();
  if (!type) {
    return Error{"openssh key: corrupt private section"};
  }
  Result<EvpPkeyPtr> key = Error{fmt::format("unsupported key type {} in openssh format", *type)};
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

} // namespace digger::ssh
