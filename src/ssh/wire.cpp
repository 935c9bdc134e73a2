#include "digger/ssh/wire.hpp"

namespace digger::ssh::wire {

std::optional<std::string_view> Reader::bytes(std::size_t count) {
  if (count > data_.size()) {
    return std::nullopt;
  }
  std::string_view out = data_.substr(0, count);
  data_.remove_prefix(count);
  return out;
}

std::optional<std::uint8_t> Reader::byte() {
  auto raw = bytes(1);
  if (!raw) {
    return std::nullopt;
  }
  return static_cast<std::uint8_t>((*raw)[0]);
}

std::optional<std::uint32_t> Reader::u32() {
  auto raw = bytes(4);
  if (!raw) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  for (char c : *raw) {
    value = (value << 8) | static_cast<std::uint8_t>(c);
  }
  return value;
}

std::optional<std::string_view> Reader::string() {
  std::string_view saved = data_;
  auto length = u32();
  if (!length) {
    return std::nullopt;
  }
  auto out = bytes(*length);
  if (!out) {
    data_ = saved;
  }
  return out;
}

void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

void put_string(std::string& out, std::string_view value) {
  put_u32(out, static_cast<std::uint32_t>(value.size()));
  out.append(value);
}

void put_mpint(std::string& out, std::string_view magnitude) {
  while (!magnitude.empty() && magnitude.front() == '\0') {
    magnitude.remove_prefix(1);
  }
  bool pad = !magnitude.empty() && (static_cast<std::uint8_t>(magnitude.front()) & 0x80) != 0;
  put_u32(out, static_cast<std::uint32_t>(magnitude.size() + (pad ? 1 : 0)));
  if (pad) {
    out.push_back('\0');
  }
  out.append(magnitude);
}

std::string key_type_of_blob(std::string_view blob) {
  Reader reader(blob);
  auto type = reader.string();
  return type ? std::string(*type) : std::string();
}

} // namespace digger::ssh::wire
