// Schedulers that live inside an application (laravel_schedule.hpp): Laravel's, which Digger
// expands from the application's source, and the others, which it only names. `whenever`
// (Ruby) is not one: it writes plain crontab lines, which are read as such.
#include "digger/command/laravel_schedule.hpp"

#include <algorithm>

namespace digger::command {
namespace {

std::string_view first_word(std::string_view text) {
  return text.substr(0, text.find(' '));
}

std::string_view base(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool has(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

} // namespace

std::string laravel_app_directory(const CommandAnalysis& a) {
  const std::string subcommand = a.subcommand.value_or(""); // task views into it: keep it
  const auto task = first_word(subcommand);
  if (a.framework != "laravel" || (task != "schedule:run" && task != "schedule:work")) {
    return "";
  }
  const std::string& t = a.target;
  if (t.size() < 9 || t.front() != '/' || base(t) != "artisan" ||
      t.find("/../") != std::string::npos || t.find("/./") != std::string::npos) {
    return "";
  }
  auto dir = t.substr(0, t.size() - 8); // without "/artisan"
  return dir.empty() ? "/" : dir;
}

std::string app_scheduler(const CommandAnalysis& a) {
  const auto program = base(a.program);
  const auto task = a.subcommand.value_or("");
  if (program == "celery" || (a.module && *a.module == "celery")) {
    if (has(a.arguments, "beat")) {
      return "celery beat";
    }
    if (has(a.arguments, "-B") || has(a.arguments, "--beat")) {
      return "celery worker -B (embedded beat)";
    }
    return "";
  }
  if (a.framework == "django" && first_word(task) == "runcrons") {
    return "django-cron (manage.py runcrons)";
  }
  if (a.framework == "wordpress" &&
      (task.starts_with("cron event run") || base(a.target) == "wp-cron.php")) {
    return "WordPress wp-cron";
  }
  if (a.url && a.url->find("wp-cron.php") != std::string::npos) {
    return "WordPress wp-cron";
  }
  if (a.framework == "drupal" && (first_word(task) == "cron" || first_word(task) == "core:cron")) {
    return "Drupal cron (drush cron)";
  }
  if (a.framework == "magento" && first_word(task) == "cron:run") {
    return "Magento cron:run";
  }
  if (a.framework == "symfony" &&
      (first_word(task) == "cron:run" ||
       (first_word(task) == "messenger:consume" && task.find("scheduler_") != std::string::npos))) {
    return "Symfony scheduler";
  }
  if (a.framework == "laravel" && laravel_app_directory(a).empty() &&
      (first_word(task) == "schedule:run" || first_word(task) == "schedule:work")) {
    return "Laravel scheduler (application directory not known)";
  }
  return "";
}

} // namespace digger::command
