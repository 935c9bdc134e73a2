// Agreement over a year: what each generated expression fires on, read by a small evaluator
// written from the target's documentation, against cron's own rule applied to the parsed
// bitsets. The evaluators are independent of the production renderer on purpose.

#include "digger/crontab/schedule.hpp"
#include "digger/migrate/conversion.hpp"
#include "digger/migrate/expressions.hpp"

#include <catch2/catch.hpp>
#include <date/date.h>
#include <fmt/format.h>

#include <bitset>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace digger;
using migrate::Target;

namespace {

struct Moment {
  int month, day, weekday, hour, minute; // weekday 0 = Sunday
};

// cron-semantics.md §4: minute && hour && month && (star ? dom && dow : dom || dow).
bool cron_fires(const crontab::Schedule& s, const Moment& t) {
  const bool dom = s.days_of_month.test(static_cast<size_t>(t.day));
  const bool dow = s.days_of_week.test(static_cast<size_t>(t.weekday)) ||
                   (t.weekday == 0 && s.days_of_week.test(7));
  const bool days = (s.dom_star || s.dow_star) ? (dom && dow) : (dom || dow);
  return s.minutes.test(static_cast<size_t>(t.minute)) &&
         s.hours.test(static_cast<size_t>(t.hour)) && s.months.test(static_cast<size_t>(t.month)) &&
         days;
}

enum class Dialect { eventbridge, jenkins, robfig };

struct FieldSet {
  std::bitset<64> bits;
  bool star = false;     // robfig's star bit: '*' or '?' with no step above 1
  bool question = false; // EventBridge '?'
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) {
    out.push_back(item);
  }
  return out;
}

int number(const std::string& text) {
  REQUIRE(!text.empty());
  for (char c : text) {
    INFO("not a number: " << text);
    REQUIRE(std::isdigit(static_cast<unsigned char>(c)));
  }
  return std::stoi(text);
}

// One field, from the documents: EventBridge eb-scheduled-rule-pattern ("," "-" "*" "?" and
// "/" as in "1/10": start, then every n to the end); Jenkins help-spec.jelly ("*", "M-N",
// "M-N/X", "*/X", lists; BaseParser rejects start > end); robfig/cron parser.go ("N/step"
// is N-max/step, the star bit is cleared by a step above 1, start > end rejected).
FieldSet parse_field(const std::string& text, int low, int high, Dialect dialect) {
  FieldSet out;
  if (text == "?") {
    REQUIRE(dialect != Dialect::jenkins);
    out.question = true;
    out.star = true;
    for (int v = low; v <= high; ++v) {
      out.bits.set(static_cast<size_t>(v));
    }
    return out;
  }
  for (const std::string& item : split(text, ',')) {
    std::string range = item;
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string::npos) {
      range = item.substr(0, slash);
      step = number(item.substr(slash + 1));
      REQUIRE(step > 0);
    }
    int first = low;
    int last = high;
    if (range == "*") {
      out.star = out.star || step == 1;
    } else if (auto dash = range.find('-'); dash != std::string::npos) {
      first = number(range.substr(0, dash));
      last = number(range.substr(dash + 1));
    } else {
      first = number(range);
      if (step == 1) {
        last = first;
      } else {
        REQUIRE(dialect != Dialect::jenkins); // "N/step" is not Jenkins syntax
      }
    }
    INFO("field " << text);
    REQUIRE(first <= last); // every target rejects reversed ranges
    REQUIRE(first >= low);
    REQUIRE(last <= high);
    for (int v = first; v <= last; v += step) {
      out.bits.set(static_cast<size_t>(v));
    }
  }
  return out;
}

using Evaluator = std::function<bool(const Moment&)>;

Evaluator eventbridge_evaluator(const std::string& expression) {
  REQUIRE(expression.starts_with("cron("));
  REQUIRE(expression.ends_with(")"));
  const auto f = split(expression.substr(5, expression.size() - 6), ' ');
  REQUIRE(f.size() == 6);
  REQUIRE(f[5] == "*");
  const auto minute = parse_field(f[0], 0, 59, Dialect::eventbridge);
  const auto hour = parse_field(f[1], 0, 23, Dialect::eventbridge);
  const auto dom = parse_field(f[2], 1, 31, Dialect::eventbridge);
  const auto month = parse_field(f[3], 1, 12, Dialect::eventbridge);
  const auto dow = parse_field(f[4], 1, 7, Dialect::eventbridge); // SUN = 1
  REQUIRE(dom.question != dow.question); // "you must use a ? in the other", exactly one
  return [=](const Moment& t) {
    const bool day = dom.question ? dow.bits.test(static_cast<size_t>(t.weekday + 1))
                                  : dom.bits.test(static_cast<size_t>(t.day));
    return minute.bits.test(static_cast<size_t>(t.minute)) &&
           hour.bits.test(static_cast<size_t>(t.hour)) &&
           month.bits.test(static_cast<size_t>(t.month)) && day;
  };
}

struct FiveFields {
  FieldSet minute, hour, dom, month, dow;
};

FiveFields five_fields(const std::string& line, Dialect dialect, int dow_high) {
  const auto f = split(line, ' ');
  REQUIRE(f.size() == 5);
  return {parse_field(f[0], 0, 59, dialect), parse_field(f[1], 0, 23, dialect),
          parse_field(f[2], 1, 31, dialect), parse_field(f[3], 1, 12, dialect),
          parse_field(f[4], 0, dow_high, dialect)};
}

bool time_matches(const FiveFields& f, const Moment& t) {
  return f.minute.bits.test(static_cast<size_t>(t.minute)) &&
         f.hour.bits.test(static_cast<size_t>(t.hour)) &&
         f.month.bits.test(static_cast<size_t>(t.month));
}

// Jenkins CronTab.check ANDs every field; CronTabList fires when any line matches.
Evaluator jenkins_evaluator(const std::vector<std::string>& lines) {
  std::vector<FiveFields> parsed;
  for (const auto& line : lines) {
    parsed.push_back(five_fields(line, Dialect::jenkins, 7)); // 0-7, both Sunday
  }
  return [=](const Moment& t) {
    for (const auto& f : parsed) {
      const bool dow =
          f.dow.bits.test(static_cast<size_t>(t.weekday)) || (t.weekday == 0 && f.dow.bits.test(7));
      if (time_matches(f, t) && f.dom.bits.test(static_cast<size_t>(t.day)) && dow) {
        return true;
      }
    }
    return false;
  };
}

// robfig/cron spec.go dayMatches: AND if either day field has the star bit, else OR.
Evaluator robfig_evaluator(const std::string& line) {
  const FiveFields f = five_fields(line, Dialect::robfig, 6); // dow bounds 0-6
  return [=](const Moment& t) {
    const bool dom = f.dom.bits.test(static_cast<size_t>(t.day));
    const bool dow = f.dow.bits.test(static_cast<size_t>(t.weekday));
    const bool days = (f.dom.star || f.dow.star) ? (dom && dow) : (dom || dow);
    return time_matches(f, t) && days;
  };
}

// Every minute of a leap year (so 29 February is seen); the first disagreement, if any.
std::optional<std::string> first_disagreement(const crontab::Schedule& s, const Evaluator& target,
                                              long& cron_count) {
  using namespace date;
  cron_count = 0;
  for (sys_days d = 2028_y / January / 1; d < sys_days{2029_y / January / 1}; d += days{1}) {
    const year_month_day ymd{d};
    Moment t{static_cast<int>(static_cast<unsigned>(ymd.month())),
             static_cast<int>(static_cast<unsigned>(ymd.day())),
             static_cast<int>(weekday{d}.c_encoding()), 0, 0};
    for (t.hour = 0; t.hour < 24; ++t.hour) {
      for (t.minute = 0; t.minute < 60; ++t.minute) {
        const bool expected = cron_fires(s, t);
        cron_count += expected ? 1 : 0;
        if (expected != target(t)) {
          return fmt::format("{} {:02}:{:02}: cron {}, target {}", date::format("%F", d), t.hour,
                             t.minute, expected, !expected);
        }
      }
    }
  }
  return std::nullopt;
}

// Cron schedules that exercise the pitfalls: OR and AND days, '*'-led day fields, Sunday
// as 0 and 7, names, steps past the field, reversed ranges, impossible dates, macros.
const std::vector<const char*> battery = {
    "* * * * *",
    "*/7 * * * *",
    "*/60 * * * *",
    "*/35 */5 * * *",
    "0-30/10 5-20/5 * * *",
    "5-59/20 */3 * * *",
    "23 0-23/2 * * *",
    "0 12 15 * 1",
    "0 4 15-21 * 1",
    "30 1,8 * * 0,1,4,5,6",
    "0 0 * * 7",
    "0 0 * * 0-7",
    "0 0 1-31 * 1",
    "0 0 */2 * *",
    "0 0 */2 * sun",
    "0 0 * * */2",
    "0 0 1,15 * */2",
    "* * */10 * Sun",
    "0 0 5-2 * 1",
    "0 0 5-2 * *",
    "0 0 31 2 *",
    "0 0 29 2 *",
    "0 0 * jan-mar/2 fri-sun",
    "15 3 1-7 * mon",
    "0 9 * jan,jul mon-fri",
    "1 2 3 4 5",
    "0 */5 */3 */2 *",
    "0 0 2-30/7 * *",
    "0 0 1,8,15,22,29 * 1-5",
    "0 22 * * 1-5",
    "0 0 * * 6,0",
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
    "0 0 1-7 * */3",
    "59 23 31 12 *",
};

void check_agreement(Target target) {
  for (const char* text : battery) {
    auto parsed = crontab::parse_schedule(text);
    REQUIRE(parsed.ok());
    const crontab::Schedule& s = parsed.value();
    INFO("cron: " << text << "  target: " << migrate::target_name(target));
    long cron_count = 0;
    if (auto problem = migrate::schedule_problem(s, target)) {
      // A refusal must be real: either cron never fires, or it ANDs two restricted days.
      const bool never = !first_disagreement(
          s, [](const Moment&) { return false; }, cron_count);
      INFO("refused as " << problem->feature);
      CHECK((never || problem->feature == "day-and-rule"));
      if (problem->feature == "day-and-rule") {
        CHECK((s.dom_star || s.dow_star));
      }
      continue;
    }
    Evaluator evaluator;
    std::string generated;
    if (target == migrate::target_named("eventbridge")) {
      const auto expressions = migrate::eventbridge_expressions(s);
      std::vector<Evaluator> parts;
      for (const auto& e : expressions) {
        generated += e + " ";
        parts.push_back(eventbridge_evaluator(e));
      }
      evaluator = [parts](const Moment& t) {
        for (const auto& p : parts) {
          if (p(t)) {
            return true;
          }
        }
        return false;
      };
    } else if (target == migrate::target_named("jenkins")) {
      const auto lines = migrate::jenkins_lines(s);
      for (const auto& l : lines) {
        generated += l + " | ";
      }
      evaluator = jenkins_evaluator(lines);
    } else {
      generated = migrate::kubernetes_schedule(s);
      evaluator = robfig_evaluator(generated);
    }
    INFO("generated: " << generated);
    CHECK(first_disagreement(s, evaluator, cron_count).value_or("agree") == "agree");
    CHECK(cron_count > 0);
  }
}

} // namespace

TEST_CASE("EventBridge expressions fire on cron's minutes over a year", "[migrate][agreement]") {
  check_agreement(migrate::target_named("eventbridge"));
}

TEST_CASE("Jenkins specs fire on cron's minutes over a year", "[migrate][agreement]") {
  check_agreement(migrate::target_named("jenkins"));
}

TEST_CASE("Kubernetes schedules fire on cron's minutes over a year", "[migrate][agreement]") {
  check_agreement(migrate::target_named("k8s"));
}

TEST_CASE("the evaluators see the documented differences", "[migrate][agreement]") {
  // Guards the guards: copying cron text unchanged would disagree, and the evaluators catch it.
  auto parsed = crontab::parse_schedule("* * */10 * Sun");
  REQUIRE(parsed.ok());
  long count = 0;
  // robfig's own test (#70): Sunday the 15th matches, cron does not run then.
  CHECK(first_disagreement(parsed.value(), robfig_evaluator("* * */10 * 0"), count).has_value());
  auto weekly = crontab::parse_schedule("0 12 15 * 1");
  REQUIRE(weekly.ok());
  // sanity-io's single "cron(0 12 ? * 2 *)" misses the 15th.
  CHECK(first_disagreement(weekly.value(), eventbridge_evaluator("cron(0 12 ? * 2 *)"), count)
            .has_value());
  // A Jenkins line with both days is an AND; cron's OR needs two lines.
  CHECK(first_disagreement(weekly.value(), jenkins_evaluator({"0 12 15 * 1"}), count).has_value());
}

namespace {

Moment moment_at(date::sys_time<std::chrono::minutes> t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss hms{t - day};
  return {static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(date::weekday{day}.c_encoding()), static_cast<int>(hms.hours().count()),
          static_cast<int>(hms.minutes().count())};
}

} // namespace

TEST_CASE("EventBridge rules moved to UTC fire when cron fires in Tokyo", "[migrate][agreement]") {
  using namespace date;
  using std::chrono::hours;
  using std::chrono::minutes;
  migrate::JobContext context;
  context.host_zone = "Asia/Tokyo"; // UTC+9, no DST
  context.reference = sys_seconds{sys_days{2028_y / January / 1}};
  std::set<std::string> converted;
  for (const char* text : battery) {
    auto parsed = crontab::parse_schedule(text);
    REQUIRE(parsed.ok());
    crontab::Job job;
    job.schedule = parsed.value();
    job.schedule_text = text;
    job.command = "x";
    std::set<std::string> used;
    const auto c =
        migrate::convert_job(job, context, migrate::target_named("eventbridge-rule"), used);
    INFO("cron: " << text);
    if (!c.converted) {
      continue;
    }
    converted.insert(text);
    std::vector<Evaluator> parts;
    for (const auto& e : c.schedules) {
      parts.push_back(eventbridge_evaluator(e));
    }
    const auto start = sys_time<minutes>{sys_days{2028_y / January / 8}};
    for (auto utc = start; utc < start + days{358}; utc += minutes{1}) {
      const bool fires = std::any_of(parts.begin(), parts.end(),
                                     [&](const Evaluator& p) { return p(moment_at(utc)); });
      if (fires != cron_fires(job.schedule, moment_at(utc + hours{9}))) {
        FAIL("disagree at " << date::format("%F %R UTC", utc) << " with " << c.schedules[0]);
      }
    }
  }
  // Midnight in Tokyo is the previous day in UTC: these need the weekdays moved, or none.
  for (const char* text : {"0 0 * * 7", "0 0 * * */2", "@weekly", "@daily", "0 22 * * 1-5"}) {
    CHECK(converted.count(text) == 1);
  }
}
