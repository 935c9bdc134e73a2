#include "digger/collect/scan.hpp"

#include "digger/catalog/writer.hpp"
#include "digger/collect/decode.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/host_status.hpp"
#include "digger/collect/line_cap.hpp"
#include "digger/collect/run_evidence.hpp"
#include "digger/ssh/auth.hpp"
#include "digger/ssh/host_keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>

namespace digger::collect {
namespace {

constexpr std::size_t stderr_excerpt_bytes = 4096;

ssh::Target ssh_target(const inventory::ScanTarget& target) {
  ssh::Target out;
  out.name = target.name;
  out.address = target.address;
  out.known_hosts_host = target.known_hosts_host;
  out.known_hosts_port = target.known_hosts_port;
  out.port = target.port;
  out.user = target.user;
  out.identity_files = target.identity_files;
  out.connect_timeout = target.connect_timeout;
  for (const auto& jump : target.jump_hosts) {
    ssh::Hop hop;
    hop.name = jump.name;
    hop.address = jump.address;
    hop.port = jump.port;
    hop.user = jump.user;
    hop.identity_files = jump.identity_files;
    hop.known_hosts_host = jump.known_hosts_host;
    hop.known_hosts_port = jump.known_hosts_port;
    hop.connect_timeout = jump.connect_timeout;
    out.jumps.push_back(std::move(hop));
  }
  out.proxy_command = target.proxy_command.value_or("");
  out.identities_only = target.identities_only;
  return out;
}

std::string transport_status(ssh::Status status) {
  // Strict mode refusing an unknown key is reported with the key alarms: nothing was sent.
  return status == ssh::Status::hostkey_unknown ? "hostkey-mismatch"
                                                : std::string(ssh::status_name(status));
}

std::int64_t ms(std::chrono::milliseconds d) {
  return d.count();
}

// Why the inspection of a host that ran its collector gave nothing usable, or "".
std::string inspection_failure(const ssh::Outcome& outcome) {
  if (!outcome.followup_error.empty()) {
    return outcome.followup_error;
  }
  if (!outcome.followup_ran) {
    return "the session ended before the inspection";
  }
  if (outcome.followup_stdout.find(inspect_start_marker) == std::string::npos) {
    auto stderr_line = outcome.followup_stderr.substr(0, outcome.followup_stderr.find('\n'));
    return one_line(stderr_line.empty() ? "the inspect script printed nothing" : stderr_line, 200);
  }
  return {};
}

} // namespace

Decoded decode_host(const ssh::Outcome& outcome, const InspectionPlan* plan) {
  Decoded decoded = decode_collector_output(outcome.stdout_data);
  if (plan == nullptr) {
    return decoded;
  }
  std::string failure = plan->paths.empty() ? std::string() : inspection_failure(outcome);
  apply_inspection(decoded.snapshot, *plan, outcome.followup_stdout, failure);
  return decoded;
}

namespace {

// A host over the line cap is recorded partial, its cut files saying why.
void apply_line_cap(catalog::HostRecord& record, const LineCap& cap, std::size_t max_lines) {
  if (!cap.hit()) {
    return;
  }
  if (record.status == "ok" || record.status == "partial") {
    record.status = "partial";
    const std::string reason = cap.reason(max_lines);
    record.reason = record.reason.empty() ? reason : record.reason + "; " + reason;
  }
  for (auto& source : record.sources) {
    if (std::find(cap.cut_paths.begin(), cap.cut_paths.end(), source.path) != cap.cut_paths.end()) {
      source.load_notes.push_back(fmt::format(
          "cut at the host's entry cap of {} lines: not every line is recorded", max_lines));
    }
  }
}

} // namespace

catalog::HostRecord host_record(const inventory::ScanTarget& target, ssh::Outcome&& outcome,
                                const InspectionPlan* plan, const judge::Registry* registry,
                                std::size_t max_lines,
                                const catalog::EvidenceState* evidence_before) {
  catalog::HostRecord record;
  record.name = target.name;
  record.port = target.port;
  record.address = target.address;
  record.login_user = target.user;
  for (const auto& [key, value] : target.labels) {
    record.labels[key] = value;
  }
  record.attempts = outcome.attempts;
  const auto& t = outcome.timings;
  record.timings = {ms(t.connect), ms(t.handshake), ms(t.auth), ms(t.command), ms(t.total)};
  record.host_key_type = outcome.host_key.type;
  record.host_key_fingerprint = outcome.host_key_fingerprint;
  record.stderr_excerpt = outcome.stderr_data.substr(0, stderr_excerpt_bytes);
  record.output_truncated = outcome.stdout_truncated;
  if (outcome.status != ssh::Status::ok) {
    record.status = transport_status(outcome.status);
    record.reason = one_line(outcome.reason, 300);
    return record;
  }
  // The jobs the inspection was planned from, or (no plan made) read now: once either way.
  std::shared_ptr<PreparedHost> prepared = plan ? plan->prepared : nullptr;
  if (!prepared) {
    prepared = std::make_shared<PreparedHost>(prepare_host(outcome.stdout_data, outcome.stderr_data,
                                                           outcome.stdout_truncated, max_lines));
  }
  auto& snapshot = prepared->decoded.snapshot;
  if (plan != nullptr) {
    std::string failure = plan->paths.empty() ? std::string() : inspection_failure(outcome);
    apply_inspection(snapshot, *plan, outcome.followup_stdout, failure);
  }
  record.status = prepared->collection.status;
  record.reason = prepared->collection.reason;
  if (prepared->decoded.complete) {
    record.evidence = apply_run_evidence(prepared->jobs, snapshot, evidence_before);
    apply_spool_evidence(prepared->jobs, snapshot);
  }
  add_host_jobs(record, snapshot, std::move(prepared->jobs), registry);
  apply_line_cap(record, prepared->cap, max_lines);
  return record;
}

// What the follow-up callback decided for one host, read back when the host is done. Each
// slot is written by the worker that runs the host and read by that same worker's on_done.
struct HostInspection {
  bool asked = false;
  InspectionPlan plan; // its note says why when the inspection did not start
};

InspectionPlan
plan_host_inspection(const ssh::Outcome& first, const InspectLimits& limits, std::size_t max_lines,
                     const std::function<std::vector<InspectionTarget>(const HostJobs&)>& targets) {
  InspectionPlan plan;
  std::shared_ptr<PreparedHost> prepared;
  try {
    prepared = std::make_shared<PreparedHost>(
        prepare_host(first.stdout_data, first.stderr_data, first.stdout_truncated, max_lines));
    if (!prepared->decoded.complete) {
      plan.note = "not run: the collector did not finish";
    } else {
      plan = plan_inspection(targets(prepared->jobs), limits);
    }
  } catch (const std::exception& error) {
    plan = InspectionPlan{};
    plan.note = std::string("not run: ") + error.what();
  }
  plan.prepared = std::move(prepared);
  return plan;
}

std::optional<std::string> plan_host(const ScanRequest& request, const ssh::Outcome& first,
                                     HostInspection& slot) {
  slot.asked = true;
  slot.plan = plan_host_inspection(first, request.inspect, request.max_lines_per_host,
                                   request.inspection_targets);
  if (slot.plan.paths.empty()) {
    return std::nullopt;
  }
  return slot.plan.payload;
}

namespace {

// Unguessable by any file a host could hold, so only our script's line can start the hand-over.
std::string hand_over_marker() {
  std::random_device random;
  std::string marker = "@@digger-inspect-";
  for (int i = 0; i < 4; ++i) {
    marker += fmt::format("{:08x}", random());
  }
  return marker + "@@";
}

// sudo's password prompt for this scan: unguessable, so only sudo can ask for the password.
std::string sudo_prompt() {
  std::random_device random;
  std::string prompt = "digger-sudo-";
  for (int i = 0; i < 4; ++i) {
    prompt += fmt::format("{:08x}", random());
  }
  return prompt + ":";
}

// sudo only where the login is not root: root reads everything, and a host without sudo
// installed must still be scannable as root.
std::string remote_command(const ScanRequest& request, bool use_sudo, const HandOver* hand_over,
                           std::string_view prompt) {
  return hand_over != nullptr
             ? collector_command(use_sudo, request.limits, request.script_mode, *hand_over, prompt)
             : collector_command(use_sudo, request.limits, request.script_mode, prompt);
}

} // namespace

ssh::FanoutReport collect_hosts(
    const ScanRequest& request, ssh::KeyRing& keys, ssh::HostKeyStore& host_keys,
    const std::function<void(std::size_t, ssh::Outcome&&, const InspectionPlan*)>& on_host,
    const std::atomic<bool>& stop) {
  const bool inspect = static_cast<bool>(request.inspection_targets);
  const std::string marker = inspect ? hand_over_marker() : std::string();
  const HandOver hand_over{marker, inspect_script(), request.inspect.max_targets,
                           request.inspect.max_blob_bytes};
  const HandOver* inspection = inspect ? &hand_over : nullptr;
  const bool with_password = request.use_sudo && request.sudo_password != nullptr;
  const std::string prompt = with_password ? sudo_prompt() : std::string();
  const std::string command = remote_command(request, request.use_sudo, inspection, prompt);
  const std::string as_root = remote_command(request, false, inspection, {});
  std::vector<ssh::Target> targets;
  targets.reserve(request.targets.size());
  for (const auto& target : request.targets) {
    targets.push_back(ssh_target(target));
    const bool root = request.use_sudo && target.user == "root";
    const auto before = request.evidence_before.find({target.name, target.port});
    const std::string cursors =
        log_cursor_argument(before == request.evidence_before.end() ? nullptr : &before->second);
    targets.back().command = with_log_cursors(root ? as_root : command, inspection != nullptr,
                                              request.script_mode, cursors);
  }
  ssh::Options options = request.ssh;
  // Room for the framing around the file bytes the script may send.
  // Plus the run evidence's 4 MiB of log (docs/evidence.md).
  options.max_output_bytes = request.limits.total_bytes + (1u << 20) + (4u << 20);
  options.followup.marker = marker;
  if (with_password) {
    options.prompt_answer = {prompt, request.sudo_password, std::string(start_marker)};
  }
  std::vector<HostInspection> inspections(inspect ? request.targets.size() : 0);
  if (inspect) {
    options.followup.max_stdout_bytes = request.inspect.max_output_bytes;
    options.followup.stdin_for = [&](std::size_t index, const ssh::Outcome& first) {
      return plan_host(request, first, inspections[index]);
    };
  }
  return ssh::run_fanout(
      targets, command, options, keys, host_keys,
      [&](std::size_t index, ssh::Outcome&& outcome) {
        const InspectionPlan* plan = nullptr;
        InspectionPlan not_asked;
        if (inspect && inspections[index].asked) {
          plan = &inspections[index].plan;
        } else if (inspect && outcome.status == ssh::Status::ok) {
          not_asked.note = outcome.stdout_truncated
                               ? "not run: the collector output was cut at its byte bound"
                               : "not run: the session ended before the inspection";
          plan = &not_asked;
        }
        on_host(index, std::move(outcome), plan);
        if (inspect) {
          inspections[index] = HostInspection{}; // release the plan
        }
      },
      stop);
}

namespace {

// One host whose output Digger failed to turn into a record (a bug, or memory): recorded as a
// failed host, so the scan goes on and the report shows it.
catalog::HostRecord failed_record(const inventory::ScanTarget& target, std::string_view why) {
  catalog::HostRecord record;
  record.name = target.name;
  record.port = target.port;
  record.address = target.address;
  record.login_user = target.user;
  record.status = "protocol-error";
  record.reason = one_line(fmt::format("digger could not record this host: {}", why), 300);
  return record;
}

catalog::HostRecord safe_host_record(const ScanRequest& request, std::size_t index,
                                     ssh::Outcome&& outcome, const InspectionPlan* plan) {
  const auto& target = request.targets[index];
  try {
    const auto before = request.evidence_before.find({target.name, target.port});
    return host_record(target, std::move(outcome), plan, request.registry,
                       request.max_lines_per_host,
                       before == request.evidence_before.end() ? nullptr : &before->second);
  } catch (const std::exception& error) {
    return failed_record(target, error.what());
  }
}

} // namespace

ScanOutcome scan_hosts(const ScanRequest& request, ssh::KeyRing& keys, ssh::HostKeyStore& host_keys,
                       catalog::Writer& writer,
                       const std::function<void(const catalog::HostRecord&)>& on_host,
                       std::atomic<bool>& stop) {
  std::mutex submit_mutex; // the only lock: parsing and judging run on every worker at once
  std::string failure;     // the catalog error that ended the scan; guarded by submit_mutex
  ScanOutcome result;
  result.fanout = collect_hosts(
      request, keys, host_keys,
      [&](std::size_t index, ssh::Outcome&& outcome, const InspectionPlan* plan) {
        auto record = safe_host_record(request, index, std::move(outcome), plan);
        std::lock_guard lock(submit_mutex);
        if (!failure.empty()) {
          return; // the catalog failed: hosts still in flight are left to --resume
        }
        try {
          if (on_host) {
            on_host(record);
          }
          try {
            writer.submit(std::move(record));
          } catch (const std::invalid_argument& error) { // a record the schema rejects
            writer.submit(failed_record(request.targets[index], error.what()));
          }
        } catch (const std::exception& error) {
          // Thrown out of here it would terminate the process: end the scan instead.
          failure = one_line(error.what(), 300);
          stop.store(true);
        }
      },
      stop);
  result.catalog_error = failure;
  return result;
}

} // namespace digger::collect
