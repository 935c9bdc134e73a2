#pragma once

// bcrypt_pbkdf as OpenSSH uses it to derive the key of an encrypted "openssh-key-v1" private
// key file (OpenBSD's bcrypt_pbkdf.c, built on Blowfish's expensive key schedule).

#include <cstdint>
#include <string>
#include <string_view>

namespace digger::ssh {

// `length` bytes of key material; an empty string when the arguments are out of range.
std::string bcrypt_pbkdf(std::string_view passphrase, std::string_view salt, std::size_t length,
                         unsigned rounds);

// Blowfish's initial state is the fractional part of pi; it is computed once instead of being
// pasted as 4 KiB of constants. Word `i` of P (0..17) then S (18..1041). Exposed for tests.
std::uint32_t blowfish_initial_word(std::size_t i);

} // namespace digger::ssh
