// Evidence besides the cron log (docs/evidence.md, "Mail spool" and "Output file freshness"):
// the cron mails each job left in the host's spool, and when the file its output goes to was
// last written. Pure: the collector and the inspection brought the bytes and the stats.
#include "digger/collect/run_evidence.hpp"
#include "digger/evidence/mail_headers.hpp"

#include <algorithm>
#include <map>

namespace digger::collect {
namespace {

// cron writes the first label of gethostname() into the subject.
std::string short_host(std::string_view hostname) {
  return std::string(hostname.substr(0, hostname.find('.')));
}

// The judged jobs (those with a run verdict: the catalog keeps their evidence).
std::vector<Job*> judged_jobs(HostJobs& jobs) {
  std::vector<Job*> out;
  for (auto& source : jobs.sources) {
    for (auto& job : source.jobs) {
      if (job.has_command && job.row.kind == "job" && !job.row.run.verdict.empty()) {
        out.push_back(&job);
      }
    }
  }
  return out;
}

void apply_mails(const std::vector<Job*>& jobs, const HostSnapshot& snapshot) {
  if (snapshot.mails.empty()) {
    return; // no spool file read: no count (0 would claim a read)
  }
  const auto offset = utc_offset(snapshot);
  std::vector<evidence::CronMail> mails;
  for (const auto& file : snapshot.mails) {
    auto parsed = evidence::parse_mail_headers(file.headers, offset);
    mails.insert(mails.end(), std::make_move_iterator(parsed.begin()),
                 std::make_move_iterator(parsed.end()));
  }
  std::vector<evidence::EntryRef> refs;
  for (const Job* job : jobs) {
    evidence::EntryRef ref;
    ref.user = job->row.run_as;
    ref.command = job->log_command;
    refs.push_back(std::move(ref));
  }
  std::vector<evidence::MailEvidence> found;
  evidence::attribute_mails(refs, mails, short_host(snapshot.facts.hostname), found);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    jobs[i]->row.run.mails = found[i].mails;
    jobs[i]->row.run.last_mail = found[i].last_mail;
  }
}

// The newest mtime of the job's output files that the host stat'ed for its run-as user.
void apply_output_files(const std::vector<Job*>& jobs, const HostSnapshot& snapshot) {
  std::map<std::string_view, const command::ProgramFacts*> stats;
  for (const auto& facts : snapshot.output_files) {
    if (facts.exists && facts.type == "file" && facts.mtime > 0) {
      stats.emplace(facts.path, &facts);
    }
  }
  for (Job* job : jobs) {
    for (const auto& file : job->output_files) {
      const auto it = stats.find(file);
      if (it == stats.end()) {
        continue;
      }
      const auto& denied = it->second->unreadable_by;
      if (std::find(denied.begin(), denied.end(), job->row.run_as) != denied.end()) {
        continue;
      }
      auto& mtime = job->row.run.output_mtime;
      mtime = std::max(mtime.value_or(0), it->second->mtime);
    }
  }
}

} // namespace

void apply_spool_evidence(HostJobs& jobs, const HostSnapshot& snapshot) {
  const auto judged = judged_jobs(jobs);
  apply_mails(judged, snapshot);
  apply_output_files(judged, snapshot);
}

} // namespace digger::collect
