// Lines with NUL bytes, read part by part the way cron's stream reader meets them.

#include <fmt/format.h>

#include "crontab_detail.hpp"

namespace digger::crontab::detail {
namespace {

constexpr std::size_t max_parts = 5;
constexpr std::size_t max_shown = 80;

struct Part {
  std::string_view text;     // up to the NUL
  std::string_view with_nul; // the same with its NUL, when one ends it
  bool last = false;
};

// What one daemon makes of one part: "setting NAME", "job", or its error (reading stops).
struct PartMeaning {
  std::string text;
  bool error = false;
};

PartMeaning cronie_meaning(const Part& part, const ParseOptions& options) {
  if (auto env = parse_env_line(part.text, Daemon::cronie)) {
    return {"setting " + env->name, false};
  }
  if (parse_cronie_job(part.text, options).job) {
    return {"job", false};
  }
  // The NUL is where cronie stops, inside the field it was reading.
  return {parse_cronie_job(part.with_nul, options).error, true};
}

PartMeaning vixie_meaning(const Part& part, const ParseOptions& options) {
  if (parse_env_line(part.text, Daemon::vixie)) {
    return {"setting", false};
  }
  if (vixie_job_error(part.text, options).empty()) {
    return {"job", false};
  }
  return {vixie_job_error(part.with_nul, options), true};
}

// Calls `visit` for each part until a comment (it runs to the real end of the line), an
// error (the daemon then skips to the end of the line) or the end.
template <class Meaning, class Visit>
void walk_parts(std::string_view text, Meaning meaning, Visit visit) {
  std::size_t pos = 0;
  for (std::size_t count = 0; count < max_parts; ++count) {
    const std::size_t start = skip_blanks(text, pos);
    if (start < text.size() && text[start] == '#') {
      return;
    }
    const std::size_t nul = text.find('\0', start);
    Part part;
    part.last = nul == std::string_view::npos;
    part.text = text.substr(start, (part.last ? text.size() : nul) - start);
    part.with_nul = text.substr(start, part.text.size() + (part.last ? 0 : 1));
    const PartMeaning m = meaning(part);
    visit(part, m);
    if (m.error || part.last) {
      return;
    }
    pos = nul + 1;
  }
}

} // namespace

NulReading read_nul_segments(std::string_view text, const ParseOptions& options) {
  NulReading reading;
  std::string parts;
  walk_parts(
      text, [&](const Part& p) { return cronie_meaning(p, options); },
      [&](const Part& part, const PartMeaning& m) {
        parts += parts.empty() ? "" : "; ";
        parts += fmt::format("{} `{}`", m.text, part.text.substr(0, max_shown));
      });
  reading.note = "cronie reads a NUL byte as an end of line and sees here: " + parts;
  walk_parts(
      text, [&](const Part& p) { return vixie_meaning(p, options); },
      [&](const Part&, const PartMeaning& m) {
        if (m.error && reading.vixie_error.empty()) {
          reading.vixie_error = m.text;
        }
      });
  return reading;
}

} // namespace digger::crontab::detail
