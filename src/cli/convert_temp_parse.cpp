// TEMPORARY stand-in for cron::parse_crontab until the crontab branch is merged; deleted
// before the migrate branch is handed over. Handles only what `convert` needs.
#include "digger/cron/crontab.hpp"

#include <sstream>

namespace digger::cron {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.pop_back();
  }
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
    ++i;
  }
  return s.substr(i);
}

std::string next_token(std::string& rest) {
  rest = trim(rest);
  size_t end = rest.find_first_of(" \t");
  std::string token = rest.substr(0, end);
  rest = end == std::string::npos ? "" : rest.substr(end);
  return token;
}

} // namespace

ParsedCrontab parse_crontab(std::string_view text, const ParseOptions& options) {
  ParsedCrontab out;
  std::istringstream in{std::string(text)};
  std::string raw;
  std::vector<EnvSetting> env;
  std::string cron_tz;
  int number = 0;
  while (std::getline(in, raw)) {
    Line line;
    line.number = ++number;
    line.raw = raw;
    std::string t = trim(raw);
    if (t.empty() || t[0] == '#') {
      line.kind = t.empty() ? LineKind::blank : LineKind::comment;
    } else if (auto eq = t.find('='); eq != std::string::npos && t[0] != '@' &&
                                      t.substr(0, eq).find_first_of(" \t*") == std::string::npos) {
      std::string value = trim(t.substr(eq + 1));
      if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'') && value.back() == value[0]) {
        value = value.substr(1, value.size() - 2);
      }
      line.kind = LineKind::env;
      line.env = EnvSetting{t.substr(0, eq), value};
      if (line.env->name == "CRON_TZ") {
        cron_tz = value;
      }
      env.push_back(*line.env);
    } else {
      std::string rest = t;
      std::string sched;
      int fields = t[0] == '@' ? 1 : 5;
      for (int i = 0; i < fields; ++i) {
        sched += (i ? " " : "") + next_token(rest);
      }
      auto parsed = parse_schedule(sched);
      Job job;
      if (!parsed) {
        line.kind = LineKind::invalid;
        line.error = parsed.error();
        out.lines.push_back(line);
        continue;
      }
      job.schedule = parsed.value();
      job.schedule_text = sched;
      if (options.flavor == CrontabFlavor::system) {
        job.user = next_token(rest);
      }
      std::string cmd = trim(rest);
      std::string command;
      size_t i = 0;
      for (; i < cmd.size(); ++i) {
        if (cmd[i] == '\\' && i + 1 < cmd.size() && cmd[i + 1] == '%') {
          command += '%';
          ++i;
        } else if (cmd[i] == '%') {
          break;
        } else {
          command += cmd[i];
        }
      }
      job.command = command;
      if (i < cmd.size()) {
        std::string data;
        for (++i; i < cmd.size(); ++i) {
          data += cmd[i] == '%' ? '\n' : cmd[i];
        }
        job.stdin_data = data + "\n";
      }
      job.cron_tz = cron_tz;
      job.environment = env;
      line.kind = LineKind::job;
      line.job = job;
    }
    out.lines.push_back(line);
  }
  return out;
}

} // namespace digger::cron
