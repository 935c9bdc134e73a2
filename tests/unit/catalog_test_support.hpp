#pragma once

// Helpers shared by the catalog_*_test.cpp files.

#include "digger/catalog/records.hpp"
#include "digger/util/temp_dir.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <unistd.h>

namespace digger::catalog::test {

using TempDir = util::TempDir;

inline std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline ScanInfo scan_info(const std::string& inventory = "fleet.toml") {
  ScanInfo info;
  info.inventory_path = inventory;
  info.options_json = R"({"concurrency":64})";
  info.hosts_planned = 3;
  info.digger_version = "0.1.0";
  return info;
}

inline EntryRow job_entry(int line, const std::string& command, const std::string& language,
                          const std::string& fingerprint = "") {
  EntryRow entry;
  entry.line_number = line;
  entry.kind = "job";
  entry.schedule_text = "*/5 * * * *";
  entry.normalized_schedule = "0,5,10,15,20,25,30,35,40,45,50,55 * * * *";
  entry.raw = entry.schedule_text + " " + command;
  entry.command = command;
  entry.language = language;
  entry.fingerprint = fingerprint.empty() ? "fp-" + command : fingerprint;
  return entry;
}

// A reachable host with one user crontab owned by `owner` holding `jobs` jobs and a comment.
inline HostRecord sample_host(const std::string& name, int jobs = 2,
                              const std::string& owner = "alice") {
  HostRecord host;
  host.name = name;
  host.port = 22;
  host.address = "127.0.0.1";
  host.login_user = "digger";
  host.labels = {{"env", "prod"}, {"role", "web"}};
  host.timings = {10, 20, 30, 40, 100};
  host.facts = {name + ".example", "debian", "12", "Europe/Paris", "cron"};
  host.host_key_type = "ssh-ed25519";
  host.host_key_fingerprint = "SHA256:abc";
  SourceRow source;
  source.path = "/var/spool/cron/crontabs/" + owner;
  source.kind = "user";
  source.owner = owner;
  source.mode = 0600;
  source.mtime = 1700000000;
  source.size = 120;
  source.sha256 = std::string(64, 'a');
  EntryRow comment;
  comment.line_number = 1;
  comment.kind = "comment";
  comment.raw = "# backups";
  source.entries.push_back(comment);
  for (int i = 0; i < jobs; ++i) {
    source.entries.push_back(
        job_entry(i + 2, fmt::format("/usr/bin/python3 /opt/job{}.py", i), "python"));
  }
  host.sources.push_back(source);
  return host;
}

} // namespace digger::catalog::test
