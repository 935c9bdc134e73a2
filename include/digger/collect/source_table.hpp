#pragma once

// The table of job sources: one SourceSpec per kind of file the collector lists (crontab
// spool, /etc/crontab, cron.d, anacrontab, run-parts directories, systemd units). Everything
// the pipeline knows about a source is in its row; adding a source is one reader and one row
// (docs/architecture.md, "How to add a source").

#include "digger/catalog/records.hpp"
#include "digger/collect/job.hpp"
#include "digger/collect/snapshot.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace digger::collect {

struct HostContext;
class Expansions;

// What a reader may look at besides its own file: the other files of the host (a timer finds
// its service), the host's facts, and for child sources the schedules of the jobs that expand.
struct ReadContext {
  const std::vector<CronSource>& sources;
  const HostContext& host;
  const Expansions& expansions;
};

// Turns one collected file into its source row (file facts, load verdict) and its jobs, raw:
// enrich() and judge() do the rest (job.hpp).
using SourceReader = SourceRead (*)(const CronSource& source, const ReadContext& context);

// Which clock a source's schedules are written for (what `next` and the exports read).
// `once`: a single run at a fixed UTC time (an at job); `none`: its entries are long-running
// workers, not scheduled.
enum class ScheduleClock { cron, anacron, systemd, inherited, once, none };

// The crontab grammar a source's lines follow (none: not a crontab).
enum class CrontabFlavour { none, user, system };

// Which daemon rules decide whether the file is read at all (load_rules.hpp).
enum class LoadRule { crontab, run_parts, none };

// How the jobs of a source relate to the others. `parent`: a job of it running `run-parts DIR`
// expands into child jobs, the files of DIR; `child`: each file of the source is such a child
// job, scheduled by the parent job that runs its directory (read after every other source).
// `inspected`: the files are not collected but read by the inspection, named by parent jobs
// (`artisan schedule:run` names its application's Kernel.php); they are read once the
// inspection is back (expand_inspected, pipeline.hpp), never from the collector's output.
enum class Expansion { none, parent, child, inspected };

struct SourceSpec {
  SourceKind kind = SourceKind::user_crontab;
  std::string_view wire;                           // the collector's word (FILE/LINK records)
  std::span<const std::string_view> catalog_kinds; // its rows' kinds in the catalog; [0] default
  std::span<const std::string_view> paths;         // what the collector lists (files or dirs)
  SourceReader read = nullptr;
  ScheduleClock clock = ScheduleClock::cron;
  CrontabFlavour flavour = CrontabFlavour::none;
  LoadRule load = LoadRule::none;
  Expansion expansion = Expansion::none;
  bool line_based = false; // counted against the host's line cap (line_cap.hpp)
  std::string_view description;
  // Which of catalog_kinds a file takes, by its path (null: always the first).
  std::string_view (*kind_for_path)(std::string_view path) = nullptr;
  // The shell variable of src/collect/remote/collector.sh that receives `paths` (remote_paths.hpp);
  // empty for a source the collector script does not list (a test's fake source).
  std::string_view script_variable;
};

// Every source, built-in rows first. Read-only once scanning starts.
std::span<const SourceSpec> source_table();

// The row of a kind; throws std::out_of_range for a kind no row has (a bug).
const SourceSpec& source_spec(SourceKind kind);
// The row of a wire word, or nullptr (an unknown word from a host).
const SourceSpec* source_spec_for_wire(std::string_view wire);

// The catalog kind of a file of this source ("timer" or "service" for a systemd unit).
std::string_view catalog_kind(SourceKind kind, std::string_view path);

// Every catalog kind of every row, in table order, with its grammar and clock: what the scan
// registers in the catalog's source_kinds table (Catalog::register_source_kinds).
std::vector<catalog::SourceKindRow> catalog_kind_rows();

// Adds a row for tests (a fake source keeps the recipe honest). Not thread-safe: call it before
// any scan, e.g. from a static initialiser of the test's own file. Throws std::invalid_argument
// when the kind or wire word is already taken.
void register_source(const SourceSpec& spec);

} // namespace digger::collect
