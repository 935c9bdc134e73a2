#include "digger/report/schedule_text.hpp"

#include "digger/util/words.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string_view>
#include <vector>

namespace digger::report {
namespace {

bool number(std::string_view text, int& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size();
}

// anacron's normal form "anacron period=1d delay=5m" (or period=monthly): the words people use.
std::string anacron_text(std::string_view normalized) {
  std::string period;
  std::string delay;
  for (auto word : util::blank_words(normalized)) {
    if (word.starts_with("period=")) {
      period = std::string(word.substr(7));
    } else if (word.starts_with("delay=")) {
      delay = std::string(word.substr(6));
    }
  }
  std::string every;
  int days = 0;
  if (period == "monthly" || period == "yearly") {
    every = period == "monthly" ? "every month" : "every year";
  } else if (period.ends_with('d') &&
             number(std::string_view(period).substr(0, period.size() - 1), days)) {
    every = days == 1 ? "every day" : days == 7 ? "every week" : fmt::format("every {} days", days);
  } else {
    return std::string(normalized);
  }
  int minutes = 0;
  if (delay.ends_with('m') &&
      number(std::string_view(delay).substr(0, delay.size() - 1), minutes) && minutes > 0) {
    return fmt::format("anacron: {}, delay {} min", every, minutes);
  }
  return "anacron: " + every;
}

// "25 6 * * *" -> "06:25"; any other cron schedule as written.
std::string cron_time(std::string_view raw) {
  const auto fields = util::blank_words(raw);
  int minute = 0;
  int hour = 0;
  if (fields.size() == 5 && number(fields[0], minute) && number(fields[1], hour) &&
      fields[2] == "*" && fields[3] == "*" && fields[4] == "*" && minute >= 0 && minute < 60 &&
      hour >= 0 && hour < 24) {
    return fmt::format("{:02}:{:02}", hour, minute);
  }
  return std::string(raw);
}

// The directory run-parts runs: "cron.daily" for /etc/cron.daily/logrotate.
std::string_view run_parts_directory(std::string_view file) {
  const auto slash = file.rfind('/');
  if (slash == std::string_view::npos || slash == 0) {
    return file;
  }
  const auto parent = file.substr(0, slash);
  const auto before = parent.rfind('/');
  return before == std::string_view::npos ? parent : parent.substr(before + 1);
}

} // namespace

std::string schedule_text(const JobRow& job) {
  const auto& s = job.schedule;
  const bool anacron = s.normalized.starts_with("anacron ");
  if (job.source_traits.clock == "systemd") {
    return s.trigger.empty() ? "timer: " + s.raw : fmt::format("timer: {}={}", s.trigger, s.raw);
  }
  if (job.source_traits.clock == "anacron" && anacron) {
    return anacron_text(s.normalized);
  }
  if (job.source_traits.clock == "inherited") { // a run-parts script
    return fmt::format("run-parts {} ({})", run_parts_directory(job.file),
                       anacron ? anacron_text(s.normalized) : cron_time(s.raw));
  }
  return s.raw;
}

} // namespace digger::report
