#include "digger/migrate/days.hpp"

namespace digger::migrate {
namespace {

std::bitset<7> fold_sunday(const std::bitset<8>& days_of_week) {
  std::bitset<7> out;
  for (size_t d = 0; d < 7; ++d) {
    out.set(d, days_of_week.test(d));
  }
  if (days_of_week.test(7)) {
    out.set(0);
  }
  return out;
}

bool full_dom(const std::bitset<32>& dom) {
  return (dom >> 1).count() == 31;
}

} // namespace

DayRule resolve_days(const crontab::Schedule& schedule) {
  DayRule rule;
  rule.dom = schedule.days_of_month;
  rule.dom.reset(0);
  rule.dow = fold_sunday(schedule.days_of_week);
  const bool dom_full = full_dom(rule.dom);
  const bool dow_full = rule.dow.all();
  const bool dom_empty = rule.dom.none();
  const bool dow_empty = rule.dow.none();
  // cronie: (DOM_STAR || DOW_STAR) ? (dom && dow) : (dom || dow), the star flags coming
  // from the first character of each field, not from the values it selects.
  if (schedule.dom_star || schedule.dow_star) {
    if (dom_empty || dow_empty) {
      rule.kind = DayKind::never;
    } else if (dom_full && dow_full) {
      rule.kind = DayKind::every_day;
    } else if (dow_full) {
      rule.kind = DayKind::dom_only;
    } else if (dom_full) {
      rule.kind = DayKind::dow_only;
    } else {
      rule.kind = DayKind::dom_and_dow;
    }
    return rule;
  }
  if (dom_full || dow_full) {
    rule.kind = DayKind::every_day;
  } else if (dom_empty && dow_empty) {
    rule.kind = DayKind::never;
  } else if (dow_empty) {
    rule.kind = DayKind::dom_only;
  } else if (dom_empty) {
    rule.kind = DayKind::dow_only;
  } else {
    rule.kind = DayKind::dom_or_dow;
  }
  return rule;
}

bool never_fires(const crontab::Schedule& schedule) {
  if (schedule.is_reboot()) {
    return false;
  }
  if (schedule.minutes.none() || schedule.hours.none() || (schedule.months >> 1).none()) {
    return true;
  }
  const DayRule rule = resolve_days(schedule);
  if (rule.kind == DayKind::never) {
    return true;
  }
  if (rule.kind != DayKind::dom_only && rule.kind != DayKind::dom_and_dow) {
    return false; // a weekday comes round in every month
  }
  // Only the day of month restricts: some selected month must have one of those days
  // (February counts its 29th: it fires in leap years).
  static constexpr int month_length[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int month = 1; month <= 12; ++month) {
    if (!schedule.months.test(static_cast<size_t>(month))) {
      continue;
    }
    for (int day = 1; day <= month_length[month]; ++day) {
      if (rule.dom.test(static_cast<size_t>(day))) {
        return false;
      }
    }
  }
  return true;
}

} // namespace digger::migrate
