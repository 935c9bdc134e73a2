#pragma once

// `digger-scan export`, pure part: the migration report (migration-report.md and .json) with
// the cut-over plan. The JSON follows docs/migration-report.schema.json.

#include "digger/migrate/export_files.hpp"
#include "digger/migrate/export_plan.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace digger::migrate {

// Jobs grouped by language, then owner (both sorted), as indexes into plan.jobs.
struct OwnerGroup {
  std::string owner;
  std::vector<size_t> jobs;
};
struct LanguageGroup {
  std::string language;
  std::vector<OwnerGroup> owners;
};
std::vector<LanguageGroup> group_jobs(const ExportPlan& plan);

// One step of the cut-over, for one converted job: switch its definitions on (they are
// written disabled) and, in the same step, switch the job off on its host: replace the job
// line with the marker line and the line commented out, or (run-parts scripts, timers) run
// the `disable` command. Only converted jobs have one.
struct CutoverStep {
  size_t job = 0;                       // index into plan.jobs
  std::vector<std::string> enable;      // the target's commands (TargetSpec::enable)
  std::string current_line;             // the line as the catalog holds it; "" with `disable`
  std::vector<std::string> replacement; // the marker, then "#" + the line; empty with `disable`
  std::string disable;                  // a shell command instead of a line edit; "" otherwise
};
std::vector<CutoverStep> cutover_plan(const ExportPlan& plan); // by host, file, line

// Fleet-level remarks the operator must read before applying (quotas, split templates).
std::vector<std::string> export_notes(const ExportPlan& plan, const ExportFiles& files);

nlohmann::ordered_json report_json(const ExportPlan& plan, const ExportFiles& files);
std::string report_markdown(const ExportPlan& plan, const ExportFiles& files);

// Everything the export writes: the target files, then migration-report.md and .json.
std::vector<OutputFile> export_output(const ExportPlan& plan);

} // namespace digger::migrate
