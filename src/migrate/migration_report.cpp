#include "digger/migrate/migration_report.hpp"

#include "digger/migrate/export_sources.hpp"
#include "digger/migrate/job_facts.hpp"
#include "digger/migrate/target_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace digger::migrate {
namespace {

using json = nlohmann::ordered_json;

json lost_json(const std::vector<Lost>& lost) {
  json out = json::array();
  for (const auto& item : lost) {
    out.push_back({{"feature", item.feature},
                   {"level", loss_level_name(item.level)},
                   {"detail", item.detail}});
  }
  return out;
}

json job_json(size_t id, const ExportedJob& exported, const std::vector<std::string>& locations) {
  const ExportJob& job = exported.job;
  json definitions = json::array();
  const auto& defs = exported.conversion.definitions;
  for (size_t d = 0; d < defs.size(); ++d) {
    definitions.push_back({{"kind", defs[d].kind},
                           {"name", defs[d].name},
                           {"file", d < locations.size() ? locations[d] : std::string()}});
  }
  return {{"id", id},
          {"host", job.host},
          {"port", job.port},
          {"owner", job.owner},
          {"language", job.language},
          {"verdict", job.verdict},
          {"source", {{"kind", job.source_kind}, {"file", job.file}, {"line", job.line}}},
          {"schedule", job.schedule},
          {"command", job.command},
          {"status", export_status_name(exported.status)},
          {"converted", exported.status == ExportStatus::converted},
          {"schedules", exported.conversion.schedules},
          {"definitions", definitions},
          {"carried_over", exported.carried_over},
          {"lost", lost_json(exported.conversion.lost)},
          {"marker", exported.marker.empty() ? json(nullptr) : json(exported.marker)}};
}

json summary_json(const ExportPlan& plan) {
  std::int64_t converted = 0;
  std::int64_t needs_secret = 0;
  std::int64_t definitions = 0;
  std::int64_t workaround = 0;
  std::int64_t impossible = 0;
  for (const auto& job : plan.jobs) {
    converted += job.status == ExportStatus::converted ? 1 : 0;
    needs_secret += job.status == ExportStatus::needs_secret ? 1 : 0;
    definitions += static_cast<std::int64_t>(job.conversion.definitions.size());
    for (const auto& item : job.conversion.lost) {
      (item.level == LossLevel::workaround ? workaround : impossible) += 1;
    }
  }
  return {{"jobs", plan.jobs.size()},
          {"converted", converted},
          {"needs_secret", needs_secret},
          {"not_converted", static_cast<std::int64_t>(plan.jobs.size()) - converted - needs_secret},
          {"definitions", definitions},
          {"lost_workaround", workaround},
          {"lost_impossible", impossible}};
}

json cutover_json(const ExportPlan& plan) {
  json out = json::array();
  for (const auto& step : cutover_plan(plan)) {
    const ExportJob& job = plan.jobs[step.job].job;
    out.push_back({{"job", step.job},
                   {"host", job.host},
                   {"port", job.port},
                   {"file", job.file},
                   {"line", job.line},
                   {"after", plan.jobs[step.job].conversion.definitions.front().name},
                   {"enable", step.enable},
                   {"current_line", step.current_line},
                   {"replacement", step.replacement},
                   {"disable", step.disable}});
  }
  return out;
}

} // namespace

std::vector<std::string> export_notes(const ExportPlan& plan, const ExportFiles& files) {
  std::vector<std::string> notes;
  if (plan.target->notes != nullptr) {
    plan.target->notes(plan, notes);
  }
  size_t templates = 0;
  for (const auto& file : files.files) {
    templates += file.path.starts_with("cloudformation") ? 1 : 0;
  }
  if (templates > 1) {
    notes.push_back(fmt::format("a CloudFormation stack holds at most {} resources: the "
                                "definitions are split into {} templates, one stack each",
                                cloudformation_max_resources, templates));
  }
  return notes;
}

std::vector<LanguageGroup> group_jobs(const ExportPlan& plan) {
  std::map<std::string, std::map<std::string, std::vector<size_t>>> groups;
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    groups[plan.jobs[i].job.language][plan.jobs[i].job.owner].push_back(i);
  }
  std::vector<LanguageGroup> out;
  for (auto& [language, owners] : groups) {
    LanguageGroup group{language, {}};
    for (auto& [owner, jobs] : owners) {
      group.owners.push_back({owner, std::move(jobs)});
    }
    out.push_back(std::move(group));
  }
  return out;
}

std::vector<CutoverStep> cutover_plan(const ExportPlan& plan) {
  std::vector<CutoverStep> out;
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    const ExportedJob& exported = plan.jobs[i];
    if (exported.status != ExportStatus::converted) {
      continue;
    }
    CutoverStep step{i, plan.target->enable(exported.conversion), "", {}, ""};
    const ExportJob& job = exported.job;
    if (job.source_traits.clock == "inherited") {
      // run-parts skips a file that is not executable (both flavours)
      step.disable = fmt::format("chmod a-x -- {}", shell_quote(job.file));
    } else if (job.source_traits.clock == "once") {
      // atrm takes the job number atd gave it; the spool file's name holds it.
      const auto name = at_job_name(job.file);
      if (!name) {
        continue;
      }
      step.disable = fmt::format("atrm {}", name->number);
    } else if (job.source_traits.clock == "systemd") {
      const auto slash = job.file.find_last_of('/');
      step.disable =
          fmt::format("systemctl disable --now -- {}",
                      shell_quote(job.file.substr(slash == std::string::npos ? 0 : slash + 1)));
    } else if (!job.raw_line.empty()) {
      // "#" + the line is what the crontab parser reads as a disabled job; the marker directly
      // above it is what makes the next scan call the job migrated rather than removed.
      step.current_line = job.raw_line;
      step.replacement = {exported.marker, "#" + job.raw_line};
    } else {
      continue;
    }
    out.push_back(std::move(step));
  }
  std::stable_sort(out.begin(), out.end(), [&](const CutoverStep& a, const CutoverStep& b) {
    const ExportJob& x = plan.jobs[a.job].job;
    const ExportJob& y = plan.jobs[b.job].job;
    return std::tie(x.host, x.port, x.file, x.line) < std::tie(y.host, y.port, y.file, y.line);
  });
  return out;
}

nlohmann::ordered_json report_json(const ExportPlan& plan, const ExportFiles& files) {
  json paths = json::array();
  for (const auto& file : files.files) {
    paths.push_back(file.path);
  }
  paths.push_back("migration-report.md");
  paths.push_back("migration-report.json");
  json jobs = json::array();
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    jobs.push_back(job_json(i, plan.jobs[i], files.locations.at(i)));
  }
  json groups = json::array();
  for (const auto& group : group_jobs(plan)) {
    json owners = json::array();
    for (const auto& owner : group.owners) {
      owners.push_back({{"owner", owner.owner}, {"jobs", owner.jobs}});
    }
    groups.push_back({{"language", group.language}, {"owners", owners}});
  }
  json skipped = json::object();
  for (const auto& [reason, count] : plan.skipped) {
    skipped[reason] = count;
  }
  return {{"format", "digger-migration-report"},
          {"version", 1},
          {"target", target_name(plan.target)},
          {"scan",
           {{"id", plan.scan.id},
            {"started_at", plan.scan.started_at},
            {"finished_at", plan.scan.finished_at},
            {"status", catalog::scan_status_name(plan.scan.status)}}},
          {"reference_time", plan.reference},
          {"selection",
           {{"filter", plan.filter}, {"jobs", plan.all ? "all" : "hidden"}, {"skipped", skipped}}},
          {"summary", summary_json(plan)},
          {"notes", export_notes(plan, files)},
          {"files", paths},
          {"jobs", jobs},
          {"groups", groups},
          {"cutover", cutover_json(plan)}};
}

std::vector<OutputFile> export_output(const ExportPlan& plan) {
  ExportFiles files = export_files(plan);
  std::string markdown = report_markdown(plan, files);
  std::string json_report = json_text(report_json(plan, files));
  files.files.push_back({"migration-report.md", std::move(markdown)});
  files.files.push_back({"migration-report.json", std::move(json_report)});
  return std::move(files.files);
}

} // namespace digger::migrate
