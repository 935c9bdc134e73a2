#include "digger/migrate/export_plan.hpp"

#include "digger/crontab/crontab.hpp"
#include "digger/migrate/export_sources.hpp"
#include "digger/migrate/job_facts.hpp"
#include "digger/migrate/target_spec.hpp"
#include "digger/secrets/secrets.hpp"
#include "digger/timing/next_runs.hpp"
#include "digger/units/run_parts.hpp"
#include "digger/util/enum_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace digger::migrate {
namespace {

bool is_shell_name(std::string_view name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
         });
}

// The jobs as cron reads them: the env and job lines of a file, parsed by the crontab parser
// exactly as `convert` does, so %, -n, macros and env lines mean what they mean to cron (the
// catalog's own columns hold neither the env in effect nor MAILTO or SHELL). Jobs come sorted
// by file: one file is parsed once and kept while its jobs are converted.
class FileReader {
public:
  util::Result<crontab::Job> job(const ExportJob& source) {
    if (source.file_lines.get() != lines_ || !lines_) {
      parse(source);
    }
    const auto it = index_.find(source.line);
    if (it == index_.end() || parsed_.lines[it->second].kind != crontab::LineKind::job ||
        !parsed_.lines[it->second].job) {
      return util::Error{fmt::format(
          "line {} of this file is not in the catalog as a cron job line", source.line)};
    }
    return *parsed_.lines[it->second].job;
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
    const bool user_crontab = source.source_traits.grammar == "user";
    options.flavor = user_crontab ? crontab::CrontabFlavor::user : crontab::CrontabFlavor::system;
    options.privileged_owner = !user_crontab || source.owner == "root";
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
      // A shell name comes from the target's secret store (JobContext::secrets); any other
      // name (cron takes `"A B"=x`) cannot be set that way and keeps a placeholder.
      if (!is_shell_name(setting.name)) {
        environment.push_back({setting.name, secret_placeholder(setting.name)});
      }
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
           (feature == "command" && item.feature == "needs-secret");
  });
}

// A secret the scan replaced by `***` in the command becomes $DIGGER_SECRET_n, which the
// shell refuses to expand while unset: the definition fails loudly instead of running with
// "***" as the password. Returns the variables' names.
std::vector<std::string> reference_removed_secrets(std::string& text, size_t& next) {
  std::vector<std::string> names;
  for (size_t at = text.find("***"); at != std::string::npos; at = text.find("***", at)) {
    names.push_back(fmt::format("DIGGER_SECRET_{}", ++next));
    const std::string reference =
        fmt::format("${{{}:?put the secret back from a secret store}}", names.back());
    text.replace(at, 3, reference);
    at += reference.size();
  }
  return names;
}

// Secrets the scan removed: the job is written, reading them from the target's secret store
// (`store`, its TargetSpec row), but "needs-secret" until they are stored there. The
// variables to read go to `store_variables`.
std::vector<Lost> secret_losses(crontab::Job& job, const std::vector<std::string>& hidden,
                                std::string_view store, std::vector<std::string>& store_variables) {
  std::vector<Lost> out;
  for (const auto& name : hidden) {
    if (!is_shell_name(name)) {
      out.push_back({"secret", LossLevel::workaround,
                     fmt::format("the value of {} is not written out: the definition holds {} "
                                 "instead; set it by hand before enabling it",
                                 name, secret_placeholder(name))});
      continue;
    }
    store_variables.push_back(name);
    out.push_back({"secret", LossLevel::workaround,
                   fmt::format("the value of {} is not written out: the definition reads it "
                               "from {}; store it there before enabling it",
                               name, store)});
  }
  size_t next = 0;
  auto names = reference_removed_secrets(job.command, next);
  if (job.stdin_data) {
    auto more = reference_removed_secrets(*job.stdin_data, next);
    names.insert(names.end(), more.begin(), more.end());
  }
  store_variables.insert(store_variables.end(), names.begin(), names.end());
  if (!names.empty()) {
    out.push_back({"needs-secret", LossLevel::workaround,
                   fmt::format("the scan removed a secret from the command (`***`): the "
                               "definition reads {} from {} and fails while that is unset; store "
                               "the secret there before enabling it",
                               fmt::join(names, ", "), store)});
  }
  return out;
}

// The cron job behind a selected job, with where it comes from.
util::Result<SourceJob> read_job(const ExportJob& source, FileReader& reader) {
  if (!source.source_traits.crontab()) {
    return read_source_job(source);
  }
  crontab::Job parsed;
  DIGGER_TRY_ASSIGN(parsed, reader.job(source));
  SourceJob out{std::move(parsed), {}};
  out.context.host = source.host;
  out.context.owner = source.source_traits.grammar == "user" ? source.owner : "root";
  out.context.host_zone = source.host_zone;
  return out;
}

ExportedJob export_one(const ExportJob& source, Target target, std::chrono::sys_seconds reference,
                       FileReader& reader, std::set<std::string>& used_names) {
  ExportedJob out;
  out.job = source;
  out.conversion.target = target;
  auto read = read_job(source, reader);
  if (!read) {
    out.conversion.lost.push_back({"unreadable", LossLevel::impossible, read.error()});
    return out;
  }
  std::vector<std::string> hidden;
  crontab::Job job = with_secrets_hidden(read->job, hidden);
  const std::vector<Lost> secrets =
      secret_losses(job, hidden, target.spec().secret_store, read->context.secrets);
  read->context.reference = reference;
  out.conversion = convert_job(job, read->context, target, used_names);
  if (!out.conversion.converted) {
    return out;
  }
  out.conversion.lost.insert(out.conversion.lost.end(), secrets.begin(), secrets.end());
  for (const auto& feature : used_features(job, source)) {
    if (!feature_lost(feature, out.conversion.lost)) {
      out.carried_over.push_back(feature);
    }
  }
  out.status = secrets.empty() ? ExportStatus::converted : ExportStatus::needs_secret;
  if (out.status == ExportStatus::converted) {
    out.marker = migrated_marker(target, out.conversion.definitions.front().name);
  }
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

constexpr util::EnumNames<ExportStatus, ExportStatus::not_convertible> export_status_names{
    {"converted", "needs-secret", "not-convertible"}};

} // namespace

std::string_view export_status_name(ExportStatus status) {
  return export_status_names.name_of(status, "not-convertible");
}

std::string not_exported_reason(const ExportedJob& job) {
  if (job.status == ExportStatus::needs_secret) {
    return "needs-secret";
  }
  return job.conversion.lost.empty() ? std::string("unknown") : job.conversion.lost.front().feature;
}

std::map<std::string, std::int64_t> not_exported_reasons(const ExportPlan& plan) {
  std::map<std::string, std::int64_t> out;
  for (const auto& job : plan.jobs) {
    if (job.status != ExportStatus::converted) {
      ++out[not_exported_reason(job)];
    }
  }
  return out;
}

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
    job.source_traits = row.source_traits;
    job.file = row.file;
    job.line = row.line;
    job.schedule = row.schedule.raw;
    job.normalized_schedule = row.schedule.normalized;
    job.schedule_origin = row.schedule_origin;
    job.command = row.command;
    job.language = row.language;
    job.verdict = row.verdict;
    job.run_verdict = row.run.verdict;
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
    const auto colon = row.schedule_origin.rfind(':');
    if (colon != std::string::npos) {
      const auto it = lines.find({host.name, host.port, row.schedule_origin.substr(0, colon)});
      job.origin_lines = it != lines.end() ? it->second : nullptr;
    }
    out.push_back(std::move(job));
  }
  return out;
}

Selection select_jobs(std::vector<ExportJob> candidates, bool all, bool include_no_evidence) {
  Selection selection;
  for (auto& job : candidates) {
    std::string skip;
    if (!all) {
      if (job.verdict == "managed" || job.verdict == "migrated") {
        skip = job.verdict;
      } else if (!job.loaded_by_daemon) {
        skip = "not-loaded";
      } else if (job.source_kind == "laravel-task") {
        // it runs inside the application's scheduler, which its `artisan schedule:run` line
        // runs every minute: exporting that line keeps it; exporting the task too doubles it
        skip = "laravel-task";
      } else if (job.source_traits.clock != "inherited" && job.source_traits.clock != "systemd" &&
                 !units::run_parts_directories(job.command).empty()) {
        // its scripts are jobs of their own (kind run-parts), exported one by one: exporting
        // the line too would run each script twice
        skip = "runs-run-parts";
      } else if (!include_no_evidence && job.run_verdict == "no-evidence") {
        skip = "no-evidence";
      }
    }
    if (skip.empty()) {
      selection.jobs.push_back(std::move(job));
    } else if (skip == "no-evidence") {
      ++selection.skipped[skip];
      selection.no_evidence.push_back(std::move(job));
    } else {
      ++selection.skipped[skip];
    }
  }
  return selection;
}

// A timer is switched off as a whole at cut-over: when one of its trigger lines is not
// converted (or not selected), converting the others would drop it, so none is.
void keep_partial_timers(ExportPlan& plan) {
  std::map<SourceKey, size_t> converted;
  for (const auto& job : plan.jobs) {
    if (job.job.source_traits.clock == "systemd" && job.status == ExportStatus::converted) {
      ++converted[{job.job.host, job.job.port, job.job.file}];
    }
  }
  for (auto& job : plan.jobs) {
    const auto it = converted.find({job.job.host, job.job.port, job.job.file});
    if (job.status != ExportStatus::converted || it == converted.end()) {
      continue;
    }
    size_t triggers = 0;
    for (const auto& line : job.job.file_lines ? *job.job.file_lines : std::vector<CrontabLine>{}) {
      triggers += line.env ? 0 : 1;
    }
    if (it->second < triggers) {
      job.conversion = Conversion{};
      job.conversion.target = plan.target;
      job.conversion.lost.push_back(
          {"timer-partial", LossLevel::impossible,
           fmt::format("{} has {} trigger lines and only {} of them can be exported; the timer "
                       "is switched off as a whole, so it stays on its host",
                       job.job.file, triggers, it->second)});
      job.carried_over.clear();
      job.marker.clear();
      job.status = ExportStatus::not_convertible;
    }
  }
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
  keep_partial_timers(plan);
  return plan;
}

} // namespace digger::migrate
