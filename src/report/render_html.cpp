#include "digger/report/render.hpp"

namespace digger::report {

std::string render_html(const ReportView&) {
  return "<!doctype html>\n";
}

} // namespace digger::report
