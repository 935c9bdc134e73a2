// The READ records of the inspect script: the child shell's text report on the files it
// opened once each, and what is kept of their first bytes (pure; any bytes in).
#include "digger/collect/inspect_read.hpp"

#include "digger/collect/inspect.hpp"
#include "digger/secrets/secrets.hpp"
#include "digger/util/ascii.hpp"

#include <fmt/format.h>

#include <charconv>

namespace digger::collect {
namespace {

template <typename T>
bool parse_number(std::string_view text, T& value, int base = 10) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return out;
}

// "/dev/fd/4" -> 0 ... "/dev/fd/9" -> 5
std::optional<std::size_t> fd_index(std::string_view name) {
  if (name.size() != 9 || !name.starts_with("/dev/fd/") || name[8] < '4' || name[8] > '9') {
    return std::nullopt;
  }
  return static_cast<std::size_t>(name[8] - '4');
}

} // namespace

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < line.size() && out.size() < 8) {
    auto start = line.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) {
      break;
    }
    auto end = line.find(' ', start);
    out.push_back(line.substr(start, end == std::string_view::npos ? end : end - start));
    pos = end == std::string_view::npos ? line.size() : end;
  }
  return out;
}

std::optional<std::string> from_od_hex(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size() / 3 + 1);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\n') {
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) {
      return std::nullopt;
    }
    int high = util::hex_digit(text[i]), low = util::hex_digit(text[i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    bytes.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return bytes;
}

// `head -c 256 -v -- f1 f2 ...` wrote "==> f1 <==\n" HEAD1 "\n==> f2 <==\n" HEAD2 ...; every
// length is known from the declarations. A file's bytes count only once the next header (or the
// exact end) sits right where its length says: a file that changed size in between, or a header
// head never wrote, can then never hand one file's bytes to another. Returns the verified heads
// in order (fewer than declared when the layout broke).
std::vector<std::string_view> split_batched_heads(std::string_view all,
                                                  const std::vector<PendingHead>& files) {
  std::vector<std::string_view> heads;
  std::size_t pos = 0;
  auto header_at = [&](std::size_t i) {
    std::string header = fmt::format("{}==> {} <==\n", i == 0 ? "" : "\n", files[i].path);
    if (all.substr(pos).starts_with(header)) {
      pos += header.size();
      return true;
    }
    return false;
  };
  if (files.empty() || !header_at(0)) {
    return heads;
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (all.size() - pos < files[i].bytes) {
      break;
    }
    auto head = all.substr(pos, files[i].bytes);
    pos += files[i].bytes;
    bool last = i + 1 == files.size();
    if (last ? pos != all.size() : !header_at(i + 1)) {
      break;
    }
    heads.push_back(head);
  }
  return heads;
}

std::optional<ReadBatch> parse_read(std::string_view text, const std::vector<std::string>& ids) {
  ReadBatch batch;
  char section = 'F';
  for (auto line : lines_of(text)) {
    if (line == "H" || line == "S" || line == "G") {
      section = line[0];
    } else if (line.starts_with("E ")) {
      return batch;
    } else if (line.starts_with("B ") || line.starts_with("A ")) {
      auto w = split_words(line);
      std::size_t fd = 0, bytes = 0;
      if (w.size() != 3 || !parse_number(w[1], fd) || fd < 4 || fd - 4 >= batch.files.size() ||
          !parse_number(w[2], bytes)) {
        return std::nullopt;
      }
      section = line[0];
      (section == 'B' ? batch.blobs : batch.app_files).emplace_back(fd - 4, std::string());
    } else if (section == 'F') {
      auto w = split_words(line);
      std::int64_t size = 0;
      if (w.size() != 5 || w[0] != "F" || batch.files.size() >= ids.size()) {
        return std::nullopt;
      }
      ReadBatch::File file;
      file.opened = w[1] == "ok" && parse_number(w[4], size);
      file.usable =
          file.opened && !ids[batch.files.size()].empty() && w[2] == ids[batch.files.size()];
      file.size = size;
      batch.files.push_back(file);
    } else if (section == 'H') {
      batch.head_hex.append(line).push_back('\n');
    } else if (section == 'S') {
      auto at = line.find("  ");
      auto index = at == std::string_view::npos ? std::nullopt : fd_index(line.substr(at + 2));
      if (index && *index < batch.files.size()) {
        batch.sums.emplace_back(*index, line.substr(0, at));
      }
    } else if (section == 'B') {
      batch.blobs.back().second.append(line).push_back('\n');
    } else if (section == 'A') {
      batch.app_files.back().second.append(line).push_back('\n');
    }
  }
  return std::nullopt; // no "E" line: the child did not finish
}

std::string language_head(std::string_view bytes) {
  bytes = bytes.substr(0, max_head_bytes);
  if (bytes.starts_with("#!")) {
    auto line = bytes.substr(0, bytes.find('\n'));
    return secrets::redact_secrets(line).text;
  }
  if (bytes.starts_with("\x7f"
                        "ELF")) {
    return std::string(bytes.substr(0, 20));
  }
  for (std::string_view php : {"<?php", "\xEF\xBB\xBF<?php"}) {
    if (bytes.starts_with(php)) {
      return std::string(php);
    }
  }
  if (bytes.starts_with(std::string_view("PK\x03\x04", 4))) {
    return std::string(bytes.substr(0, 4));
  }
  return "";
}

} // namespace digger::collect
