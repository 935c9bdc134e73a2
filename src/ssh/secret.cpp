#include "digger/ssh/secret.hpp"

#include <openssl/crypto.h>

namespace digger::ssh {

SecretString::~SecretString() {
  if (!value_.empty()) {
    OPENSSL_cleanse(value_.data(), value_.size());
  }
}

} // namespace digger::ssh
