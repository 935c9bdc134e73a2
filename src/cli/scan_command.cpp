#include "digger/catalog/catalog.hpp"
#include "digger/catalog/writer.hpp"
#include "digger/cli/command.hpp"
#include "digger/cli/default_db.hpp"
#include "digger/cli/metrics_file.hpp"
#include "digger/cli/sudo_password.hpp"
#include "digger/collect/host_record.hpp"
#include "digger/collect/scan.hpp"
#include "digger/collect/source_table.hpp"
#include "digger/inventory/hosts_file.hpp"
#include "digger/inventory/inventory_file.hpp"
#include "digger/inventory/limit.hpp"
#include "digger/inventory/plan.hpp"
#include "digger/inventory/ssh_config.hpp"
#include "digger/inventory/target_json.hpp"
#include "digger/judge/registry.hpp"
#include "digger/ssh/auth.hpp"
#include "digger/ssh/host_keys.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <unistd.h>

#include "progress.hpp"
#include "scan_summary.hpp"

namespace digger::cli {
namespace {

struct ScanFlags {
  std::string inventory;
  std::string inventory_format = "auto";
  std::string limit;                // Ansible --limit pattern
  bool allow_proxy_command = false; // ProxyCommand runs a local command: only when asked
  bool list_targets = false;        // print the resolved targets as JSON lines and stop
  std::string db = default_db_path();
  std::string ssh_config;
  std::string user;
  int port = 0;
  std::vector<std::string> identities;
  std::vector<std::string> known_hosts;
  std::string host_key_check = "accept-new";
  bool sudo = false;
  std::string sudo_password_file; // --sudo with a password: from a 0600 file,
  std::string sudo_password_env;  // an environment variable,
  bool ask_sudo_password = false; // or the terminal (-K)
  bool fixed_concurrency = false; // no pacing: always --concurrency in flight
  // Enough sessions in flight to keep two cores busy at WAN latency (each host costs the
  // client ~2.5 ms of CPU over ~0.5 s): docs/performance.md, "Default concurrency".
  std::size_t concurrency = 512;
  double timeout = 30;
  double connect_timeout = 0;
  int retries = 1;
  std::size_t max_output = 16u << 20;
  bool resume = false;
  bool quiet = false;
  bool verbose = false;
  std::string summary_format; // "" = text, printed unless -q
  std::string registry;       // CSV of jobs someone already manages
  bool no_inspect = false;    // skip the second round trip (programs behind the jobs)
  std::string textfile_dir;   // Prometheus metrics of the scan into DIR/digger.prom
};

// A user error stops the scan before any connection: one line, exit 2.
using util::UsageError;

std::chrono::milliseconds seconds_to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

std::vector<inventory::InventoryEntry> load_entries(const ScanFlags& flags) {
  auto format = inventory::format_from_name(flags.inventory_format);
  auto hosts = inventory::load_inventory(flags.inventory,
                                         format.value_or(inventory::InventoryFormat::automatic));
  if (!hosts) {
    throw UsageError(hosts.error());
  }
  for (const auto& warning : hosts->warnings) {
    fmt::print(stderr, "digger-scan: warning: {}\n", warning);
  }
  if (flags.limit.empty()) {
    return std::move(hosts.value().entries);
  }
  auto limited = inventory::apply_limit(std::move(hosts.value().entries), flags.limit);
  if (!limited) {
    throw UsageError(limited.error());
  }
  return std::move(limited).value();
}

std::vector<inventory::ScanTarget> plan(const ScanFlags& flags) {
  const auto entries = load_entries(flags);
  auto environment = inventory::current_environment();
  std::string config_path =
      flags.ssh_config.empty() ? environment.home + "/.ssh/config" : flags.ssh_config;
  inventory::SshConfig config;
  config.environment = environment;
  if (!flags.ssh_config.empty() || std::filesystem::exists(config_path)) {
    auto loaded = inventory::load_ssh_config(config_path, environment);
    if (!loaded) {
      throw UsageError(loaded.error());
    }
    config = std::move(loaded.value());
  }
  for (const auto& warning : config.warnings) {
    fmt::print(stderr, "digger-scan: warning: {}\n", warning);
  }
  inventory::TargetDefaults defaults;
  if (!flags.user.empty()) {
    defaults.user = flags.user;
  }
  if (flags.port > 0) {
    defaults.port = flags.port;
  }
  defaults.identity_files = flags.identities;
  if (flags.connect_timeout > 0) {
    defaults.connect_timeout = seconds_to_ms(flags.connect_timeout);
  }
  defaults.allow_proxy_command = flags.allow_proxy_command;
  std::vector<std::string> warnings;
  std::vector<std::string> errors;
  auto targets = inventory::plan_targets(entries, config, defaults, &warnings, &errors);
  for (const auto& warning : warnings) {
    fmt::print(stderr, "digger-scan: warning: {}\n", warning);
  }
  for (const auto& error : errors) {
    fmt::print(stderr, "digger-scan: {}\n", error);
  }
  if (!errors.empty()) {
    throw UsageError(fmt::format("{} host(s) refused; nothing scanned", errors.size()));
  }
  auto become =
      std::count_if(targets.begin(), targets.end(), [](const auto& t) { return t.become; });
  if (become > 0 && !flags.sudo) {
    fmt::print(stderr,
               "digger-scan: note: {} host(s) set ansible_become; Digger uses sudo only "
               "with --sudo (for every host)\n",
               become);
  }
  return targets;
}

// Read before anything else touches the network or the catalog: a bad registry is a user
// error with its file and line.
std::optional<judge::Registry> load_registry(const std::string& path) {
  if (path.empty()) {
    return std::nullopt;
  }
  constexpr std::uintmax_t max_registry_bytes = 64u << 20;
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  std::ifstream in(path, std::ios::binary);
  if (error || !in) {
    throw UsageError(fmt::format("{}: cannot read the registry file", path));
  }
  if (size > max_registry_bytes) {
    throw UsageError(fmt::format("{}: registry larger than 64 MiB", path));
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  auto registry = judge::parse_registry(text, path);
  if (!registry) {
    throw UsageError(registry.error());
  }
  return std::move(registry.value());
}

ssh::HostKeyMode host_key_mode(const std::string& word) {
  if (word == "strict") {
    return ssh::HostKeyMode::strict;
  }
  return word == "off" ? ssh::HostKeyMode::off : ssh::HostKeyMode::accept_new;
}

// Options kept with the scan: what was asked, never a secret (no passphrase ever reaches here).
std::string options_json(const ScanFlags& flags) {
  nlohmann::json j = {{"sudo", flags.sudo},
                      {"host_key_check", flags.host_key_check},
                      {"concurrency", flags.concurrency},
                      {"timeout_s", flags.timeout},
                      {"retries", flags.retries},
                      {"max_output", flags.max_output}};
  if (!flags.user.empty()) {
    j["user"] = flags.user;
  }
  if (!flags.registry.empty()) {
    j["registry"] = flags.registry;
  }
  if (flags.no_inspect) {
    j["inspect"] = false;
  }
  if (flags.fixed_concurrency) {
    j["fixed_concurrency"] = true;
  }
  // Where the sudo password came from, never the password.
  if (!flags.sudo_password_file.empty()) {
    j["sudo_password"] = "file";
  } else if (!flags.sudo_password_env.empty()) {
    j["sudo_password"] = "env";
  } else if (flags.ask_sudo_password) {
    j["sudo_password"] = "terminal";
  }
  return j.dump();
}

ssh::KeyRing load_keys(const ScanFlags& flags, const std::vector<inventory::ScanTarget>& targets) {
  ssh::KeyRingOptions options;
  options.identity_files = flags.identities;
  auto keys = ssh::KeyRing::load(options);
  std::set<std::string> seen(flags.identities.begin(), flags.identities.end());
  for (const auto& target : targets) {
    for (const auto& file : target.identity_files) {
      if (seen.insert(file).second) {
        keys.add_identity_file(file);
      }
    }
  }
  for (const auto& warning : keys.warnings()) {
    fmt::print(stderr, "digger-scan: warning: {}\n", warning);
  }
  // Each target (and bastion) authenticates with its own IdentityFile lines or, without any,
  // the agent and the -i / default files: check each, not only the defaults.
  auto unusable = [&](const std::vector<std::string>& files) {
    return keys.identities_for(files).empty();
  };
  std::size_t without = 0;
  const inventory::ScanTarget* first = nullptr;
  for (const auto& target : targets) {
    bool bad = unusable(target.identity_files) ||
               std::any_of(target.jump_hosts.begin(), target.jump_hosts.end(),
                           [&](const auto& hop) { return unusable(hop.identity_files); });
    if (bad && without++ == 0) {
      first = &target;
    }
  }
  if (without > 0 && without == targets.size()) {
    throw UsageError("no usable SSH identity: no ssh-agent key and no Ed25519/ECDSA key file "
                     "(give one with -i, or IdentityFile in the ssh config)");
  }
  if (without > 0) {
    fmt::print(stderr,
               "digger-scan: warning: {} of {} hosts have no usable SSH identity (first: "
               "{}: {}); they will fail authentication\n",
               without, targets.size(), first->source.str(), first->name);
  }
  return keys;
}

std::vector<inventory::ScanTarget>
not_yet_recorded(std::vector<inventory::ScanTarget> targets,
                 const std::vector<catalog::HostIdentity>& done) {
  std::set<catalog::HostIdentity> finished(done.begin(), done.end());
  std::erase_if(targets, [&](const auto& t) { return finished.count({t.name, t.port}) > 0; });
  return targets;
}

// A catalog write failed mid-scan (locked by another process past the busy timeout, disk
// full): the hosts committed so far stay, the scan is marked interrupted when the catalog
// still takes that write (otherwise it stays "running" with its lock released, which --resume
// and the next scan read as interrupted), one line says why, exit 3.
int end_on_catalog_failure(catalog::Catalog& catalog, std::int64_t scan_id,
                           const std::string& failure) {
  try {
    catalog.finish_scan(scan_id, catalog::ScanStatus::interrupted);
  } catch (const catalog::CatalogError&) {
    // Reported below; the scan lock is dropped when the process exits.
  }
  fmt::print(stderr,
             "digger-scan: scan {} interrupted: cannot write the catalog: {}; the hosts "
             "recorded so far are kept, run again with --resume to finish it\n",
             scan_id, failure);
  return exit_catalog;
}

// --sudo's password, when one was asked for; read before any connection.
std::optional<ssh::SecretString> load_sudo_password(const ScanFlags& flags) {
  std::optional<util::Result<ssh::SecretString>> read;
  if (!flags.sudo_password_file.empty()) {
    read = sudo_password_from_file(flags.sudo_password_file);
  } else if (!flags.sudo_password_env.empty()) {
    read = sudo_password_from_env(flags.sudo_password_env);
  } else if (flags.ask_sudo_password) {
    read = sudo_password_from_terminal();
  }
  if (!read) {
    return std::nullopt;
  }
  if (!*read) {
    throw UsageError(read->error());
  }
  return std::move(*read).value();
}

int run_scan(const ScanFlags& flags) {
  // Wiped when the scan returns (SecretString), whichever way it ends.
  const auto sudo_password = load_sudo_password(flags);
  auto targets = plan(flags);
  if (flags.list_targets) {
    for (const auto& target : targets) {
      fmt::print("{}\n", inventory::target_json(target));
    }
    return exit_ok;
  }
  const auto registry = load_registry(flags.registry);
  // Keys first: a missing key or a wrong passphrase stops here, before the catalog is touched.
  auto keys = load_keys(flags, targets);
  auto catalog = catalog::Catalog::open(flags.db);
  std::int64_t scan_id = 0;
  if (flags.resume) {
    auto interrupted = catalog.latest_interrupted_scan();
    if (!interrupted) {
      throw UsageError(fmt::format("{}: no interrupted scan to resume", flags.db));
    }
    scan_id = interrupted->id;
    targets = not_yet_recorded(std::move(targets), catalog.hosts_recorded(scan_id));
    catalog.resume_scan(scan_id);
  } else {
    scan_id = catalog.begin_scan({flags.inventory, options_json(flags),
                                  static_cast<std::int64_t>(targets.size()), DIGGER_VERSION});
  }
  ssh::HostKeyStoreOptions key_options;
  key_options.extra_files = flags.known_hosts;
  key_options.digger_file = flags.db + ".known_hosts";
  ssh::HostKeyStore host_keys(key_options);

  collect::ScanRequest request;
  request.targets = std::move(targets);
  request.use_sudo = flags.sudo || sudo_password.has_value();
  request.sudo_password = sudo_password ? &*sudo_password : nullptr;
  request.registry = registry ? &*registry : nullptr;
  // Run evidence: each host's log is read on from where the last scan stopped.
  request.evidence_before = catalog.evidence_states();
  if (!flags.no_inspect) {
    request.inspection_targets = collect::targets_to_inspect;
  }
  request.limits.total_bytes = flags.max_output;
  request.limits.per_file_bytes = std::min<std::size_t>(flags.max_output, 4u << 20);
  request.ssh.concurrency = flags.concurrency;
  request.ssh.host_deadline = seconds_to_ms(flags.timeout);
  request.ssh.retries = flags.retries;
  request.ssh.retry_timeouts = true; // once, at the end, a few at a time
  request.ssh.adaptive = !flags.fixed_concurrency;
  request.ssh.host_key_mode = host_key_mode(flags.host_key_check);

  auto& stop = install_stop_handlers();
  const bool tty = isatty(STDERR_FILENO) != 0;
  Progress progress(request.targets.size(), tty && !flags.quiet && !flags.verbose);
  ssh::FanoutReport fanout;
  std::string catalog_failure;
  {
    catalog.register_source_kinds(collect::catalog_kind_rows()); // before the Writer: it checks
    catalog::Writer writer(catalog, scan_id);
    auto outcome = collect::scan_hosts(
        request, keys, host_keys, writer,
        [&](const catalog::HostRecord& host) {
          progress.host_done(host.status == "ok");
          if (flags.verbose) {
            fmt::print(stderr, "{:<30} {:<17} {}\n", host.name, host.status, host.reason);
          }
        },
        stop);
    fanout = outcome.fanout;
    catalog_failure = outcome.catalog_error;
    try {
      writer.stop();
    } catch (const catalog::CatalogError& error) {
      if (catalog_failure.empty()) {
        catalog_failure = error.what();
      }
    }
  }
  progress.finish();
  if (!catalog_failure.empty()) {
    return end_on_catalog_failure(catalog, scan_id, catalog_failure);
  }
  const bool interrupted = stop.load();
  catalog.finish_scan(scan_id, interrupted ? catalog::ScanStatus::interrupted
                                           : catalog::ScanStatus::complete);
  auto summary = summarize_scan(catalog, scan_id);
  summary.retried = static_cast<std::int64_t>(fanout.retried);
  summary.retried_ok = static_cast<std::int64_t>(fanout.retried_ok);
  // -q silences the progress and the default summary, not one the user asked for by format.
  if (!flags.quiet || !flags.summary_format.empty()) {
    print_summary(summary, flags.summary_format.empty() ? "text" : flags.summary_format,
                  interrupted);
  }
  if (!flags.textfile_dir.empty()) {
    try {
      write_textfile(flags.textfile_dir, prometheus_metrics(flags.db, std::to_string(scan_id), ""));
    } catch (const std::runtime_error& e) { // the catalog's errors included
      fmt::print(stderr, "digger-scan: --textfile-dir: {}\n", e.what());
      return exit_usage;
    }
  }
  return summary.all_ok() && !interrupted ? exit_ok : exit_partial;
}

} // namespace

void add_scan_command(CLI::App& app, Action& action) {
  auto flags = std::make_shared<ScanFlags>();
  app.add_option("--inventory", flags->inventory,
                 "hosts to scan: a host list, an Ansible INI/YAML inventory or "
                 "ansible-inventory --list JSON")
      ->check(CLI::ExistingFile);
  app.add_option("--inventory-format", flags->inventory_format,
                 "auto (default), plain, ansible-ini, ansible-yaml or ansible-json")
      ->check(CLI::IsMember({"auto", "plain", "ansible-ini", "ansible-yaml", "ansible-json"}));
  app.add_option("--limit", flags->limit,
                 "hosts to scan, as Ansible's --limit (group, host, globs, a:b, a:&b, a:!b)");
  app.add_flag("--allow-proxy-command", flags->allow_proxy_command,
               "let ProxyCommand (ssh config or inventory) run a local command");
  app.add_flag("--list-targets", flags->list_targets,
               "print each resolved target as a JSON line and exit (no connection)");
  app.add_option("--db", flags->db, "catalog file (default $DIGGER_DB, else ./digger.db)");
  app.add_option("-F", flags->ssh_config, "OpenSSH client config (default ~/.ssh/config)")
      ->check(CLI::ExistingFile);
  app.add_option("--user", flags->user, "login user for hosts that do not name one");
  app.add_option("--port", flags->port, "SSH port for hosts that do not name one")
      ->check(CLI::Range(1, 65535));
  app.add_option("-i,--identity", flags->identities, "private key file (repeatable)");
  app.add_option("--known-hosts", flags->known_hosts, "extra known_hosts file (read-only)")
      ->check(CLI::ExistingFile);
  app.add_option("--host-key-check", flags->host_key_check, "strict, accept-new or off")
      ->check(CLI::IsMember({"strict", "accept-new", "off"}));
  app.add_flag("--sudo", flags->sudo, "read crontabs through sudo -n");
  auto* password_file =
      app.add_option("--sudo-password-file", flags->sudo_password_file,
                     "sudo with a password: its first line, mode 0600 (implies --sudo)");
  auto* password_env =
      app.add_option("--sudo-password-env", flags->sudo_password_env,
                     "sudo with a password: from this environment variable (implies --sudo)");
  auto* ask = app.add_flag("-K,--ask-sudo-password", flags->ask_sudo_password,
                           "sudo with a password: ask once on the terminal (implies --sudo)");
  password_file->excludes(password_env)->excludes(ask);
  password_env->excludes(ask);
  app.add_option("--concurrency", flags->concurrency,
                 "hosts in flight at most (default 512; the scan paces itself below it)")
      ->check(CLI::Range(1, 100000));
  app.add_flag("--fixed-concurrency", flags->fixed_concurrency,
               "always keep --concurrency hosts in flight (no pacing)");
  app.add_option("--timeout", flags->timeout, "total seconds per host (default 30)")
      ->check(CLI::PositiveNumber);
  app.add_option("--connect-timeout", flags->connect_timeout, "TCP connect seconds (default 5)")
      ->check(CLI::PositiveNumber);
  app.add_option("--retries", flags->retries, "retries before the SSH banner (default 1)")
      ->check(CLI::Range(0, 10));
  app.add_option("--max-output", flags->max_output, "bytes one host may send (default 16 MiB)")
      ->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 32));
  app.add_option("--registry", flags->registry,
                 "CSV of known jobs (fingerprint,host,owner,command,managed_by)")
      ->check(CLI::ExistingFile);
  app.add_flag("--no-inspect", flags->no_inspect,
               "do not inspect the programs the jobs run (one round trip less per host)");
  app.add_option("--textfile-dir", flags->textfile_dir,
                 "after the scan, write its Prometheus metrics to DIR/digger.prom (atomically, "
                 "for node_exporter's textfile collector)")
      ->check(CLI::ExistingDirectory);
  app.add_flag("--resume", flags->resume, "continue the latest interrupted scan");
  auto* quiet = app.add_flag("-q,--quiet", flags->quiet,
                             "no progress bar, no summary (unless --summary-format is given)");
  app.add_flag("-v,--verbose", flags->verbose, "one line per host")->excludes(quiet);
  app.add_option("--summary-format", flags->summary_format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  // `digger-scan scan --inventory F` names the default action; its options stay the app's
  // (fallthrough hands them up), so both spellings parse the same flags.
  CLI::App* alias = app.add_subcommand("scan", "scan the hosts of --inventory (the default action; "
                                               "options as in `digger-scan --help`)");
  alias->fallthrough();
  app.final_callback([&app, &action, flags, alias] {
    if (alias->parsed() && flags->inventory.empty()) {
      throw UsageError("--inventory is required");
    }
    if (action || flags->inventory.empty()) {
      return; // a subcommand ran, or nothing to scan (main prints the help)
    }
    action = [flags] {
      try {
        return run_scan(*flags);
      } catch (const UsageError& e) {
        fmt::print(stderr, "digger-scan: {}\n", e.what());
        return static_cast<int>(exit_usage);
      } catch (const catalog::CatalogError& e) {
        fmt::print(stderr, "digger-scan: {}\n", e.what());
        return static_cast<int>(exit_catalog);
      }
    };
    (void)app;
  });
}

} // namespace digger::cli
