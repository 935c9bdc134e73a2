#include "digger/report/text.hpp"

#include "digger/util/printable.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace digger::report {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";

} // namespace

std::string terminal_text(std::string_view text) {
  std::string out = util::printable(text);
  std::replace(out.begin(), out.end(), '\t', ' ');
  return out;
}

std::string valid_utf8(std::string_view text) {
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(text); // the common case: plain ASCII
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += replacement;
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::size_t text_width(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string fit(std::string_view utf8, std::size_t width) {
  if (text_width(utf8) <= width) {
    return std::string(utf8);
  }
  if (width == 0) {
    return {};
  }
  std::string out;
  std::size_t points = 0;
  for (char c : utf8) {
    const bool starts_point = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts_point && ++points == width) {
      break;
    }
    out.push_back(c);
  }
  return out + "\xE2\x80\xA6"; // …
}

std::string pad(std::string_view utf8, std::size_t width) {
  std::string out = fit(utf8, width);
  out.append(width - std::min(width, text_width(out)), ' ');
  return out;
}

namespace {

// A cell printed on a terminal (`cat report.csv`) must not run escape sequences: C0 controls
// other than tab and line feed become their visible Unicode pictures (ESC -> U+241B), DEL
// U+2421, and C1 controls (U+0080..U+009F, CSI among them) U+FFFD.
std::string without_controls(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if ((byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7F) {
      const unsigned picture = byte == 0x7F ? 0x2421 : 0x2400 + byte;
      out += static_cast<char>(0xE0 | (picture >> 12));
      out += static_cast<char>(0x80 | ((picture >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (picture & 0x3F));
    } else if (byte == 0xC2 && i + 1 < utf8.size() &&
               static_cast<unsigned char>(utf8[i + 1]) < 0xA0) {
      out += replacement; // C2 80..C2 9F: a C1 control
      ++i;
    } else {
      out += utf8[i];
    }
  }
  return out;
}

} // namespace

std::string csv_field(std::string_view text) {
  std::string value = without_controls(valid_utf8(text));
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string::npos) {
    value.insert(0, 1, '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) {
    return value;
  }
  std::string quoted = "\"";
  for (char c : value) {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

std::string html_escape(std::string_view text) {
  const std::string valid = valid_utf8(text);
  std::string out;
  out.reserve(valid.size());
  for (char c : valid) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      if ((byte < 0x20 && c != '\t' && c != '\n') || byte == 0x7F) {
        out += replacement;
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

std::string utc_text(const std::optional<std::int64_t>& epoch_seconds) {
  if (!epoch_seconds) {
    return {};
  }
  return date::format("%FT%TZ", std::chrono::sys_seconds{std::chrono::seconds{*epoch_seconds}});
}

std::string spool_hints(const std::optional<std::int64_t>& mails,
                        const std::optional<std::int64_t>& last_mail,
                        const std::optional<std::int64_t>& output_mtime) {
  std::string out;
  if (mails) {
    out = fmt::format("{} cron mail(s) in the spool", *mails);
    out += last_mail ? ", last " + utc_text(last_mail) : "";
  }
  if (output_mtime) {
    out += (out.empty() ? "" : "; ") + ("output file last written " + utc_text(output_mtime));
  }
  return out;
}

} // namespace digger::report
