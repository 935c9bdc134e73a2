#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace digger::migrate {

// How a target writes one numeric field. Steps are emitted only where they select exactly
// the same values as the list they replace; everything else becomes ranges and lists.
enum class StepForm {
  none,        // never write a step (lists and ranges only)
  cron,        // "*/n" from the field's minimum to its end, else "a-b/n" (Jenkins, robfig)
  start_only,  // "a/n" only, and only when the series runs to the field's end (EventBridge)
  start_range, // "a/n" to the end, else "a..b/n" (systemd.time)
};

struct FieldSyntax {
  std::string_view range_separator = "-";
  StepForm steps = StepForm::cron;
};

// Renders ascending, distinct values of a field whose bounds are [low, high]. A full field
// is "*". An empty list is the caller's bug (never-firing schedules are refused earlier).
std::string render_field(const std::vector<int>& values, int low, int high,
                         const FieldSyntax& syntax);

} // namespace digger::migrate
