#pragma once

// The framing shared by the collector and the inspect script: a header line "TYPE COUNT\n"
// followed by COUNT segments, each "LENGTH\nBYTES\n". Reading never trusts a length beyond
// the input and never allocates more than the input.

#include <charconv>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace digger::collect {

inline constexpr std::size_t max_segments_per_record = 16;

struct Record {
  std::string_view type;
  std::vector<std::string_view> fields;
};

class RecordReader {
public:
  explicit RecordReader(std::string_view input) : in_(input) {}

  bool at_end() const { return pos_ >= in_.size(); }
  std::size_t position() const { return pos_; }

  // The next record; nullopt with `error` set ("malformed record header", "truncated or
  // malformed record") when the framing is broken.
  std::optional<Record> next(std::string_view& error) {
    auto header_text = line();
    std::size_t count = 0;
    auto record = header_text ? parse_header(*header_text, count) : std::nullopt;
    if (!record) {
      error = "malformed record header";
      return std::nullopt;
    }
    for (std::size_t i = 0; i < count; ++i) {
      auto field = segment();
      if (!field) {
        error = "truncated or malformed record";
        return std::nullopt;
      }
      record->fields.push_back(*field);
    }
    return record;
  }

private:
  std::optional<std::string_view> line() {
    auto nl = in_.find('\n', pos_);
    if (nl == std::string_view::npos) {
      return std::nullopt;
    }
    auto text = in_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    return text;
  }

  std::optional<std::size_t> number() {
    auto text = line();
    if (!text || text->empty() || text->size() > 19) {
      return std::nullopt;
    }
    std::size_t value = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || ptr != text->data() + text->size()) {
      return std::nullopt;
    }
    return value;
  }

  // LENGTH\nBYTES\n
  std::optional<std::string_view> segment() {
    auto length = number();
    if (!length || *length > in_.size() - pos_ || in_.size() - pos_ - *length < 1) {
      return std::nullopt;
    }
    auto bytes = in_.substr(pos_, *length);
    pos_ += *length;
    if (in_[pos_] != '\n') {
      return std::nullopt;
    }
    ++pos_;
    return bytes;
  }

  static std::optional<Record> parse_header(std::string_view text, std::size_t& count) {
    auto space = text.find(' ');
    if (space == std::string_view::npos || space == 0) {
      return std::nullopt;
    }
    Record record{text.substr(0, space), {}};
    auto digits = text.substr(space + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (ec != std::errc{} || ptr != digits.data() + digits.size() ||
        count > max_segments_per_record) {
      return std::nullopt;
    }
    record.fields.reserve(count);
    return record;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

} // namespace digger::collect
