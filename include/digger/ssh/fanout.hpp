#pragma once

#include "digger/ssh/host_keys.hpp"
#include "digger/ssh/known_hosts.hpp"
#include "digger/ssh/secret.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace digger::ssh {

// Transport-level outcome of one host. Collection-level statuses (partial,
// permission-denied) are decided later from the command's output.
enum class Status {
  ok,
  unreachable,      // refused, no route, DNS failure
  timeout,          // connect timeout or the host deadline
  hostkey_mismatch, // changed, other type or revoked: nothing was sent to the host
  hostkey_unknown,  // strict mode and no known key: nothing was sent to the host
  auth_failed,
  protocol_error,
  // Through bastions (Target::jumps): the hop that failed is named in the reason.
  bastion_unreachable, // a bastion could not be connected to, or its session died
  bastion_hostkey,     // a bastion's host key was refused: nothing was sent to it
  bastion_auth,        // a bastion refused every identity
  forwarding_refused, // a bastion refused the direct-tcpip channel (AllowTcpForwarding, PermitOpen)
  target_open_timeout, // the bastion did not open the channel to the target in time
};
std::string_view status_name(Status status); // "ok", "unreachable", "hostkey-mismatch", ...

// One bastion of a ProxyJump chain, with its own user, keys and known_hosts key.
struct Hop {
  std::string name;    // as the user wrote it (messages, known_hosts)
  std::string address; // what to connect to; resolved by the previous hop for hops after the first
  int port = 22;
  std::string user;
  std::vector<std::string> identity_files; // empty: the key ring's defaults
  std::string known_hosts_host;            // empty: `name` and `address` with `port`
  int known_hosts_port = 22;
  std::chrono::milliseconds connect_timeout{5000};
};

struct Target {
  std::string name;    // as the user wrote it (known_hosts lookups use it, and the address)
  std::string address; // what to connect to (HostName), resolved by the engine
  int port = 22;
  std::string user;
  std::vector<std::string> identity_files; // in order; empty = defaults from the key ring
  std::chrono::milliseconds connect_timeout{5000};
  // The known_hosts lookup key exactly as ssh forms it (HostKeyAlias with port 22, else the
  // address with the port). Empty: both `name` and `address` are looked up with `port`, and
  // accept-new records `name`.
  std::string command; // empty: the command given to run_fanout (e.g. no sudo for root)
  std::string known_hosts_host;
  int known_hosts_port = 22;
  // ProxyJump chain in connection order ([0] is dialled first): the target is reached over a
  // direct-tcpip channel of the last hop's session. Empty: a direct TCP connection.
  std::vector<Hop> jumps;
  // ProxyCommand, tokens expanded: run with /bin/sh -c, the session goes over its stdin and
  // stdout (proxy_command.hpp). Only ever the user's own config (--allow-proxy-command).
  // Exclusive with `jumps`; `address` is then not dialled (only named in known_hosts lookups).
  std::string proxy_command;
  // IdentitiesOnly: agent keys are offered only when they match one of the identity files.
  bool identities_only = false;
};

struct Outcome;

// An optional second exchange inside the same command (inspection), one round trip instead of
// a second channel, exec, shell and sudo: the command prints `marker` on a line of its own
// after its first output and then reads its stdin. On seeing that line at the end of stdout
// (the command is then silent, waiting) the session calls `stdin_for` on the worker thread
// with the first outcome (stdout up to the marker), sends the bytes it returns, or none when
// it returns nullopt, then EOF; what the command prints afterwards is the follow-up's output.
// The marker should be unguessable by file contents (a per-scan nonce): only its line at the
// very end of what has arrived counts, and only once.
struct FollowUp {
  std::string marker; // empty: no follow-up
  std::function<std::optional<std::string>(std::size_t index, const Outcome& first)> stdin_for;
  std::chrono::milliseconds deadline{20000}; // a fresh budget from the marker's arrival
  std::size_t max_stdout_bytes = 8u << 20;
  std::size_t max_stderr_bytes = 64u << 10;
};

// A password the command asks for on its stdin (sudo -S -p PROMPT): when stderr ends with
// `prompt` and stdout does not hold `success_marker` yet, `answer` and a newline are written to
// the channel once, without EOF (stdin stays open for the follow-up). A second prompt means
// the password was refused: stdin is closed so that the command gives up at once instead of
// waiting for another try. The prompt should be a per-scan nonce (no host can print it first).
// sudo reads its password one byte at a time up to the newline, so it never takes bytes that
// follow; the follow-up's input is sent only after its marker anyway.
struct PromptAnswer {
  std::string prompt; // empty: nothing is ever answered
  const SecretString* answer = nullptr;
  std::string success_marker; // on stdout: the command runs, no prompt is answered any more
};

struct JumpStats;

struct Options {
  std::size_t concurrency = 512; // hosts in flight at most (capped below RLIMIT_NOFILE)
  // Below that ceiling, find the rate the path sustains (pacer.hpp); false: always `concurrency`.
  bool adaptive = true;
  // Hosts that end `timeout` get a second chance once the others are done, a few at a time
  // (`retry_concurrency`), before being reported: a timeout under load is often our own doing.
  bool retry_timeouts = false;
  std::size_t retry_concurrency = 16;
  std::size_t workers = 0;                        // threads doing crypto; 0 = one per core
  std::chrono::milliseconds host_deadline{30000}; // connect + handshake + auth + command
  int retries = 1; // extra attempts for failures before the banner only (MaxStartups drops)
  std::chrono::milliseconds retry_backoff{300}; // first backoff; doubled, jittered
  std::size_t max_output_bytes = 16u << 20;     // stdout bound per host
  std::size_t max_stderr_bytes = 64u << 10;     // stderr bound per host
  HostKeyMode host_key_mode = HostKeyMode::accept_new;
  FollowUp followup;
  PromptAnswer prompt_answer;
  // Bastions: opens are serialised per jump session (libssh2 1.10 keeps one pending), each with
  // this deadline; a pool per chain and worker grows up to `jump_pool_max` sessions when an open
  // times out or the queue waits longer than `jump_grow_after`.
  std::chrono::milliseconds jump_open_timeout{10000};
  std::size_t jump_pool_max = 4;
  std::chrono::milliseconds jump_grow_after{2000};
  std::chrono::seconds jump_keepalive{15};
  JumpStats* jump_stats = nullptr; // optional counters, filled during the scan
};

// Counters of the jump sessions of one scan (bench and tests read them).
struct JumpStats {
  std::atomic<std::size_t> sessions_started{0};       // TCP connections / tunnels to bastions
  std::atomic<std::size_t> sessions_authenticated{0}; // bastion logins
  std::atomic<std::size_t> channels_opened{0};        // direct-tcpip channels
  std::atomic<std::size_t> open_timeouts{0};
  std::atomic<std::size_t> requeued{0}; // targets restarted once after their jump session died
};

struct Timings {
  std::chrono::milliseconds connect{0}, handshake{0}, auth{0}, command{0}, total{0};
};

struct Outcome {
  Status status = Status::protocol_error;
  std::string reason; // one line, no secrets
  std::string stdout_data;
  std::string stderr_data;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  // libssh2 1.10 reports 0 both for "exited 0" and for "no exit status received": the caller
  // must frame its output with an in-band sentinel carrying $? to know the command finished.
  int exit_status = 0;
  std::string exit_signal;          // "" or the signal name ("KILL", ...) when the server sent one
  HostKey host_key;                 // empty when the handshake did not get that far
  std::string host_key_fingerprint; // SHA256:...
  bool host_key_newly_accepted = false;
  Timings timings;
  int attempts = 0;
  bool retried = false; // timed out in the main pass, run again at the end (retry_timeouts)
  // The follow-up (FollowUp). Its failure never changes `status`: the first result stands.
  bool followup_ran = false; // its input was sent and the command's output read to the end
  std::string
      followup_error; // why it did not run or did not finish ("" when it did or was skipped)
  std::string followup_stdout;
  std::string followup_stderr;
  bool followup_stdout_truncated = false;
  bool followup_stderr_truncated = false;
  std::chrono::milliseconds followup_time{0};
};

class KeyRing; // identities loaded once per scan (agent + key files); see auth.hpp

// What run_fanout tells about the run itself (not about any one host).
struct FanoutReport {
  std::size_t retried = 0;      // hosts that timed out and were run again at the end
  std::size_t retried_ok = 0;   // of which ended ok the second time
  std::size_t final_window = 0; // the pacer's window when the main pass ended
};

// Runs one fixed command on many hosts: non-blocking libssh2 sessions multiplexed with poll()
// on a few worker threads. `on_done` is called exactly once per started target, on the worker
// thread that ran it. Calls are NOT serialised: workers call it at the same time, so that one
// host's slow parsing never holds up the others; it locks whatever it shares (and only for
// that), and it must not throw. While a worker is in `on_done` its own hosts wait, so keep it
// to the host's own work.
// Setting `stop` lets in-flight hosts finish or hit their deadline and starts no new one;
// targets never started are reported to nobody (the caller knows which were done).
// Identity files named by targets are loaded into `keys` before any connection starts.
// Timed-out hosts retried at the end are reported once, with their second outcome.
FanoutReport run_fanout(const std::vector<Target>& targets, const std::string& command,
                        const Options& options, KeyRing& keys, HostKeyStore& host_keys,
                        const std::function<void(std::size_t index, Outcome&&)>& on_done,
                        const std::atomic<bool>& stop);

} // namespace digger::ssh
