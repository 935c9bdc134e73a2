// Next elapse of an OnCalendar= spec: a port of systemd's find_next() (calendarspec.c). systemd
// searches over a struct tm and leans on mktime() to normalize it; WallClock below stands in for
// glibc's mktime()/timegm() on a date::time_zone, including the two DST rules that decide the
// result: a skipped wall time is moved forward by the gap (the offset before the jump is used),
// and a repeated wall time takes the offset glibc used last (mktime keeps it between calls).

#include "digger/timing/calendar_spec.hpp"

#include <date/tz.h>

namespace digger::timing {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr int usec_per_sec = 1000000;
constexpr long max_steps = 4'000'000; // far beyond any valid spec (years x months x days)

// struct tm with the full year and microseconds beside the seconds.
struct Tm {
  long long year = 1970;
  long long mon = 0; // 0..11 once normalized
  long long mday = 1;
  long long hour = 0;
  long long min = 0;
  long long sec = 0;
  int wday = 4; // 0 = Sunday, set by normalization

  bool same_fields(const Tm& o) const {
    return year == o.year && mon == o.mon && mday == o.mday && hour == o.hour && min == o.min &&
           sec == o.sec;
  }
};

long long floor_div(long long a, long long b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

date::local_seconds to_local(const Tm& tm) {
  const long long years = tm.year + floor_div(tm.mon, 12);
  const long long month = tm.mon - floor_div(tm.mon, 12) * 12;
  const date::sys_days first{date::year{static_cast<int>(years)} /
                             date::month{static_cast<unsigned>(month + 1)} / date::day{1}};
  const long long secs = (tm.mday - 1) * 86400 + tm.hour * 3600 + tm.min * 60 + tm.sec;
  return date::local_seconds{first.time_since_epoch() + seconds{secs}};
}

Tm from_local(date::local_seconds local) {
  const auto days = date::floor<date::days>(local);
  const date::year_month_day ymd{days};
  const date::hh_mm_ss<seconds> hms{local - days};
  Tm tm;
  tm.year = static_cast<int>(ymd.year());
  tm.mon = static_cast<unsigned>(ymd.month()) - 1;
  tm.mday = static_cast<unsigned>(ymd.day());
  tm.hour = hms.hours().count();
  tm.min = hms.minutes().count();
  tm.sec = hms.seconds().count();
  tm.wday = static_cast<int>(date::weekday{days}.c_encoding());
  return tm;
}

class WallClock {
public:
  WallClock(const date::time_zone* zone, sys_seconds start) : zone_(zone) {
    last_offset_ = offset_at(start);
  }

  Tm localtime(sys_seconds t) const {
    return from_local(date::local_seconds{(t + offset_at(t)).time_since_epoch()});
  }

  // mktime(tm) with tm_isdst = -1 (timegm in UTC): normalizes tm in place.
  sys_seconds mktime(Tm& tm) {
    const auto local = to_local(tm);
    seconds offset{0};
    if (zone_ != nullptr) {
      const date::local_info info = zone_->get_info(local);
      offset = info.first.offset;
      if (info.result == date::local_info::ambiguous && last_offset_ != info.first.offset) {
        offset = info.second.offset;
      }
    }
    last_offset_ = offset;
    const sys_seconds t{local.time_since_epoch() - offset};
    tm = localtime(t);
    return t;
  }

private:
  seconds offset_at(sys_seconds t) const {
    return zone_ == nullptr ? seconds{0} : zone_->get_info(t).offset;
  }

  const date::time_zone* zone_;
  seconds last_offset_{0};
};

class Search {
public:
  Search(const CalendarSpec& spec, const date::time_zone* zone, sys_seconds after)
      : spec_(spec), clock_(zone, after) {}

  std::optional<sys_seconds> next(sys_seconds after);

private:
  // 1 if normalized fields did not change, 0 if mktime moved them (tm updated), -1 past 2199.
  int within_bounds(Tm& tm) {
    if (tm.year > calendar_max_year) {
      return -1;
    }
    Tm t = tm;
    clock_.mktime(t);
    if (t.same_fields(tm)) {
      return 1;
    }
    tm = t;
    return 0;
  }

  long long end_of_month(const Tm& tm, int day) {
    Tm t = tm;
    t.mon += 1;
    t.mday = 1 - day;
    clock_.mktime(t);
    return t.mon == tm.mon ? t.mday : -1;
  }

  bool matches_weekday(const Tm& tm) {
    const int bits = spec_.weekdays_bits;
    if (bits < 0 || bits >= 127) {
      return true;
    }
    Tm t = tm;
    clock_.mktime(t);
    const int k = t.wday == 0 ? 6 : t.wday - 1;
    return (bits & (1 << k)) != 0;
  }

  // find_matching_component: -1 none, 0 val already matches, 1 val moved forward.
  int match(const std::vector<CalendarComponent>& chain, const Tm& tm, long long& val) {
    if (chain.empty()) {
      return 0;
    }
    const bool from_end = spec_.end_of_month && &chain == &spec_.day;
    long long best = -1;
    bool found = false;
    for (const auto& c : chain) {
      long long start = c.start;
      long long stop = c.stop;
      if (from_end) {
        start = end_of_month(tm, c.start);
        stop = end_of_month(tm, c.stop);
        if (stop > 0) {
          std::swap(start, stop);
        }
      }
      if (start >= val) {
        if (!found || start < best) {
          best = start;
          found = true;
        }
      } else if (c.repeat > 0) {
        const long long k = start + c.repeat * ((val - start + c.repeat - 1) / c.repeat);
        if ((!found || k < best) && (stop < 0 || k <= stop)) {
          best = k;
          found = true;
        }
      }
    }
    if (!found) {
      return -1;
    }
    const int moved = val != best ? 1 : 0;
    val = best;
    return moved;
  }

  const CalendarSpec& spec_;
  WallClock clock_;
};

std::optional<sys_seconds> Search::next(sys_seconds after) {
  Tm c = clock_.localtime(after);
  long long usec = 1;                              // systemd searches from after + 1 microsecond
  const auto clear_from = [&c, &usec](int level) { // 0 = month .. 5 = microseconds
    if (level <= 0)
      c.mon = 0;
    if (level <= 1)
      c.mday = 1;
    if (level <= 2)
      c.hour = 0;
    if (level <= 3)
      c.min = 0;
    if (level <= 4)
      c.sec = 0;
    usec = 0;
  };
  for (long step = 0; step < max_steps; ++step) {
    clock_.mktime(c);
    int r = match(spec_.year, c, c.year);
    if (r > 0) {
      clear_from(0);
    }
    if (r < 0 || within_bounds(c) <= 0) {
      return std::nullopt;
    }
    long long month = c.mon + 1;
    r = match(spec_.month, c, month);
    c.mon = month - 1;
    if (r > 0) {
      clear_from(1);
    }
    if (r < 0 || (r = within_bounds(c)) < 0) {
      c.year += 1;
      clear_from(0);
      continue;
    }
    if (r == 0) {
      continue;
    }
    r = match(spec_.day, c, c.mday);
    if (r > 0) {
      clear_from(2);
    }
    if (r < 0 || (r = within_bounds(c)) < 0) {
      c.mon += 1;
      clear_from(1);
      continue;
    }
    if (r == 0) {
      continue;
    }
    if (!matches_weekday(c)) {
      c.mday += 1;
      clear_from(2);
      continue;
    }
    r = match(spec_.hour, c, c.hour);
    if (r > 0) {
      clear_from(3);
    }
    if (r < 0 || (r = within_bounds(c)) < 0) {
      c.mday += 1;
      clear_from(2);
      continue;
    }
    if (r == 0) {
      continue; // the hour may not exist on a DST day: retry from the normalized time
    }
    r = match(spec_.minute, c, c.min);
    if (r > 0) {
      clear_from(4);
    }
    if (r < 0 || (r = within_bounds(c)) < 0) {
      c.hour += 1;
      clear_from(3);
      continue;
    }
    if (r == 0) {
      continue;
    }
    long long micros = c.sec * usec_per_sec + usec;
    r = match(spec_.microsecond, c, micros);
    usec = micros % usec_per_sec;
    c.sec = micros / usec_per_sec;
    if (r < 0 || (r = within_bounds(c)) < 0) {
      c.min += 1;
      clear_from(4);
      continue;
    }
    if (r == 0) {
      continue;
    }
    return clock_.mktime(c);
  }
  return std::nullopt;
}

} // namespace

std::optional<sys_seconds> next_calendar_elapse(const CalendarSpec& spec, sys_seconds after,
                                                const date::time_zone* zone) {
  const date::time_zone* effective = spec.utc ? nullptr : zone;
  if (!spec.utc && !spec.timezone.empty()) {
    try {
      effective = date::locate_zone(spec.timezone);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (after < sys_seconds{} ||
      after > sys_seconds{date::sys_days{date::year{calendar_max_year + 1} / 1 / 1}}) {
    return std::nullopt;
  }
  try {
    Search search(spec, effective, after);
    return search.next(after);
  } catch (const std::exception&) {
    return std::nullopt; // date throws on instants outside its tables; nothing elapses there
  }
}

} // namespace digger::timing
