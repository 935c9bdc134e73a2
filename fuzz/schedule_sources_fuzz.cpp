// Any bytes as an anacrontab, a systemd unit file and an OnCalendar= expression: no crash,
// no leak, no hang, and the invariants the scan relies on hold.

#include "digger/timing/calendar_spec.hpp"
#include "digger/units/anacrontab.hpp"
#include "digger/units/unit_file.hpp"

#include <chrono>
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

void check_anacrontab(std::string_view text) {
  using digger::crontab::LineKind;
  const auto parsed = digger::units::parse_anacrontab(text);
  std::size_t bytes = 0;
  int expected_number = 1;
  for (const auto& line : parsed.lines) {
    check(line.number == expected_number);
    check(line.last_number >= line.number);
    expected_number = line.last_number + 1;
    bytes += line.raw.size() + 1;
    check((line.kind == LineKind::job) == line.job.has_value());
    check((line.kind == LineKind::env) == line.env.has_value());
    check((line.kind == LineKind::invalid) == !line.error.empty());
    if (line.job) {
      check(!line.job->command.empty());
      check(line.job->delay_minutes >= 0 && line.job->period_days >= 0);
      (void)digger::units::normalized_anacron_schedule(*line.job);
      (void)digger::units::describe_anacron_job(*line.job, parsed);
    }
  }
  check(bytes == text.size() || bytes == text.size() + 1);
}

void check_unit_file(std::string_view text) {
  const auto file = digger::units::parse_unit_file(text);
  for (const auto& entry : file.entries) {
    check(!entry.section.empty());
    check(entry.line >= 1);
  }
  const auto timer = digger::units::read_timer(file);
  for (const auto& trigger : timer.triggers) {
    check(!trigger.value.empty());
    if (const auto span = digger::units::parse_timespan(trigger.value)) {
      (void)digger::units::describe_timespan(*span);
    }
  }
  (void)digger::units::read_service(file);
}

void check_calendar(std::string_view text) {
  const auto spec = digger::timing::parse_calendar_spec(text.substr(0, 512));
  if (!spec) {
    check(!spec.error().empty());
    return;
  }
  const auto normalized = digger::timing::normalized_calendar_spec(*spec);
  // The normalized form is itself a spec that means the same.
  const auto again = digger::timing::parse_calendar_spec(normalized);
  check(again.ok());
  check(digger::timing::normalized_calendar_spec(*again) == normalized);
  (void)digger::timing::describe_calendar_spec(*spec);
  const std::chrono::sys_seconds after{std::chrono::seconds{1'700'000'000}};
  if (const auto next = digger::timing::next_calendar_elapse(*spec, after, nullptr)) {
    check(*next > after);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_anacrontab(text);
  check_unit_file(text);
  check_calendar(text);
  return 0;
}
