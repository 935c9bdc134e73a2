// Host ranges as Ansible's expand_hostname_range() and pdsh/clush's hostlist read them.
#include "digger/inventory/host_range.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace digger::inventory {
namespace {

using util::Error;

constexpr long long max_range_number = 999'999'999'999LL;

// One range: its values as a generator (start, end, stride, width or letters).
struct Span {
  long long start = 0;
  long long end = 0;
  long long stride = 1;
  size_t width = 0;     // zero padding; 0 = none
  bool letters = false; // values are characters
  long long count() const { return (end - start) / stride + 1; }
  std::string value(long long index) const {
    long long v = start + index * stride;
    if (letters) {
      return std::string(1, static_cast<char>(v));
    }
    std::string text = std::to_string(v);
    return text.size() < width ? std::string(width - text.size(), '0') + text : text;
  }
};

bool all_digits(std::string_view text) {
  return !text.empty() && text.size() <= 12 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

util::Result<Span> numeric_span(std::string_view begin, std::string_view end) {
  if (!all_digits(begin) || !all_digits(end)) {
    return Error{fmt::format("bad range bounds '{}' and '{}'", begin, end)};
  }
  Span span;
  span.start = std::stoll(std::string(begin));
  span.end = std::stoll(std::string(end));
  if (begin.size() > 1 && begin[0] == '0') {
    span.width = begin.size();
  }
  if (span.end < span.start || span.end > max_range_number) {
    return Error{fmt::format("range [{}..{}] ends before it starts", begin, end)};
  }
  return span;
}

// Ansible: [beg:end] or [beg:end:stride]; numbers (equal widths when zero-padded) or letters.
util::Result<std::vector<Span>> ansible_spans(std::string_view body) {
  std::vector<std::string_view> parts;
  for (size_t colon; (colon = body.find(':')) != std::string_view::npos;) {
    parts.push_back(body.substr(0, colon));
    body.remove_prefix(colon + 1);
  }
  parts.push_back(body);
  if (parts.size() < 2 || parts.size() > 3) {
    return Error{"a range is [begin:end] or [begin:end:stride]"};
  }
  std::string_view begin = parts[0].empty() ? "0" : parts[0];
  Span span;
  bool letter = begin.size() == 1 && std::isalpha(static_cast<unsigned char>(begin[0])) &&
                parts[1].size() == 1 && std::isalpha(static_cast<unsigned char>(parts[1][0]));
  if (letter) {
    span.letters = true;
    span.start = begin[0];
    span.end = parts[1][0];
    if (span.end < span.start) {
      return Error{fmt::format("range [{}:{}] ends before it starts", begin, parts[1])};
    }
  } else {
    auto numeric = numeric_span(begin, parts[1]);
    if (!numeric) {
      return Error{numeric.error()};
    }
    span = *numeric;
    if (span.width != 0 && span.width != parts[1].size()) {
      return Error{
          fmt::format("range [{}:{}]: begin and end must have the same width", begin, parts[1])};
    }
  }
  if (parts.size() == 3) {
    if (!all_digits(parts[2]) || std::stoll(std::string(parts[2])) == 0) {
      return Error{fmt::format("bad range stride '{}'", parts[2])};
    }
    span.stride = std::stoll(std::string(parts[2]));
  }
  return std::vector<Span>{span};
}

// pdsh: [a-b,c,d-e]: a comma list of numbers and ranges.
util::Result<std::vector<Span>> pdsh_spans(std::string_view body) {
  std::vector<Span> spans;
  while (true) {
    size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    size_t dash = item.find('-');
    auto span = dash == std::string_view::npos
                    ? numeric_span(item, item)
                    : numeric_span(item.substr(0, dash), item.substr(dash + 1));
    if (!span) {
      return Error{span.error()};
    }
    spans.push_back(*span);
    if (comma == std::string_view::npos || spans.size() > 4096) {
      break;
    }
    body.remove_prefix(comma + 1);
  }
  return spans;
}

} // namespace

util::Result<std::vector<std::string>> expand_host_ranges(std::string_view pattern,
                                                          RangeSyntax syntax, std::size_t limit) {
  // Split into literal text and bracketed ranges; count before expanding.
  std::vector<std::string> literals{""};
  std::vector<std::vector<Span>> ranges;
  long double total = 1;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == ']') {
      return Error{fmt::format("unbalanced ']' in '{}'", pattern)};
    }
    if (pattern[i] != '[') {
      literals.back() += pattern[i];
      continue;
    }
    size_t close = pattern.find(']', i);
    if (close == std::string_view::npos) {
      return Error{fmt::format("missing ']' in '{}'", pattern)};
    }
    std::string_view body = pattern.substr(i + 1, close - i - 1);
    auto spans = syntax == RangeSyntax::ansible ? ansible_spans(body) : pdsh_spans(body);
    if (!spans) {
      return Error{fmt::format("'{}': {}", pattern, spans.error())};
    }
    long double count = 0;
    for (const Span& span : *spans) {
      count += static_cast<long double>(span.count());
    }
    total *= count;
    if (total > static_cast<long double>(limit)) {
      return Error{fmt::format("'{}' expands to more than {} hosts", pattern, limit)};
    }
    ranges.push_back(std::move(spans).value());
    literals.emplace_back();
    i = close;
  }
  std::vector<std::string> out{literals[0]};
  for (size_t r = 0; r < ranges.size(); ++r) {
    std::vector<std::string> next;
    next.reserve(out.size() * 2);
    for (const std::string& prefix : out) {
      for (const Span& span : ranges[r]) {
        for (long long k = 0; k < span.count(); ++k) {
          next.push_back(prefix + span.value(k) + literals[r + 1]);
        }
      }
    }
    out = std::move(next);
  }
  return out;
}

} // namespace digger::inventory
