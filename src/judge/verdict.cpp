// The hidden-batch verdict: a job is managed when some evidence names who owns it, and
// hidden otherwise, with the reasons a reader needs to go and find its owner. The order of
// the rules and every sentence are documented in docs/hidden-batches.md.
#include "digger/judge/verdict.hpp"

#include <fmt/format.h>

#include <array>

namespace digger::judge {
namespace {

// "cron.d file", "per-user crontab", ...: what the source is, in words.
std::string source_phrase(std::string_view kind) {
  if (kind == "user") {
    return "per-user crontab";
  }
  if (kind == "system") {
    return "/etc/crontab";
  }
  if (kind == "cron.d") {
    return "cron.d file";
  }
  if (kind == "run-parts") {
    return "run-parts script";
  }
  if (kind == "timer") {
    return "timer unit";
  }
  if (kind == "at") {
    return "at job";
  }
  if (kind == "supervisor") {
    return "supervisor configuration file";
  }
  if (kind == "worker-unit") {
    return "service unit";
  }
  return std::string(kind); // anacrontab, and any future kind
}

// "ansible:backup" -> ("Ansible", "backup").
std::pair<std::string, std::string> split_marker(const std::string& marker) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> tools = {{
      {"ansible", "Ansible"},
      {"puppet", "Puppet"},
      {"chef", "Chef"},
      {"salt", "Salt"},
      {"digger", "Digger"},
  }};
  const std::size_t colon = marker.find(':');
  std::string tool = marker.substr(0, colon);
  const std::string name = colon == std::string::npos ? "" : marker.substr(colon + 1);
  for (const auto& [id, display] : tools) {
    if (tool == id) {
      tool = std::string(display);
    }
  }
  return {tool, name};
}

std::optional<Verdict> managed(const VerdictInput& in) {
  const std::string source = source_phrase(in.source_kind);
  if (!in.package.empty() && !in.package_modified) {
    return Verdict{"managed",
                   "package:" + std::string(in.package),
                   {fmt::format("{} owned by package {}", source, in.package)}};
  }
  if (in.entry_marker) {
    const auto [tool, name] = split_marker(*in.entry_marker);
    return Verdict{"managed",
                   *in.entry_marker,
                   {fmt::format("{} marker above the job names it \"{}\"", tool, name)}};
  }
  if (in.file_marker) {
    const auto [tool, name] = split_marker(*in.file_marker);
    return Verdict{"managed",
                   *in.file_marker,
                   {fmt::format("the {}'s header says {} manages it", source, tool)}};
  }
  if (in.registry_match) {
    const RegistryEntry& e = *in.registry_match;
    return Verdict{"managed",
                   "registry:" + e.managed_by,
                   {fmt::format("in the registry (line {}), owned by {}", e.line, e.managed_by)}};
  }
  if (in.disabled && in.migrated_marker) {
    const std::string& marker = *in.migrated_marker; // digger:TARGET:NAME
    const std::size_t first = marker.find(':');
    const std::size_t second = marker.find(':', first == std::string::npos ? 0 : first + 1);
    const std::string target = marker.substr(first + 1, second - first - 1);
    const std::string name = second == std::string::npos ? "" : marker.substr(second + 1);
    return Verdict{"migrated",
                   marker,
                   {fmt::format("disabled here and migrated to {} as \"{}\"", target, name)}};
  }
  return std::nullopt;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Home and temporary directories hold code nobody deploys on purpose.
std::optional<std::string> location_reason(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> places = {{
      {"/home/", "script under /home"},
      {"/root/", "script under /root"},
      {"/tmp/", "script in a temporary directory (/tmp)"},
      {"/var/tmp/", "script in a temporary directory (/var/tmp)"},
      {"/dev/shm/", "script in a temporary directory (/dev/shm)"},
  }};
  for (const auto& [prefix, reason] : places) {
    if (starts_with(path, prefix)) {
      return std::string(reason);
    }
  }
  return std::nullopt;
}

std::vector<std::string> hidden_reasons(const VerdictInput& in) {
  std::vector<std::string> reasons;
  const bool user = in.source_kind == "user";
  if (in.disabled) {
    reasons.emplace_back("the line is commented out (cron does not run it)");
  }
  if (user) {
    reasons.push_back(in.owner.empty() ? std::string("per-user crontab")
                                       : fmt::format("per-user crontab of {}", in.owner));
  }
  // An at job is a one-off a user queued by hand: no package, no MAILTO (atd mails its owner).
  const bool at = in.source_kind == "at";
  if (at) {
    reasons.push_back(in.owner.empty() ? std::string("one-off at job")
                                       : fmt::format("one-off at job queued by {}", in.owner));
  }
  auto location = location_reason(in.target);
  if (!location && in.program) {
    location = location_reason(in.program->resolved_path);
  }
  if (location) {
    reasons.push_back(*location);
  }
  // systemd sends a unit's output to the journal, supervisord to its own log files: no mail.
  if (in.source_kind != "timer" && in.source_kind != "worker-unit" &&
      in.source_kind != "supervisor" && !at) {
    if (!in.mailto) {
      reasons.emplace_back("no MAILTO (output is mailed to the owner)");
    } else if (in.mailto->empty()) {
      reasons.emplace_back("MAILTO is empty (output is discarded)");
    }
  }
  if (!in.package.empty()) {
    reasons.push_back(fmt::format("{} of package {} edited on the host",
                                  source_phrase(in.source_kind), in.package));
  } else if (!user && !at) { // a per-user crontab or an at job never belongs to a package
    reasons.push_back(source_phrase(in.source_kind) + " not owned by any package");
  }
  reasons.emplace_back("no configuration-management marker");
  if (in.registry_given) {
    reasons.emplace_back("not in the registry");
  }
  if (in.program && !in.program->exists && in.program->error.empty()) {
    reasons.emplace_back("target missing");
  }
  return reasons;
}

bool is_root(std::string_view run_as) {
  return run_as.empty() || run_as == "root";
}

// Owned by someone who is neither root nor the run-as user (the owner can always chmod).
bool foreign_owner(std::int64_t uid, std::string_view owner_name, std::int64_t run_as_uid,
                   std::string_view run_as) {
  if (uid <= 0) {
    return false; // root, or not known
  }
  if (!owner_name.empty()) {
    return !(owner_name == run_as || (is_root(run_as) && owner_name == "root"));
  }
  return run_as_uid >= 0 && uid != run_as_uid;
}

bool writable_by_others(std::uint32_t mode, std::int64_t gid, bool directory) {
  if (directory && (mode & 01000) != 0) {
    return false; // sticky (/tmp): others cannot replace a file they do not own
  }
  return (mode & 0002) != 0 || ((mode & 0020) != 0 && gid > 0);
}

} // namespace

Verdict decide_verdict(const VerdictInput& input) {
  if (auto verdict = managed(input)) {
    return *verdict;
  }
  return Verdict{"hidden", "", hidden_reasons(input)};
}

std::vector<std::string> program_flags(const command::ProgramFacts& program,
                                       std::string_view run_as) {
  std::vector<std::string> flags;
  if (!program.exists) {
    if (program.error.empty()) { // inspected, and not there
      flags.emplace_back("target-missing");
    }
    return flags;
  }
  // The run-as uid is known for root, or when the file's owner is the run-as user.
  const std::int64_t run_as_uid = is_root(run_as)                                 ? 0
                                  : (program.owner == run_as && program.uid >= 0) ? program.uid
                                                                                  : -1;
  const bool file = writable_by_others(program.mode, program.gid, false) ||
                    foreign_owner(program.uid, program.owner, run_as_uid, run_as);
  const bool directory = writable_by_others(program.dir_mode, program.dir_gid, true) ||
                         foreign_owner(program.dir_uid, "", run_as_uid, run_as);
  if (file || directory) {
    flags.emplace_back("target-writable");
  }
  return flags;
}

} // namespace digger::judge
