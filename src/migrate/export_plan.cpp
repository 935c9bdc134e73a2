#include "digger/migrate/export_plan.hpp"

#include "digger/crontab/crontab.hpp"
#include "digger/secrets/secrets.hpp"
#include "digger/timing/next_runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace digger::migrate {
namespace {

bool is_crontab_kind(std::string_view kind) {
  return kind == "user" || kind == "system" || kind == "cron.d";
}

// The jobs as cron reads them: the env and job lines of a file, parsed by the crontab parser
// exactly as `convert` does, so %, -n, macros and env lines mean what they mean to cron (the
// catalog's own columns hold neither the env in effect nor MAILTO or SHELL). Jobs come sorted
// by file: one file is parsed once and kept while its jobs are converted.
class FileReader {
public:
  std::optional<crontab::Job> job(const ExportJob& source, std::string& error) {
    if (source.file_lines.get() != lines_ || !lines_) {
      parse(source);
    }
    const auto it = index_.find(source.line);
    if (it == index_.end() || parsed_.lines[it->second].kind != crontab::LineKind::job ||
        !parsed_.lines[it->second].job) {
      error =
          fmt::format("line {} of this file is not in the catalog as a cron job line", source.line);
      return std::nullopt;
    }
    return parsed_.lines[it->second].job;
  }

private:
  void parse(const ExportJob& source) {
    lines_ = source.file_lines.get();
    index_.clear();
    std::string text;
    if (lines_ != nullptr) {
      for (size_t i = 0; i < lines_->size(); ++i) {
        text += (*lines_)[i].raw + "\n"; // raw lines hold no newline: line i is entry i
        index_[(*lines_)[i].number] = i;
      }
    }
    crontab::ParseOptions options;
    options.flavor = source.source_kind == "user" ? crontab::CrontabFlavor::user
                                                  : crontab::CrontabFlavor::system;
    options.privileged_owner = source.source_kind != "user" || source.owner == "root";
    parsed_ = crontab::parse_crontab(text, options);
  }

  const std::vector<CrontabLine>* lines_ = nullptr;
  crontab::ParsedCrontab parsed_;
  std::map<int, size_t> index_; // catalog line number -> parsed line
};

// Secret env values never reach a generated file: the catalog may already hold `***`, but a
// value under a secret-looking name is replaced whatever it holds.
crontab::Job with_secrets_hidden(crontab::Job job, std::vector<std::string>& hidden) {
  crontab::EnvironmentList environment;
  for (const auto& setting : job.environment) {
    if (secrets::is_secret_name(setting.name)) {
      hidden.push_back(setting.name);
      environment.push_back({setting.name, secret_placeholder(setting.name)});
    } else {
      environment.push_back(setting);
    }
  }
  job.environment = std::move(environment);
  return job;
}

// The features this job uses, by the feature keys of the lost items.
std::vector<std::string> used_features(const crontab::Job& job, const ExportJob& source) {
  std::vector<std::string> used = {"schedule", "command", "run-as-user", "host-binding"};
  if (!job.environment.empty()) {
    used.emplace_back("environment");
  }
  if (job.stdin_data) {
    used.emplace_back("stdin");
  }
  if (!job.cron_tz.empty() || !source.host_zone.empty()) {
    used.emplace_back("time-zone");
  }
  const auto mailto = job.environment.get("MAILTO");
  if (!mailto || !mailto->empty()) {
    used.emplace_back("mail"); // cron mails any output unless MAILTO is empty
  }
  if (job.environment.get("RANDOM_DELAY")) {
    used.emplace_back("random-delay");
  }
  return used;
}

// Lost items that take a feature away (a DST item does not: the schedule itself carried).
bool feature_lost(std::string_view feature, const std::vector<Lost>& lost) {
  return std::any_of(lost.begin(), lost.end(), [&](const Lost& item) {
    if (item.feature == feature) {
      return true;
    }
    return (feature == "time-zone" && item.feature == "utc-only") ||
           (feature == "environment" && item.feature == "secret") ||
           (feature == "command" && item.feature == "redacted-command");
  });
}

void add_export_losses(const ExportJob& source, const std::vector<std::string>& hidden,
                       Conversion& conversion) {
  for (const auto& name : hidden) {
    conversion.lost.push_back(
        {"secret", LossLevel::workaround,
         fmt::format("the value of {} is not written out: the definition holds {} instead; set "
                     "it from a secret store",
                     name, secret_placeholder(name))});
  }
  if (source.command.find("***") != std::string::npos) {
    conversion.lost.push_back(
        {"redacted-command", LossLevel::impossible,
         "the command holds `***` where the scan removed a secret: put the secret back (from a "
         "secret store, not in clear) before the definition runs"});
  }
}

ExportedJob export_one(const ExportJob& source, Target target, std::chrono::sys_seconds reference,
                       FileReader& reader, std::set<std::string>& used_names) {
  ExportedJob out;
  out.job = source;
  out.conversion.target = target;
  if (!is_crontab_kind(source.source_kind)) {
    out.conversion.lost.push_back(
        {"source-kind", LossLevel::impossible,
         fmt::format("jobs from '{}' sources are not exported: only crontab lines are",
                     source.source_kind)});
    return out;
  }
  std::string error;
  const auto parsed = reader.job(source, error);
  if (!parsed) {
    out.conversion.lost.push_back({"unreadable", LossLevel::impossible, error});
    return out;
  }
  std::vector<std::string> hidden;
  const crontab::Job job = with_secrets_hidden(*parsed, hidden);
  JobContext context;
  context.host = source.host;
  context.owner = source.source_kind == "user" ? source.owner : "root";
  context.host_zone = source.host_zone;
  context.reference = reference;
  out.conversion = convert_job(job, context, target, used_names);
  if (!out.conversion.converted) {
    return out;
  }
  add_export_losses(source, hidden, out.conversion);
  for (const auto& feature : used_features(job, source)) {
    if (!feature_lost(feature, out.conversion.lost)) {
      out.carried_over.push_back(feature);
    }
  }
  out.marker = migrated_marker(target, out.conversion.definitions.front().name);
  return out;
}

std::chrono::sys_seconds parse_utc(const std::string& text) {
  if (auto utc = timing::find_time_zone("UTC")) {
    if (auto parsed = timing::parse_iso8601(text, **utc)) {
      return *parsed;
    }
  }
  return std::chrono::sys_seconds{};
}

} // namespace

std::string secret_placeholder(std::string_view name) {
  return fmt::format("<SECRET:{}>", name);
}

std::string migrated_marker(Target target, std::string_view name) {
  return fmt::format("# digger: migrated to {} {}", target_name(target), name);
}

std::vector<ExportJob> export_candidates(const report::Snapshot& snapshot,
                                         const report::Filter& filter, const CrontabLines& lines) {
  std::vector<ExportJob> out;
  for (const auto& row : snapshot.jobs) {
    const auto& host = snapshot.hosts.at(row.host);
    if (!filter.matches_job(row, host)) {
      continue;
    }
    ExportJob job;
    job.host = host.name;
    job.port = host.port;
    job.host_zone = host.timezone;
    job.owner = row.owner;
    job.source_kind = row.source_kind;
    job.file = row.file;
    job.line = row.line;
    job.schedule = row.schedule.raw;
    job.command = row.command;
    job.language = row.language;
    job.verdict = row.verdict;
    job.loaded_by_daemon = row.loaded_by_daemon;
    if (auto it = lines.find({host.name, host.port, row.file}); it != lines.end()) {
      job.file_lines = it->second;
      const auto& file = *it->second; // sorted by line number
      const auto at = std::lower_bound(
          file.begin(), file.end(), row.line,
          [](const CrontabLine& line, int number) { return line.number < number; });
      if (at != file.end() && at->number == row.line && !at->env) {
        job.raw_line = at->raw;
      }
    }
    out.push_back(std::move(job));
  }
  return out;
}

Selection select_jobs(std::vector<ExportJob> candidates, bool all) {
  Selection selection;
  for (auto& job : candidates) {
    std::string skip;
    if (!all) {
      if (job.verdict == "managed" || job.verdict == "migrated") {
        skip = job.verdict;
      } else if (!job.loaded_by_daemon) {
        skip = "not-loaded";
      } else if (!job.source_kind.empty() && !is_crontab_kind(job.source_kind)) {
        // anacron periods, run-parts scripts and systemd timers have no cron line to convert:
        // listed under --all as not convertible, left out of the default export
        skip = "not-a-crontab-line";
      }
    }
    if (skip.empty()) {
      selection.jobs.push_back(std::move(job));
    } else {
      ++selection.skipped[skip];
    }
  }
  return selection;
}

ExportPlan plan_export(const Selection& selection, Target target,
                       const catalog::ScanSummary& scan) {
  ExportPlan plan;
  plan.target = target;
  plan.scan = scan;
  plan.skipped = selection.skipped;
  // The scan's own time, not the clock: two exports of one catalog are identical.
  plan.reference = report::reference_time(scan);
  const auto reference = parse_utc(plan.reference);
  std::set<std::string> used_names;
  FileReader reader;
  plan.jobs.reserve(selection.jobs.size());
  for (const auto& job : selection.jobs) {
    plan.jobs.push_back(export_one(job, target, reference, reader, used_names));
  }
  return plan;
}

} // namespace digger::migrate
