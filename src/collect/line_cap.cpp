#include "digger/collect/line_cap.hpp"

#include "digger/collect/host_status.hpp"
#include "digger/collect/source_table.hpp"

#include <fmt/format.h>

#include <cstring>

namespace digger::collect {
namespace {

bool is_line_based(SourceKind kind) {
  return source_spec(kind).line_based;
}

// The length of the first `lines` lines of `text` (terminators included), and how many
// lines the text has in all (a last line without '\n' counts).
struct Count {
  std::size_t prefix = 0;
  std::size_t lines = 0;
};

Count count_lines(const std::string& text, std::size_t keep) {
  Count count;
  const char* begin = text.data();
  const char* end = begin + text.size();
  const char* at = begin;
  while (at < end) {
    const void* found = std::memchr(at, '\n', static_cast<std::size_t>(end - at));
    const char* next = found ? static_cast<const char*>(found) + 1 : end;
    if (count.lines < keep) {
      count.prefix = static_cast<std::size_t>(next - begin);
    }
    ++count.lines;
    at = next;
  }
  return count;
}

} // namespace

std::string LineCap::reason(std::size_t max_lines) const {
  std::string paths;
  for (std::size_t i = 0; i < cut_paths.size() && i < 3; ++i) {
    paths += (i ? ", " : "") + one_line(cut_paths[i], 80);
  }
  if (cut_paths.size() > 3) {
    paths += fmt::format(" and {} more", cut_paths.size() - 3);
  }
  return fmt::format("entry cap: {} cron lines, {} kept; cut: {}", lines, max_lines, paths);
}

LineCap cap_host_lines(HostSnapshot& snapshot, std::size_t max_lines) {
  LineCap cap;
  for (CronSource& source : snapshot.sources) {
    if (!is_line_based(source.kind)) {
      continue;
    }
    const std::size_t room = cap.lines < max_lines ? max_lines - cap.lines : 0;
    const Count count = count_lines(source.content, room);
    cap.lines += count.lines;
    if (count.lines > room) {
      source.content.resize(count.prefix);
      source.content.shrink_to_fit();
      source.truncated = true;
      cap.cut_paths.push_back(source.path);
    }
  }
  return cap;
}

} // namespace digger::collect
