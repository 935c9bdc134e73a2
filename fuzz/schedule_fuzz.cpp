// Any bytes as a schedule expression and as each single field: no crash, no hang, and a
// parsed schedule keeps cron's invariants.

#include "digger/crontab/schedule.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace digger::crontab;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto schedule = parse_schedule(text); schedule.ok()) {
    const Schedule& s = schedule.value();
    check(s.days_of_week.test(0) == s.days_of_week.test(7)); // Sunday is 0 and 7
    check(!s.days_of_month.test(0) && !s.months.test(0));
    check(!s.normalized().empty());
  }
  for (Field field :
       {Field::minute, Field::hour, Field::day_of_month, Field::month, Field::day_of_week}) {
    auto value = parse_field(field, text);
    if (value.ok()) {
      check(value.value().star == (!text.empty() && text.front() == '*'));
    } else {
      check(value.error().starts_with("bad "));
    }
  }
  return 0;
}
