#pragma once

#include <string>

namespace digger::ssh {

// A string wiped from memory when destroyed (passphrases, key file contents).
class SecretString {
public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(SecretString&&) = default;
  SecretString& operator=(SecretString&&) = default;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString();
  const std::string& get() const { return value_; }

private:
  std::string value_;
};

} // namespace digger::ssh
