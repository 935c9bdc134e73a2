#pragma once

// The workers (long-running programs under a process manager) a scan recorded.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace digger::catalog {

class Catalog;

// One entry of kind "worker" with its worker_facts.
struct ScanWorkerRow {
  std::int64_t host_id = 0; // ScanHostRow::host_id
  std::string manager;      // "supervisor" or "systemd"
  std::string name;
  std::string owner; // run_as, else the source file's owner
  std::string command;
  std::string language; // "" when unclassified
  std::string evidence;
  std::int64_t instances = 1;
  std::string restart;
  bool autostart = true;
  std::string rejected;
  std::string path; // the source file
  int line_number = 0;
  std::string verdict;
  std::string fingerprint;
  std::vector<std::string> flags;
  // supervisord's log (schema v9, docs/workers.md): nullopt = no log read.
  std::optional<std::int64_t> unexpected_exits;
  std::int64_t gave_up = 0;
  std::string last_exit, gave_up_at;
};

// In no particular order; none for a catalog written before workers existed (schema < 6).
std::vector<ScanWorkerRow> scan_workers(Catalog& catalog, std::int64_t scan_id);

} // namespace digger::catalog
