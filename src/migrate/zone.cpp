#include "digger/migrate/zone.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <exception>

namespace digger::migrate {
namespace {

using std::chrono::minutes;
using std::chrono::sys_seconds;

const date::time_zone* find_zone(std::string_view zone) {
  if (zone.empty()) {
    return nullptr;
  }
  try {
    return date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    return nullptr; // unknown name, or no tz database on this machine
  }
}

constexpr auto one_year = std::chrono::hours(24 * 366);

bool is_fixed_time(const crontab::Schedule& s) {
  return !s.minute_star && !s.hour_star;
}

// The first local minute in [from, to) at which the job matches, as text.
std::optional<std::string> first_match(const crontab::Schedule& s, date::local_seconds from,
                                       date::local_seconds to) {
  for (auto t = date::floor<minutes>(from); t < to; t += minutes(1)) {
    const auto day = date::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const date::weekday wd{day};
    const date::hh_mm_ss hms{t - day};
    if (cron_matches(s, static_cast<int>(static_cast<unsigned>(ymd.month())),
                     static_cast<int>(static_cast<unsigned>(ymd.day())),
                     static_cast<int>(wd.c_encoding()), static_cast<int>(hms.hours().count()),
                     static_cast<int>(hms.minutes().count()))) {
      return date::format("%F %R", t);
    }
  }
  return std::nullopt;
}

} // namespace

bool cron_matches(const crontab::Schedule& s, int month, int day_of_month, int weekday, int hour,
                  int minute) {
  const bool dom = s.days_of_month.test(static_cast<size_t>(day_of_month));
  const bool dow = s.days_of_week.test(static_cast<size_t>(weekday));
  const bool days = (s.dom_star || s.dow_star) ? (dom && dow) : (dom || dow);
  return s.minutes.test(static_cast<size_t>(minute)) && s.hours.test(static_cast<size_t>(hour)) &&
         s.months.test(static_cast<size_t>(month)) && days;
}

ZoneFacts zone_facts(std::string_view zone, sys_seconds reference) {
  ZoneFacts facts;
  const date::time_zone* tz = find_zone(zone);
  if (tz == nullptr) {
    return facts;
  }
  facts.known = true;
  const auto info = tz->get_info(reference);
  facts.offset = date::floor<minutes>(info.offset);
  for (auto t = reference; t < reference + one_year;) {
    const auto current = tz->get_info(t);
    if (current.offset != info.offset) {
      facts.has_dst = true;
      break;
    }
    if (current.end <= t) {
      break;
    }
    t = current.end;
  }
  facts.is_utc = !facts.has_dst && facts.offset == minutes(0);
  return facts;
}

DstImpact dst_impact(const crontab::Schedule& schedule, std::string_view zone,
                     sys_seconds reference) {
  DstImpact impact;
  const date::time_zone* tz = find_zone(zone);
  if (tz == nullptr || schedule.is_reboot()) {
    return impact;
  }
  const bool fixed = is_fixed_time(schedule);
  auto t = reference;
  while (t < reference + one_year) {
    const auto info = tz->get_info(t);
    if (info.end <= t || info.end >= reference + one_year) {
      break;
    }
    const auto after = tz->get_info(info.end);
    const auto before_local = date::local_seconds{(info.end + info.offset).time_since_epoch()};
    const auto after_local = date::local_seconds{(info.end + after.offset).time_since_epoch()};
    if (after_local > before_local) { // spring: [before, after) never exists locally
      if (fixed && !impact.fixed_in_gap) {
        impact.fixed_in_gap = first_match(schedule, before_local, after_local);
      }
    } else if (after_local < before_local) { // autumn: [after, before) is lived twice
      auto match = first_match(schedule, after_local, before_local);
      auto& slot = fixed ? impact.fixed_in_overlap : impact.wildcard_in_overlap;
      if (!slot) {
        slot = match;
      }
    }
    t = info.end;
  }
  return impact;
}

} // namespace digger::migrate
