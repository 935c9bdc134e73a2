// at job files: the name atd decodes and the script at(1) writes (at.c writefile(), atd.c
// run_loop() and run_file() of the `at` package, 3.1 to 3.2).
#include "digger/units/at_job.hpp"

#include "digger/timing/next_runs.hpp"
#include "digger/util/ascii.hpp"

#include <fmt/format.h>

#include <chrono>
#include <vector>

namespace digger::units {
namespace {

std::optional<std::uint64_t> hex_field(std::string_view digits) {
  std::uint64_t value = 0;
  for (char c : digits) {
    const int v = util::hex_digit(c);
    if (v < 0) {
      return std::nullopt;
    }
    value = value * 16 + static_cast<std::uint64_t>(v);
  }
  return value;
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The header the way atd's fscanf reads it: "#!/bin/sh\n# atrun uid=%d gid=%d\n# mail %s %d",
// where a blank in the format matches any run of white space, %d skips white space first.
class HeaderScanner {
public:
  explicit HeaderScanner(std::string_view text) : text_(text) {}

  bool literal(std::string_view format) {
    for (char f : format) {
      if (util::is_space(f)) {
        skip_space();
      } else if (pos_ < text_.size() && text_[pos_] == f) {
        ++pos_;
      } else {
        return false;
      }
    }
    return true;
  }
  std::optional<std::int64_t> number() {
    skip_space();
    bool negative = false;
    if (pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) {
      negative = text_[pos_++] == '-';
    }
    const std::size_t start = pos_;
    std::int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9' && pos_ - start < 12) {
      value = value * 10 + (text_[pos_++] - '0');
    }
    if (pos_ == start) {
      return std::nullopt;
    }
    return negative ? -value : value;
  }
  std::optional<std::string> word() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && !util::is_space(text_[pos_])) {
      ++pos_;
    }
    if (pos_ == start) {
      return std::nullopt;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

private:
  void skip_space() {
    while (pos_ < text_.size() && util::is_space(text_[pos_])) {
      ++pos_;
    }
  }
  std::string_view text_;
  std::size_t pos_ = 0;
};

void read_header(std::string_view content, AtJobScript& out) {
  HeaderScanner scan(content);
  if (!scan.literal("#!/bin/sh\n# atrun uid=")) {
    return;
  }
  const auto uid = scan.number();
  if (!uid || !scan.literal(" gid=")) {
    return;
  }
  const auto gid = scan.number();
  if (!gid || !scan.literal("\n# mail ")) {
    return;
  }
  auto mail = scan.word();
  const auto send = scan.number();
  if (!mail || !send) {
    return;
  }
  out.header_ok = true;
  out.uid = *uid;
  out.gid = *gid;
  out.mail_user = std::move(*mail);
  out.send_mail = static_cast<int>(*send);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// at writes the directory with a '\' before every byte but letters, digits and '/', and a
// newline in it as `"` newline `"`.
std::string unescape_directory(std::string_view written) {
  std::string out;
  for (std::size_t i = 0; i < written.size(); ++i) {
    if (written[i] == '\\' && i + 1 < written.size()) {
      out.push_back(written[++i]);
    } else if (written.substr(i, 3) == "\"\n\"") {
      out.push_back('\n');
      i += 2;
    } else {
      out.push_back(written[i]);
    }
  }
  return out;
}

constexpr std::string_view cd_tail = " || {";

// The `cd DIR || {` line and its block; returns the index of the line after the closing `}`,
// or nullopt. The environment lines before it are skipped unseen: a value's continuation
// line starts with '"', so it cannot pass for the cd line.
std::optional<std::size_t> find_cd_block(const std::vector<std::string_view>& lines,
                                         std::string& directory) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].starts_with("cd ")) {
      continue;
    }
    std::string written(lines[i].substr(3));
    std::size_t end = i;
    // A directory holding newlines spans lines until the one that ends the test.
    while (!std::string_view(written).ends_with(cd_tail) && end + 1 < lines.size() &&
           end - i < 64) {
      written.append("\n").append(lines[++end]);
    }
    if (!std::string_view(written).ends_with(cd_tail)) {
      return std::nullopt;
    }
    written.resize(written.size() - cd_tail.size());
    directory = unescape_directory(written);
    for (std::size_t j = end + 1; j < lines.size() && j <= end + 8; ++j) {
      if (lines[j] == "}") {
        return j + 1;
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// "${SHELL:-/bin/sh} << 'marcinDELIMITER0a1b2c3d'" (the at of RHEL 7 on and current Debian;
// FreeBSD's writes the shell's path and '_END_OF_AT_JOB'): the delimiter, or nullopt.
std::optional<std::string_view> heredoc_delimiter(std::string_view line) {
  const std::size_t op = line.find(" << '");
  if (op == std::string_view::npos || op == 0 || !line.ends_with("'")) {
    return std::nullopt;
  }
  const std::string_view shell = line.substr(0, op);
  if (shell.find(' ') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view word = line.substr(op + 5, line.size() - op - 6);
  if (word.empty() || word.find('\'') != std::string_view::npos) {
    return std::nullopt;
  }
  return word;
}

void read_commands(const std::vector<std::string_view>& lines, std::size_t first,
                   AtJobScript& out) {
  std::size_t end = lines.size();
  if (first < lines.size()) {
    if (auto delimiter = heredoc_delimiter(lines[first])) {
      out.heredoc = true;
      out.heredoc_closed = false;
      for (std::size_t i = first + 1; i < lines.size(); ++i) {
        if (lines[i] == *delimiter) {
          end = i;
          out.heredoc_closed = true;
          break;
        }
      }
      ++first;
    }
  }
  auto blank = [](std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
  };
  while (end > first && blank(lines[end - 1])) {
    --end; // at adds a newline after the input
  }
  while (first < end && blank(lines[first])) {
    ++first;
  }
  if (first >= end) {
    return;
  }
  out.first_line = static_cast<int>(first) + 1;
  for (std::size_t i = first; i < end; ++i) {
    out.commands.append(i == first ? "" : "\n").append(lines[i]);
  }
}

} // namespace

std::optional<AtJobName> parse_at_job_name(std::string_view file_name) {
  // at.c pads both fields with '0' to exactly 5 and 8 digits; atd's sscanf would also read
  // a longer name (it stops after the 8th digit), so the rest is ignored as atd ignores it.
  if (file_name.size() < 14) {
    return std::nullopt;
  }
  const auto number = hex_field(file_name.substr(1, 5));
  const auto minutes = hex_field(file_name.substr(6, 8));
  if (!number || !minutes) {
    return std::nullopt;
  }
  AtJobName name;
  name.queue = file_name[0];
  name.number = static_cast<std::uint32_t>(*number);
  name.run_time = static_cast<std::int64_t>(*minutes) * 60;
  return name;
}

bool is_batch_queue(char queue) {
  return (queue >= 'A' && queue <= 'Z') || queue == 'b';
}

AtJobScript parse_at_job(std::string_view content) {
  AtJobScript out;
  read_header(content, out);
  const auto lines = split_lines(content);
  if (auto after_cd = find_cd_block(lines, out.directory)) {
    read_commands(lines, *after_cd, out);
  }
  return out;
}

std::optional<std::string> at_skip_reason(const AtJobName& name, const AtJobScript& script,
                                          std::uint32_t mode, std::int64_t file_uid) {
  if (name.queue != '=' && !is_letter(name.queue)) {
    return "atd skips it: its queue is not a letter";
  }
  if ((mode & 0100) == 0) {
    return "atd skips it: not executable by its owner (at(1) sets the bit once the job is "
           "fully written)";
  }
  if (!script.header_ok) {
    return "atd refuses it: not the header at(1) writes (#!/bin/sh, # atrun, # mail)";
  }
  if (script.mail_user.starts_with("-")) {
    return "atd refuses it: the mail name starts with '-'";
  }
  if (file_uid >= 0 && script.uid != file_uid) {
    return fmt::format("atd refuses it: uid {} in the header is not the file's owner {}",
                       script.uid, file_uid);
  }
  return std::nullopt;
}

std::string utc_iso8601(std::int64_t seconds) {
  return timing::to_iso8601(
      timing::FireTime{std::chrono::sys_seconds{std::chrono::seconds{seconds}}, {}});
}

} // namespace digger::units
