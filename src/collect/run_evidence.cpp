#include "digger/collect/run_evidence.hpp"

#include "digger/collect/host_record.hpp"
#include "digger/collect/remote_paths.hpp"
#include "digger/evidence/attribution.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace digger::collect {
namespace {

using evidence::Coverage;
using evidence::EntryRef;
using evidence::JobEvidence;

constexpr std::int64_t log_budget = 4 << 20; // the collector's lgmax

const std::vector<std::string_view>& log_paths() {
  static const std::vector<std::string_view> paths = [] {
    for (const auto& list : collector_paths()) {
      if (list.variable == "cron_logs") {
        return std::vector<std::string_view>(list.paths.begin(), list.paths.end());
      }
    }
    return std::vector<std::string_view>{};
  }();
  return paths;
}

const catalog::LogCursorRow* cursor_for(const catalog::EvidenceState* before,
                                        std::string_view path) {
  if (before == nullptr) {
    return nullptr;
  }
  for (const auto& cursor : before->cursors) {
    if (cursor.path == path && cursor.inode != 0) {
      return &cursor;
    }
  }
  return nullptr;
}

struct ReadResult {
  std::vector<evidence::LogEvent> events;
  std::vector<catalog::LogCursorRow> cursors;
  std::vector<std::string> read_notes;
};

// Whole lines only: a read that did not start where the last one stopped starts mid-line, and
// the last line may still be being written (it is read again next time).
void read_log(const LogRead& log, const catalog::LogCursorRow* cursor, std::optional<int> offset,
              ReadResult& out) {
  const bool continued = cursor != nullptr && cursor->device == log.device &&
                         cursor->inode == log.inode && cursor->offset == log.from;
  std::string_view bytes = log.bytes;
  if (!continued && log.from > 0) {
    const auto first = bytes.find('\n');
    bytes.remove_prefix(first == std::string_view::npos ? bytes.size() : first + 1);
  }
  const auto last = bytes.rfind('\n');
  const std::string_view whole = bytes.substr(0, last == std::string_view::npos ? 0 : last + 1);
  const auto clock = evidence::file_clock(log.mtime, offset);
  std::size_t pos = 0;
  while (pos < whole.size()) {
    const auto nl = whole.find('\n', pos);
    if (auto event = evidence::parse_syslog_line(whole.substr(pos, nl - pos), clock)) {
      out.events.push_back(std::move(*event));
    }
    pos = nl + 1;
  }
  if (log.rotated) {
    return;
  }
  catalog::LogCursorRow row;
  row.path = log.path;
  row.device = log.device;
  row.inode = log.inode;
  row.size = log.size;
  const std::int64_t consumed =
      static_cast<std::int64_t>(whole.size() + (log.bytes.size() - bytes.size()));
  row.offset = log.from + consumed;
  if (!continued && log.from > 0) {
    row.note = fmt::format("read from byte {} of {}: the last {} MiB (bound per scan)", log.from,
                           log.size, log_budget >> 20);
  } else if (cursor != nullptr && !continued) {
    row.note = "rotated or truncated since the last scan: read again from the start";
  }
  if (!row.note.empty()) {
    out.read_notes.push_back(row.note); // the coverage's source names the file already
  }
  out.cursors.push_back(std::move(row));
}

// The journal has no offset to resume from: its cursor row keeps the time of the last line
// read, and only later lines count (the window is a fixed 7 days, read again each scan).
void read_journal(const std::string& text, const catalog::EvidenceState* before,
                  std::optional<int> offset, ReadResult& out) {
  std::optional<std::int64_t> seen;
  if (before != nullptr) {
    for (const auto& cursor : before->cursors) {
      if (cursor.path == "journal") {
        seen = cursor.window_to;
      }
    }
  }
  const evidence::FileClock clock{1970, 12, offset};
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    nl = nl == std::string::npos ? text.size() : nl;
    auto event = evidence::parse_journal_json(std::string_view(text).substr(pos, nl - pos), clock);
    if (event && event->epoch && (!seen || *event->epoch > *seen)) {
      out.events.push_back(std::move(*event));
    }
    pos = nl + 1;
  }
  catalog::LogCursorRow row;
  row.path = "journal";
  row.note = "journalctl -u cron -u crond, the last 7 days";
  out.cursors.push_back(std::move(row));
}

std::string access_reason(const HostSnapshot& snapshot) {
  std::string reason;
  for (const auto& [path, why] : snapshot.log_notes) {
    reason += fmt::format("{}{}: {}", reason.empty() ? "" : "; ", path, why);
  }
  if (reason.empty()) {
    reason = "no cron log file found (/var/log/cron, /var/log/cron.log, /var/log/syslog) and no "
             "systemd journal";
  }
  return reason;
}

std::string anacron_job_of(std::string_view schedule_text) {
  const auto space = schedule_text.rfind(' ');
  return std::string(space == std::string_view::npos ? schedule_text
                                                     : schedule_text.substr(space + 1));
}

bool logged_kind(std::string_view kind) {
  return kind == "user" || kind == "system" || kind == "cron.d" || kind == "anacrontab";
}

} // namespace

std::string log_cursor_argument(const catalog::EvidenceState* before) {
  std::string out;
  for (const auto path : log_paths()) {
    const auto* cursor = cursor_for(before, path);
    out += out.empty() ? "" : " ";
    out += cursor == nullptr || cursor->device < 0 || cursor->inode <= 0 || cursor->offset < 0
               ? std::string("-")
               : fmt::format("{}:{}:{}", cursor->device, cursor->inode, cursor->offset);
  }
  return out;
}

catalog::EvidenceState apply_run_evidence(HostJobs& jobs, const HostSnapshot& snapshot,
                                          const catalog::EvidenceState* before) {
  const auto offset = utc_offset(snapshot);
  ReadResult read;
  for (const auto& log : snapshot.logs) {
    const std::string_view base =
        log.rotated ? std::string_view(log.path).substr(0, log.path.size() - 2) : log.path;
    read_log(log, cursor_for(before, base), offset, read);
  }
  if (snapshot.journal) {
    read_journal(*snapshot.journal, before, offset, read);
  }
  Coverage coverage;
  coverage.readable = !read.cursors.empty();
  for (const auto& cursor : read.cursors) {
    coverage.source += (coverage.source.empty() ? "" : ", ") + cursor.path;
  }
  coverage.unreadable_reason = access_reason(snapshot);
  // The window: from the first dated line ever read on this host to the last one read now.
  std::optional<std::int64_t> from, to;
  if (before != nullptr) {
    for (const auto& cursor : before->cursors) {
      if (cursor.window_from && (!from || *cursor.window_from < *from)) {
        from = cursor.window_from;
      }
      if (cursor.window_to && (!to || *cursor.window_to > *to)) {
        to = cursor.window_to;
      }
    }
  }
  for (const auto& event : read.events) {
    if (event.epoch) {
      from = from ? std::min(*from, *event.epoch) : *event.epoch;
      to = to ? std::max(*to, *event.epoch) : *event.epoch;
    }
  }
  coverage.from = from;
  coverage.to = to;
  if (!read.read_notes.empty()) {
    coverage.source += fmt::format(" ({})", read.read_notes.front());
  }

  // One reference per cron job, its totals carried from the catalog under the hashed key (the
  // key holds the clear command: only its hash is stored).
  std::vector<EntryRef> refs;
  std::vector<catalog::EntryRow*> rows;
  std::vector<std::string> keys;
  std::map<std::string, catalog::JobRunTotals, std::less<>> previous;
  if (before != nullptr) {
    for (const auto& totals : before->totals) {
      previous.emplace(totals.key, totals);
    }
  }
  std::vector<JobEvidence> evidence;
  for (auto& source : jobs.sources) {
    if (!logged_kind(source.row.kind)) {
      continue;
    }
    for (auto& job : source.jobs) {
      if (!job.has_command || job.row.kind != "job") {
        continue;
      }
      EntryRef ref;
      ref.user = job.row.run_as;
      ref.command = job.log_command;
      ref.schedule = job.cron_schedule;
      ref.not_logged = job.not_logged;
      if (source.row.kind == "anacrontab") {
        ref.anacron_job = anacron_job_of(job.row.schedule_text);
      }
      keys.push_back(sha256_hex(evidence::entry_key(ref)));
      JobEvidence start;
      if (const auto it = previous.find(keys.back()); it != previous.end()) {
        start = {it->second.runs,
                 it->second.ambiguous_runs,
                 it->second.last_run,
                 it->second.failures,
                 it->second.last_failure,
                 it->second.last_exit_status
                     ? std::optional<int>(static_cast<int>(*it->second.last_exit_status))
                     : std::nullopt};
      }
      evidence.push_back(start);
      refs.push_back(std::move(ref));
      rows.push_back(&job.row);
    }
  }
  evidence::attribute(refs, read.events, evidence);

  catalog::EvidenceState state;
  state.cursors = std::move(read.cursors);
  for (auto& cursor : state.cursors) {
    cursor.window_from = from;
    cursor.window_to = to;
  }
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const auto judged = evidence::judge(refs[i], evidence[i], coverage);
    auto& run = rows[i]->run;
    run.verdict = std::string(evidence::verdict_name(judged.verdict));
    run.reason = judged.reason;
    run.runs = evidence[i].runs;
    run.ambiguous_runs = evidence[i].ambiguous_runs;
    run.failures = evidence[i].failures;
    run.last_run = evidence[i].last_run;
    run.last_failure = evidence[i].last_failure;
    if (evidence[i].last_exit_status) {
      run.last_exit_status = *evidence[i].last_exit_status;
    }
    if (coverage.readable) {
      state.totals.push_back({keys[i], run.runs, run.ambiguous_runs, run.failures, run.last_run,
                              run.last_failure, run.last_exit_status});
    }
  }
  if (!coverage.readable && before != nullptr) {
    return *before; // nothing read: keep the cursors and totals the catalog had
  }
  return state;
}

} // namespace digger::collect
