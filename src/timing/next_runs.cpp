#include "digger/timing/next_runs.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <exception>

#include "wall_match.hpp"

namespace digger::timing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;

// Thresholds of cronie's main loop (cron.c), in minutes of wall-clock change. The daemon
// compares the wall clock at wake-up with the minute it last handled: a forward change of
// 2..5 minutes ("small": every job is caught up), 6..180 ("medium", a DST jump: only
// fixed-time jobs are caught up), more ("large": nothing is caught up). A backward change of
// up to 180 minutes runs only wildcard jobs until the clock is past the minutes already seen.
// A jump of g minutes is a wall-clock change of g + 1, a fall-back of o minutes one of 1 - o.
constexpr int small_gap_max = 4;
constexpr int medium_gap_max = 179;
constexpr int overlap_max = 181;

// A time zone offset as cron sees it between two transitions.
struct Segment {
  sys_seconds begin;
  sys_seconds end;
  seconds offset;
  seconds previous_offset; // in force just before `begin`
};

Segment segment_at(const date::time_zone& zone, sys_seconds instant) {
  const date::sys_info info = zone.get_info(instant);
  Segment segment{info.begin, info.end, info.offset, info.offset};
  // Only the first hours of a segment need the previous offset (gap catch-up, overlap).
  if (instant - info.begin < std::chrono::hours{4}) {
    segment.previous_offset = zone.get_info(info.begin - seconds{1}).offset;
  }
  return segment;
}

date::local_seconds wall(sys_seconds instant, seconds offset) {
  return date::local_seconds{(instant + offset).time_since_epoch()};
}

sys_seconds instant_of(date::local_seconds wall_time, seconds offset) {
  return sys_seconds{wall_time.time_since_epoch()} - offset;
}

// Does the daemon run this job right after the clock jumped forward at segment.begin,
// to make up for wall-clock minutes that never happened?
bool caught_up_at_jump(const WallMatcher& matcher, bool wildcard, const Segment& segment) {
  const int gap = static_cast<int>((segment.offset - segment.previous_offset) / minutes{1});
  const bool catches_up = gap <= small_gap_max || (!wildcard && gap <= medium_gap_max);
  if (gap <= 0 || !catches_up) {
    return false;
  }
  return matcher
      .next_match(wall(segment.begin, segment.previous_offset), wall(segment.begin, segment.offset))
      .has_value();
}

// The earliest wall-clock time this job may run in the segment: after a fall-back,
// fixed-time jobs skip the minutes they already ran in the first pass.
date::local_seconds first_allowed_wall(bool wildcard, const Segment& segment, sys_seconds cursor) {
  const auto from = wall(cursor, segment.offset);
  const auto overlap = (segment.previous_offset - segment.offset) / minutes{1};
  if (wildcard || overlap <= 0 || overlap > overlap_max) {
    return from;
  }
  return std::max(from, wall(segment.begin, segment.previous_offset));
}

sys_seconds search_limit(sys_seconds after) {
  return after + date::floor<seconds>(date::years{search_span_years});
}

} // namespace

bool can_ever_fire(const crontab::Schedule& s) {
  if (s.is_reboot() || s.minutes.none() || s.hours.none() || s.months.none()) {
    return false;
  }
  const bool any_weekday = (s.days_of_week.to_ulong() & 0x7FU) != 0;
  static constexpr std::array<int, 13> longest_month = {0,  31, 29, 31, 30, 31, 30,
                                                        31, 31, 30, 31, 30, 31};
  bool any_date = false;
  for (int month = 1; month <= 12 && !any_date; ++month) {
    for (int day = 1; day <= longest_month[month] && s.months.test(month); ++day) {
      any_date = any_date || s.days_of_month.test(static_cast<std::size_t>(day));
    }
  }
  // Every month has every weekday, and over 28 years every date falls on every weekday.
  if (s.dom_star || s.dow_star) {
    return any_date && any_weekday;
  }
  return any_date || any_weekday;
}

util::Result<const date::time_zone*> find_time_zone(std::string_view name) {
  const auto unknown = util::Error{fmt::format("unknown time zone '{}'", name)};
  if (name.empty() || name.size() > 64) {
    return unknown;
  }
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return unknown; // date throws std::runtime_error for names it does not know
  }
}

std::optional<FireTime> next_fire_time(const crontab::Schedule& schedule, sys_seconds after,
                                       const date::time_zone& zone) {
  if (!can_ever_fire(schedule)) {
    return std::nullopt;
  }
  const WallMatcher matcher(schedule);
  const bool wildcard = schedule.minute_star || schedule.hour_star;
  const sys_seconds limit = search_limit(after);
  // cron starts jobs on whole minutes; the first candidate is the minute after `after`.
  sys_seconds cursor = date::floor<minutes>(after) + minutes{1};
  while (cursor < limit) {
    const Segment segment = segment_at(zone, cursor);
    if (cursor == segment.begin && caught_up_at_jump(matcher, wildcard, segment)) {
      return FireTime{segment.begin, segment.offset};
    }
    const sys_seconds end = std::min(segment.end, limit);
    if (auto found = matcher.next_match(first_allowed_wall(wildcard, segment, cursor),
                                        wall(end, segment.offset))) {
      return FireTime{instant_of(*found, segment.offset), segment.offset};
    }
    cursor = end;
  }
  return std::nullopt;
}

std::vector<FireTime> next_fire_times(const crontab::Schedule& schedule, sys_seconds after,
                                      const date::time_zone& zone, std::size_t count) {
  std::vector<FireTime> times;
  times.reserve(std::min<std::size_t>(count, 1024));
  while (times.size() < count) {
    auto next = next_fire_time(schedule, after, zone);
    if (!next) {
      break;
    }
    times.push_back(*next);
    after = next->utc;
  }
  return times;
}

util::Result<std::vector<FireTime>> next_fire_times(const crontab::Schedule& schedule,
                                                    sys_seconds after, std::string_view time_zone,
                                                    std::size_t count) {
  auto zone = find_time_zone(time_zone);
  if (!zone) {
    return util::Error{zone.error()};
  }
  return next_fire_times(schedule, after, **zone, count);
}

std::string to_iso8601(const FireTime& time) {
  const auto local = wall(time.utc, time.utc_offset);
  const auto magnitude = date::abs(time.utc_offset);
  const auto hms = date::hh_mm_ss<seconds>{magnitude};
  std::string offset = fmt::format("{}{:02}:{:02}", time.utc_offset < seconds{0} ? '-' : '+',
                                   hms.hours().count(), hms.minutes().count());
  if (hms.seconds().count() != 0) {
    offset += fmt::format(":{:02}", hms.seconds().count());
  }
  return date::format("%FT%T", local) + offset;
}

} // namespace digger::timing

namespace digger::timing {
namespace {

// A tiny cursor over the timestamp text; every read checks bounds and digit-ness.
class TextCursor {
public:
  explicit TextCursor(std::string_view text) : text_(text) {}
  bool at_end() const { return pos_ == text_.size(); }
  bool accept(char c) {
    if (!at_end() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool peek_digit() const { return !at_end() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  // Exactly `width` digits, or -1.
  int digits(int width) {
    int value = 0;
    for (int i = 0; i < width; ++i) {
      if (!peek_digit()) {
        return -1;
      }
      value = value * 10 + (text_[pos_++] - '0');
    }
    return value;
  }

private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// "Z", "+HH", "+HHMM" or "+HH:MM"; nullopt when absent, -1 hour in `bad` on a syntax error.
std::optional<seconds> read_offset(TextCursor& in, bool& bad) {
  if (in.accept('Z') || in.accept('z')) {
    return seconds{0};
  }
  int sign = 0;
  if (in.accept('+')) {
    sign = 1;
  } else if (in.accept('-')) {
    sign = -1;
  } else {
    return std::nullopt;
  }
  const int hours = in.digits(2);
  int mins = 0;
  if (in.accept(':') || in.peek_digit()) {
    mins = in.digits(2);
  }
  if (hours < 0 || hours > 23 || mins < 0 || mins > 59) {
    bad = true;
    return std::nullopt;
  }
  return sign * (std::chrono::hours{hours} + minutes{mins});
}

} // namespace

util::Result<sys_seconds> parse_iso8601(std::string_view text, const date::time_zone& zone) {
  const auto bad =
      util::Error{fmt::format("bad time '{}': expected YYYY-MM-DDTHH:MM[:SS] with an optional Z or "
                              "+HH:MM",
                              text.substr(0, 64))};
  TextCursor in{text};
  const int year = in.digits(4);
  const int month = in.accept('-') ? in.digits(2) : -1;
  const int day = in.accept('-') ? in.digits(2) : -1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (in.accept('T') || in.accept('t') || in.accept(' ')) {
    hour = in.digits(2);
    minute = in.accept(':') ? in.digits(2) : -1;
    if (in.accept(':')) {
      second = in.digits(2);
    }
  }
  bool bad_offset = false;
  const auto offset = read_offset(in, bad_offset);
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (year < 0 || month < 0 || day < 0 || !ymd.ok() || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59 || bad_offset || !in.at_end()) {
    return bad;
  }
  const auto wall_time =
      date::local_days{ymd} + std::chrono::hours{hour} + minutes{minute} + seconds{second};
  if (offset) {
    return instant_of(wall_time, *offset);
  }
  return zone.to_sys(wall_time, date::choose::earliest);
}

} // namespace digger::timing
