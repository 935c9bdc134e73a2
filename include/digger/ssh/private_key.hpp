#pragma once

// Private keys parsed once per scan: PEM through OpenSSL, unencrypted "openssh-key-v1" files
// (Ed25519, ECDSA) by our own parser. Signing produces the signature blob libssh2's
// userauth_publickey sign callback must return (without the algorithm-name wrapper).

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

// `passphrase` is only used for PEM. Encrypted openssh-key-v1 files are refused with an error
// starting "encrypted openssh key": the caller hands them to libssh2 instead.
util::Result<PrivateKey> parse_private_key(std::string_view text, const std::string& passphrase);

// The public blob of an openssh-key-v1 file (readable without the passphrase).
util::Result<std::string> openssh_public_blob(std::string_view text);

util::Result<std::string> ssh_public_blob(evp_pkey_st* key);

// Signature over `data` in SSH form: Ed25519 raw 64 bytes, ECDSA mpint r + mpint s,
// RSA PKCS#1 v1.5 with SHA-1 (the only RSA scheme libssh2 1.10 sends).
util::Result<std::string> sign_data(const PrivateKey& key, std::string_view data);

std::string base64_decode(std::string_view text); // whitespace ignored; "" on garbage
std::string base64_encode(std::string_view bytes, bool pad);

} // namespace digger::ssh
