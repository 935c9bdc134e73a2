#pragma once

// Private keys parsed once per scan: PEM through OpenSSL, unencrypted "openssh-key-v1" files
// (Ed25519, ECDSA) by our own parser. Signing produces the signature blob libssh2's
// userauth_publickey sign callback must return (without the algorithm-name wrapper).

#include "digger/ssh/base64.hpp"
#include "digger/ssh/handles.hpp"
#include "digger/util/result.hpp"

#include <string>
#include <string_view>

namespace digger::ssh {

struct PrivateKey {
  EvpPkeyPtr key;
  std::string type;        // "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ...
  std::string public_blob; // SSH wire format, what authorized_keys holds in base64
};

enum class KeyEncoding { pem, openssh, unknown };
KeyEncoding detect_key_encoding(std::string_view text);

// True when the key needs a passphrase (encrypted PEM, or openssh-key-v1 with a cipher).
bool key_is_encrypted(std::string_view text);

// PEM (OpenSSL) or openssh-key-v1 (our parser; Ed25519 and ECDSA, encrypted or not).
util::Result<PrivateKey> parse_private_key(std::string_view text, const std::string& passphrase);

util::Result<std::string> ssh_public_blob(evp_pkey_st* key);

// Signature over `data` in SSH form: Ed25519 raw 64 bytes, ECDSA mpint r + mpint s,
// RSA PKCS#1 v1.5 with SHA-1 (the only RSA scheme libssh2 1.10 sends).
util::Result<std::string> sign_data(const PrivateKey& key, std::string_view data);

// "prime256v1" for "nistp256", ...; nullptr for curves SSH does not use.
const char* openssl_curve_name(std::string_view ssh_curve);

} // namespace digger::ssh
