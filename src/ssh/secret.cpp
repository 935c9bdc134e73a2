#include "digger/ssh/secret.hpp"

#include <openssl/crypto.h>

#include <utility>

namespace digger::ssh {

void SecretString::wipe(std::string& text) noexcept {
  // resize() up to the capacity never reallocates and makes the bytes past size() ours to
  // overwrite (an earlier, longer value may still sit there).
  text.resize(text.capacity());
  OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

SecretString::SecretString(std::string&& value) : value_(std::move(value)) {
  wipe(value);
}

SecretString::SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
  wipe(other.value_);
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    wipe(value_);
    value_ = std::move(other.value_);
    wipe(other.value_);
  }
  return *this;
}

SecretString::~SecretString() {
  wipe(value_);
}

} // namespace digger::ssh
