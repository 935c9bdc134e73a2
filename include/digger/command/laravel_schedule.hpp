#pragma once

// The tasks of a Laravel application's scheduler, read statically (never executed) from
// app/Console/Kernel.php (`$schedule->command(...)` in `schedule(Schedule $schedule)`) and
// routes/console.php (Laravel 11: `Schedule::command(...)`) or bootstrap/app.php (Laravel 11:
// `->withSchedule(function (Schedule $schedule) {...})`): each task's chained frequency
// methods are turned into the cron expression Laravel itself computes
// (Illuminate\Console\Scheduling\ManagesFrequencies). What cannot be known without running the
// application (a command held in a variable, a frequency from config, `->when(...)`) is listed
// as such, never guessed. docs/architecture.md, "Application schedulers".

#include "digger/command/command.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace digger::command {

struct LaravelTask {
  int line = 0;      // 1-based line of the `->command(` / `Schedule::command(` call
  std::string kind;  // "command", "exec", "job", "call"
  std::string what;  // the artisan command line, shell command, job class, or "closure"
  std::string chain; // the call chain as read, literals only ("...": not a literal)
  std::string expression = "* * * * *"; // Laravel's cron expression; "" when not static
  int repeat_seconds = 0;               // everyThirtySeconds(): every N seconds in the minute
  std::string timezone;                 // ->timezone('Europe/Paris'); "" = the app's zone
  std::string user;                     // ->user('deploy'): runs as that account
  std::string description;              // ->name() / ->description()
  std::vector<std::string> conditions;  // between(), environments(), when(): not in cron
  std::vector<std::string> options;     // withoutOverlapping, onOneServer, ...
  std::vector<std::string> unresolved;  // why part of the task is not known statically

  friend bool operator==(const LaravelTask&, const LaravelTask&) = default;
};

struct LaravelSchedule {
  std::vector<LaravelTask> tasks;
  std::vector<std::string> notes; // file-level: task bound hit, unterminated construct

  friend bool operator==(const LaravelSchedule&, const LaravelSchedule&) = default;
};

inline constexpr std::size_t max_laravel_tasks = 500;

// Pure and bounded: any bytes in (the caller bounds the size), linear in the input, no
// exception on bad input.
LaravelSchedule read_laravel_schedule(std::string_view php_source);

// Laravel's scheduler run by this command (`artisan schedule:run` or `schedule:work`): the
// application's directory (where `artisan` is), or "" (not Laravel's scheduler, or `artisan`
// not named by an absolute path once `cd DIR` is applied).
std::string laravel_app_directory(const CommandAnalysis& analysis);

// Another in-application scheduler the command runs, whose tasks Digger does not expand
// (`celery beat`, `celery worker -B`, `manage.py runcrons`, `wp cron event run`, `drush cron`,
// `bin/magento cron:run`, ...): its name, or "" when the command runs none.
std::string app_scheduler(const CommandAnalysis& analysis);

} // namespace digger::command
