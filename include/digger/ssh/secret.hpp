#pragma once

#include <string>

namespace digger::ssh {

// A string wiped from memory when destroyed (passphrases, key file contents). Moves wipe the
// source too: a short string lives inside the object (no heap buffer to hand over), so a plain
// std::string move would leave its bytes behind.
class SecretString {
public:
  SecretString() = default;
  // Takes the bytes and wipes `value` (whatever the caller moved in).
  explicit SecretString(std::string&& value);
  // A copy: wiping the original is the caller's business.
  explicit SecretString(const std::string& value) : value_(value) {}
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(SecretString&& other) noexcept;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString();
  const std::string& get() const { return value_; }

  // Overwrites every byte the string holds (its whole capacity) and empties it.
  static void wipe(std::string& text) noexcept;

private:
  std::string value_;
};

} // namespace digger::ssh
