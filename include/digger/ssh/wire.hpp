#pragma once

// SSH binary encoding (RFC 4251 §5): uint32, string, mpint. Pure logic; the readers never
// read past their input, whatever the bytes say.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace digger::ssh::wire {

class Reader {
public:
  explicit Reader(std::string_view data) : data_(data) {}

  std::optional<std::uint32_t> u32();
  std::optional<std::uint8_t> byte();
  std::optional<std::string_view> string(); // length-prefixed
  std::optional<std::string_view> bytes(std::size_t count);
  std::size_t remaining() const { return data_.size(); }

private:
  std::string_view data_;
};

void put_u32(std::string& out, std::uint32_t value);
void put_string(std::string& out, std::string_view value);
// `magnitude` is an unsigned big-endian integer; leading zeros are stripped and a zero byte
// is prepended when the top bit is set, as the mpint format wants.
void put_mpint(std::string& out, std::string_view magnitude);

// The key type named at the start of a public key blob ("" when malformed).
std::string key_type_of_blob(std::string_view blob);

} // namespace digger::ssh::wire
