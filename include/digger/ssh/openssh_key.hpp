#pragma once

// The "openssh-key-v1" private key format (OpenSSH's PROTOCOL.key), Ed25519 and ECDSA keys,
// plain or encrypted (bcrypt-pbkdf + AES-CTR/CBC, what ssh-keygen writes).

#include "digger/ssh/private_key.hpp"
#include "digger/util/result.hpp"

#include <string>
#include <string_view>

namespace digger::ssh {

bool openssh_key_is_encrypted(std::string_view text);

// The public blob, readable without the passphrase.
util::Result<std::string> openssh_public_blob(std::string_view text);

// Errors start with "unsupported" when the file is valid but uses something this parser does
// not handle (RSA keys, other ciphers): the caller may hand those files to libssh2.
util::Result<PrivateKey> parse_openssh_key(std::string_view text, const std::string& passphrase);

} // namespace digger::ssh
