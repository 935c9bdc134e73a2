#pragma once

// `report --format prometheus`: the Prometheus text exposition format (version 0.0.4), for
// node_exporter's textfile collector and Grafana (docs/reports.md#prometheus). Pure: a view and
// an optional diff in, the whole document out.

#include "digger/report/diff.hpp"
#include "digger/report/view.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace digger::report {

// Label values come from hosts (owners, inventory labels): each dimension keeps its values with
// the most jobs and folds the rest into "(other)", so that one host cannot create thousands of
// series in someone's Prometheus.
struct PrometheusLimits {
  std::size_t owners = 20;       // owner values of digger_jobs
  std::size_t languages = 30;    // language values (the classifier knows fewer)
  std::size_t label_keys = 10;   // inventory label keys of digger_jobs_by_label
  std::size_t label_values = 20; // values per label key
  std::size_t value_bytes = 128; // longer values are cut (on a UTF-8 boundary)
};

// The metrics of the view's scan (jobs counted are those the filter keeps, managed ones
// included: build the view with list_managed). `since_previous`: the diff from the previous
// complete scan to this one, or null when there is none (the change families are then left
// out).
std::string render_prometheus(const ReportView& view, const Diff* since_previous,
                              const PrometheusLimits& limits = {});

// A label value as written between the quotes: valid UTF-8 (invalid bytes become U+FFFD), then
// backslash, double quote and line feed escaped.
std::string prometheus_escape_label_value(std::string_view value);

} // namespace digger::report
