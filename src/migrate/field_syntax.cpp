#include "digger/migrate/field_syntax.hpp"

#include "digger/crontab/schedule.hpp"

#include <fmt/format.h>

#include <optional>

namespace digger::migrate {
namespace {

// The common difference when the values form an arithmetic series of at least three terms
// with a difference above one (two values read better as a list, consecutive ones as a range).
std::optional<int> series_step(const std::vector<int>& values) {
  if (values.size() < 3) {
    return std::nullopt;
  }
  const int step = values[1] - values[0];
  if (step <= 1) {
    return std::nullopt;
  }
  for (size_t i = 2; i < values.size(); ++i) {
    if (values[i] - values[i - 1] != step) {
      return std::nullopt;
    }
  }
  return step;
}

std::optional<std::string> render_series(const std::vector<int>& values, int low, int high,
                                         const FieldSyntax& syntax) {
  const auto step = series_step(values);
  if (!step) {
    return std::nullopt;
  }
  const int first = values.front();
  const int last = values.back();
  // "Runs to the end": the next term would leave the field, so an open-ended step is exact.
  const bool to_end = last + *step > high;
  switch (syntax.steps) {
  case StepForm::none:
    return std::nullopt;
  case StepForm::cron:
    if (first == low && to_end) {
      return fmt::format("*/{}", *step);
    }
    return fmt::format("{}-{}/{}", first, last, *step);
  case StepForm::start_only:
    if (to_end) {
      return fmt::format("{}/{}", first, *step);
    }
    return std::nullopt;
  case StepForm::start_range:
    if (to_end) {
      return fmt::format("{}/{}", first, *step);
    }
    return fmt::format("{}..{}/{}", first, last, *step);
  }
  return std::nullopt;
}

} // namespace

std::string render_field(const std::vector<int>& values, int low, int high,
                         const FieldSyntax& syntax) {
  if (static_cast<int>(values.size()) == high - low + 1) {
    return "*";
  }
  std::string list = crontab::render_runs(values, syntax.range_separator);
  auto series = render_series(values, low, high, syntax);
  if (series && series->size() < list.size()) {
    return *series;
  }
  return list;
}

} // namespace digger::migrate
