#include "digger/collect/scan.hpp"

#include "digger/catalog/writer.hpp"
#include "digger/collect/decode.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/host_status.hpp"
#include "digger/ssh/auth.hpp"
#include "digger/ssh/host_keys.hpp"

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

} // namespace

catalog::HostRecord host_record(const inventory::ScanTarget& target, ssh::Outcome&& outcome) {
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
  auto decoded = decode_collector_output(outcome.stdout_data);
  auto verdict = judge_collection(decoded, outcome.stderr_data, outcome.stdout_truncated);
  record.status = verdict.status;
  record.reason = verdict.reason;
  add_snapshot(record, decoded.snapshot);
  return record;
}

void scan_hosts(const ScanRequest& request, ssh::KeyRing& keys, ssh::HostKeyStore& host_keys,
                catalog::Writer& writer,
                const std::function<void(const catalog::HostRecord&)>& on_host,
                const std::atomic<bool>& stop) {
  // sudo only where the login is not root: root reads everything, and a host without sudo
  // installed must still be scannable as root.
  const std::string command = collector_command(request.use_sudo, request.limits);
  const std::string as_root = collector_command(false, request.limits);
  std::vector<ssh::Target> targets;
  targets.reserve(request.targets.size());
  for (const auto& target : request.targets) {
    targets.push_back(ssh_target(target));
    if (request.use_sudo && target.user == "root") {
      targets.back().command = as_root;
    }
  }
  ssh::Options options = request.ssh;
  // Room for the framing around the file bytes the script may send.
  options.max_output_bytes = request.limits.total_bytes + (1u << 20);
  ssh::run_fanout(
      targets, command, options, keys, host_keys,
      [&](std::size_t index, ssh::Outcome&& outcome) {
        auto record = host_record(request.targets[index], std::move(outcome));
        if (on_host) {
          on_host(record);
        }
        writer.submit(std::move(record));
      },
      stop);
}

} // namespace digger::collect
