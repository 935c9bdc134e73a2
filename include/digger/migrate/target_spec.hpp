#pragma once

// One export target = one TargetSpec: its name and aliases, naming rules, schedule dialect,
// what it loses, its builder, its file layout and how its definitions are switched on at
// cut-over. The table in target.cpp lists them; nothing else names a target. Adding a target:
// docs/migration.md#how-to-add-an-export-target.

#include "digger/crontab/crontab.hpp"
#include "digger/migrate/names.hpp"
#include "digger/migrate/target.hpp"

#include <chrono>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace digger::cron {
struct Job;
}

namespace digger::migrate {

struct JobFacts;
struct Conversion;
struct Definition;
struct ExportPlan;
struct ExportFiles;

// What a builder gets: the job (schedule already found expressible), its facts, the names
// taken so far on this export.
struct BuildInput {
  const crontab::Job& job;
  const JobFacts& facts;
  Target target;
  std::set<std::string>& used_names;
};

// How the target treats cron's RANDOM_DELAY (minutes).
enum class RandomDelay { native, capped_at_1440, impossible };
// What the target does in the repeated hour when clocks go back.
enum class RepeatedHour { once, twice, not_applicable };

struct TargetSpec {
  std::string_view name = {};                     // the --target word, the marker's word
  std::span<const std::string_view> aliases = {}; // other --target words
  std::string_view summary = {};                  // help text: "EventBridge Scheduler"
  NameRules names = {};

  // Schedule dialect.
  bool boot_trigger = false;            // has an @reboot equivalent
  bool ands_day_fields = false;         // can restrict day of month AND weekday (cron's '*' rule)
  bool takes_timer_triggers = false;    // systemd: a timer's own trigger lines are kept verbatim
  bool catches_up = false;              // runs a run missed while down (anacron's promise)
  bool takes_one_off = false;           // has a run-once schedule (an at job): at(), a date
  std::string_view day_and_detail = {}; // why not, when !ands_day_fields

  // The losses every builder shares, as data (losses.cpp reads them).
  bool native_stdin = false;
  std::string_view mail_route = {}; // how to get cron's mail back
  LossLevel mail_level = LossLevel::workaround;
  RandomDelay random_delay = RandomDelay::impossible;
  std::string_view default_zone = {}; // who reads a zone-less schedule; "" = the host's own zone
  RepeatedHour repeated_hour = RepeatedHour::once;
  std::string_view repeated_hour_note = {}; // appended to the DST item ("" = none)

  // Fills out.schedules, out.definitions and the target's own lost items; returns why the
  // job cannot be written after all (then `out` is discarded).
  std::optional<Lost> (*build)(const BuildInput& in, Conversion& out) = nullptr;
  // Where each definition of the plan lands (out.locations parallel to plan.jobs).
  void (*layout)(const ExportPlan& plan, ExportFiles& out) = nullptr;
  // The commands that switch a converted job's definitions on at cut-over (they are written
  // disabled, so deploying them early never runs a job twice).
  std::vector<std::string> (*enable)(const Conversion& conversion) = nullptr;
  std::string_view disabled_as = {}; // how definitions are written disabled, for the report
  // Where the definitions read the values the scan removed (secret_store.hpp), for the
  // secret and needs-secret items.
  std::string_view secret_store = {};
  // Fleet-level remarks (quotas); may be null.
  void (*notes)(const ExportPlan& plan, std::vector<std::string>& out) = nullptr;
};

// Test-only: appends a row to the table (the fake target of tests/unit/migrate_fake_target
// _test.cpp). Real targets are rows of target.cpp. The spec must outlive every use.
void register_target_for_tests(const TargetSpec& spec);

} // namespace digger::migrate
