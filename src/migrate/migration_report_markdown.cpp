// migration-report.md. Every string from a host (owner, file, line, command, and the lost
// items' details, which quote env names and zones) goes through code() or text(): control
// characters become '?', and nothing a host writes can open a link, raw HTML or a heading.

#include "digger/migrate/job_facts.hpp"
#include "digger/migrate/migration_report.hpp"
#include "digger/migrate/target_spec.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace digger::migrate {
namespace {

// Control characters as '?' and invalid UTF-8 as U+FFFD (hosts send any bytes), as the JSON
// report does.
std::string clean(std::string_view raw) {
  using json = nlohmann::json;
  const std::string dumped =
      json(printable(raw)).dump(-1, ' ', false, json::error_handler_t::replace);
  return json::parse(dumped).get<std::string>();
}

size_t longest_backtick_run(std::string_view text) {
  size_t longest = 0;
  size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// An inline code span whose fence is longer than any backtick run inside it.
std::string code(std::string_view raw) {
  const std::string text = clean(raw);
  if (text.empty()) {
    return "(empty)";
  }
  const std::string fence(longest_backtick_run(text) + 1, '`');
  return fence + " " + text + " " + fence;
}

// Control characters as '?' except the tab: a crontab line pasted from the cut-over plan must
// be the line itself, and a tab is safe inside a fenced block.
std::string keep_tabs(std::string_view raw) {
  std::string out;
  size_t start = 0;
  for (size_t tab = raw.find('\t'); tab != std::string_view::npos; tab = raw.find('\t', start)) {
    out += clean(raw.substr(start, tab - start)) + '\t';
    start = tab + 1;
  }
  return out + clean(raw.substr(start));
}

bool has_control_other_than_tab(std::string_view raw) {
  return std::any_of(raw.begin(), raw.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c != '\t' && (u < 0x20 || u == 0x7f);
  });
}

std::string code_block(const std::vector<std::string>& lines, std::string_view indent) {
  size_t longest = 0;
  for (const auto& line : lines) {
    longest = std::max(longest, longest_backtick_run(line));
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string out = fmt::format("{}{}\n", indent, fence);
  for (const auto& line : lines) {
    out += fmt::format("{}{}\n", indent, keep_tabs(line));
  }
  return out + fmt::format("{}{}\n", indent, fence);
}

// Plain text with every Markdown-significant ASCII punctuation escaped.
std::string text(std::string_view raw) {
  std::string out;
  for (char c : clean(raw)) {
    if (std::string_view("\\`*_[]<>#|~!&{}()").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string place(const ExportJob& job) {
  return fmt::format("{} {} line {}", code(job.host), code(job.file), job.line);
}

std::string header(const ExportPlan& plan, const ExportFiles& files) {
  std::string out = fmt::format("# Migration report: {}\n\n", target_name(plan.target));
  out += fmt::format("Scan {} ({}, started {}, finished {}). ", plan.scan.id,
                     catalog::scan_status_name(plan.scan.status), code(plan.scan.started_at),
                     plan.scan.finished_at.empty() ? "-" : code(plan.scan.finished_at));
  out += plan.all ? "Selection: all jobs" : "Selection: hidden jobs (managed and migrated skipped)";
  out += plan.filter.empty() ? ".\n\n" : fmt::format(", filter {}.\n\n", code(plan.filter));
  size_t converted = 0;
  size_t definitions = 0;
  for (const auto& job : plan.jobs) {
    converted += job.status == ExportStatus::converted ? 1 : 0;
    definitions += job.conversion.definitions.size();
  }
  std::string reasons;
  for (const auto& [reason, count] : not_exported_reasons(plan)) {
    reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", reason, count);
  }
  out += fmt::format("- jobs selected: {}; converted: {}; not exported: {}{}\n", plan.jobs.size(),
                     converted, plan.jobs.size() - converted,
                     reasons.empty() ? std::string() : " (" + reasons + ")");
  out += fmt::format("- definitions written: {}; created disabled: {}\n", definitions,
                     plan.target->disabled_as);
  std::string skipped;
  for (const auto& [reason, count] : plan.skipped) {
    skipped += fmt::format("{}{} {}", skipped.empty() ? "" : ", ", reason, count);
  }
  out += fmt::format("- skipped by the selection: {}\n", skipped.empty() ? "none" : skipped);
  for (const auto& note : export_notes(plan, files)) {
    out += fmt::format("- **note**: {}\n", note);
  }
  return out + "\n";
}

std::string cutover_section(const ExportPlan& plan) {
  std::string out = "## Cut-over plan\n\n";
  const auto steps = cutover_plan(plan);
  if (steps.empty()) {
    return out + "No job was converted: nothing to cut over.\n\n";
  }
  out += "The definitions were written disabled, so deploying them runs nothing. For each job, "
         "in one step: enable its definitions as shown, then switch the job off on its host: "
         "edit the crontab (`crontab -e -u OWNER` for a per-user crontab, the file itself "
         "otherwise) and replace the job line with the two lines shown, the marker and the line "
         "commented out, or run the command shown. The next scan then shows the job as migrated "
         "instead of removed. To roll back, disable the definitions, delete the marker and "
         "uncomment the line. Lines are shown byte for byte (tabs included) as the catalog holds "
         "them.\n";
  std::string host;
  size_t number = 0;
  for (const auto& step : steps) {
    const ExportedJob& exported = plan.jobs[step.job];
    const ExportJob& job = exported.job;
    if (job.host != host || number == 0) {
      host = job.host;
      number = 0;
      out += fmt::format("\n### Host {}\n\n", code(host));
    }
    out += fmt::format("{}. {} line {} (runs as {}): enable\n", ++number, code(job.file), job.line,
                       code(job.owner));
    out += code_block(step.enable, "   ");
    if (!step.disable.empty()) {
      out += "   then run on the host\n";
      out += code_block({step.disable}, "   ");
      continue;
    }
    out += "   then on the host replace\n";
    out += code_block({step.current_line}, "   ");
    out += "   with\n";
    out += code_block(step.replacement, "   ");
    if (has_control_other_than_tab(step.current_line)) {
      out += "   (the line holds control characters, shown as `?`: edit it by hand)\n";
    }
  }
  return out + "\n";
}

std::string not_converted_section(const ExportPlan& plan) {
  std::string out;
  for (const auto& exported : plan.jobs) {
    if (exported.status == ExportStatus::converted) {
      continue;
    }
    const Lost& reason =
        exported.status == ExportStatus::needs_secret
            ? *std::find_if(exported.conversion.lost.begin(), exported.conversion.lost.end(),
                            [](const Lost& l) {
                              return l.feature == "needs-secret" || l.feature == "secret";
                            })
            : exported.conversion.lost.front();
    out += fmt::format("- {}: {} {}: [{}] {}: {}\n", place(exported.job),
                       code(exported.job.schedule), code(exported.job.command),
                       loss_level_name(reason.level), text(reason.feature), text(reason.detail));
  }
  if (out.empty()) {
    return "";
  }
  return "## Not exported (these jobs stay on their hosts)\n\n" + out + "\n";
}

std::string job_details(const ExportedJob& exported, const std::vector<std::string>& locations) {
  const ExportJob& job = exported.job;
  const Conversion& conversion = exported.conversion;
  std::string out = fmt::format("##### {}\n\n", place(job));
  std::string schedules;
  for (const auto& s : conversion.schedules) {
    schedules += (schedules.empty() ? "" : ", ") + code(s);
  }
  out += fmt::format("- schedule: {}{}\n", code(job.schedule),
                     schedules.empty() ? std::string() : " -> " + schedules);
  out += fmt::format("- command: {}\n", code(job.command));
  if (!conversion.converted) {
    out += "- **not converted**: the job stays on its host\n";
  } else if (exported.status == ExportStatus::needs_secret) {
    out += "- **needs a secret**: put it back (see below) before the cut-over\n";
  }
  for (size_t d = 0; d < conversion.definitions.size(); ++d) {
    out += fmt::format("- definition: {} ({}) in {}\n", code(conversion.definitions[d].name),
                       conversion.definitions[d].kind,
                       d < locations.size() ? code(locations[d]) : std::string("-"));
  }
  if (!exported.carried_over.empty()) {
    out += fmt::format("- carried over: {}\n", fmt::join(exported.carried_over, ", "));
  }
  if (!conversion.lost.empty()) {
    out += "- not carried over:\n";
    for (const auto& item : conversion.lost) {
      out += fmt::format("  - [{}] {}: {}\n", loss_level_name(item.level), text(item.feature),
                         text(item.detail));
    }
  }
  if (!exported.marker.empty()) {
    out += fmt::format("- cut-over marker: {}\n", code(exported.marker));
  }
  return out + "\n";
}

std::string groups_section(const ExportPlan& plan, const ExportFiles& files) {
  std::string out = "## Jobs by language and owner\n\n";
  if (plan.jobs.empty()) {
    return out + "No job was selected.\n";
  }
  for (const auto& group : group_jobs(plan)) {
    out += fmt::format("### {}\n\n", code(group.language));
    for (const auto& owner : group.owners) {
      out += fmt::format("#### Owner {}\n\n", code(owner.owner));
      for (size_t i : owner.jobs) {
        out += job_details(plan.jobs[i], files.locations.at(i));
      }
    }
  }
  return out;
}

} // namespace

std::string report_markdown(const ExportPlan& plan, const ExportFiles& files) {
  return header(plan, files) + cutover_section(plan) + not_converted_section(plan) +
         groups_section(plan, files);
}

} // namespace digger::migrate
