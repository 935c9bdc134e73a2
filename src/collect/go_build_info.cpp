#include "digger/collect/go_build_info.hpp"

#include <cstdint>
#include <optional>

namespace digger::collect {
namespace {

// Layout (Go's debug/buildinfo): magic (14 bytes), pointer size (1), flags (1), then 16 bytes
// that are pointers in the old format; the inline strings start at byte 32.
constexpr std::size_t header_size = 32;
constexpr unsigned char flags_version_inline = 0x2;
// Module info is wrapped in two 16-byte sentinels (cmd/go's modload.ModInfoData).
constexpr std::size_t sentinel_size = 16;

// encoding/binary.Uvarint: little-endian base-128, at most 10 bytes.
std::optional<std::uint64_t> read_uvarint(std::string_view& data) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < data.size() && i < 10; ++i) {
    auto byte = static_cast<unsigned char>(data[i]);
    if (i == 9 && byte > 1) {
      return std::nullopt; // overflows 64 bits
    }
    value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      data.remove_prefix(i + 1);
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> read_string(std::string_view& data) {
  auto length = read_uvarint(data);
  if (!length || *length > data.size()) {
    return std::nullopt;
  }
  auto text = data.substr(0, static_cast<std::size_t>(*length));
  data.remove_prefix(static_cast<std::size_t>(*length));
  return text;
}

// The value after "KEY\t" on the first such line, up to the next tab or newline.
std::string field_of(std::string_view modinfo, std::string_view key) {
  std::size_t pos = 0;
  while (pos < modinfo.size()) {
    auto nl = modinfo.find('\n', pos);
    auto line =
        modinfo.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == '\t') {
      auto value = line.substr(key.size() + 1);
      return std::string(value.substr(0, value.find('\t')));
    }
    if (nl == std::string_view::npos) {
      break;
    }
    pos = nl + 1;
  }
  return {};
}

bool plausible_version(std::string_view version) {
  if (!version.starts_with("go") || version.size() > 64) {
    return false;
  }
  for (char c : version) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return false;
    }
  }
  return true;
}

} // namespace

GoBuildInfo parse_go_build_info(std::string_view blob) {
  GoBuildInfo info;
  if (!blob.starts_with(go_build_info_magic) || blob.size() < header_size) {
    info.note = "no Go build info header";
    return info;
  }
  auto pointer_size = static_cast<unsigned char>(blob[14]);
  auto flags = static_cast<unsigned char>(blob[15]);
  if (pointer_size != 4 && pointer_size != 8) {
    info.note = "Go build info header with an unknown pointer size";
    return info;
  }
  info.found = true;
  if ((flags & flags_version_inline) == 0) {
    info.note = "Go build info in the pointer format (Go before 1.18): version not read";
    return info;
  }
  info.inline_strings = true;
  std::string_view rest = blob.substr(header_size);
  auto version = read_string(rest);
  if (!version || !plausible_version(*version)) {
    info.note = "Go build info cut short or malformed: version not read";
    return info;
  }
  info.version = std::string(*version);
  auto modinfo = read_string(rest);
  if (!modinfo) {
    info.note = "Go build info cut short: module not read";
    return info;
  }
  // debug/buildinfo: the sentinels are there when the text before the end one ends a line.
  std::string_view mod = *modinfo;
  if (mod.size() >= 2 * sentinel_size + 1 && mod[mod.size() - sentinel_size - 1] == '\n') {
    mod = mod.substr(sentinel_size, mod.size() - 2 * sentinel_size);
  } else {
    info.note = "no module information (built outside a module)";
    return info;
  }
  info.main_path = field_of(mod, "path");
  info.main_module = field_of(mod, "mod");
  if (info.main_module.empty()) {
    info.note = "no main module line";
  }
  return info;
}

} // namespace digger::collect
