// The realistic crontabs under tests/data/crontabs/{system,user}: each FILE has a FILE.expect
// written by hand: "loads cronie=yes|no vixie=yes|no", then "LINE KIND [ERROR]" for every line
// that is not a comment or blank.

#include "digger/crontab/crontab.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace digger::crontab;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Expected {
  bool cronie = true;
  bool vixie = true;
  std::map<int, std::pair<std::string, std::string>> lines; // number -> kind, error
};

Expected read_expectations(const fs::path& path) {
  Expected expected;
  std::istringstream in(slurp(path));
  std::string row;
  while (std::getline(in, row)) {
    if (row.starts_with("loads ")) {
      expected.cronie = row.find("cronie=yes") != std::string::npos;
      expected.vixie = row.find("vixie=yes") != std::string::npos;
      continue;
    }
    std::istringstream fields(row);
    int number = 0;
    std::string kind;
    fields >> number >> kind;
    std::string error;
    std::getline(fields >> std::ws, error);
    expected.lines[number] = {kind, error};
  }
  return expected;
}

void check_corpus(const std::string& folder, CrontabFlavor flavor) {
  const fs::path dir = fs::path(DIGGER_TEST_DATA) / "crontabs" / folder;
  int files = 0;
  for (const auto& item : fs::directory_iterator(dir)) {
    if (item.path().extension() == ".expect") {
      continue;
    }
    ++files;
    const Expected expected = read_expectations(item.path().string() + ".expect");
    ParseOptions options;
    options.flavor = flavor;
    const ParsedCrontab parsed = parse_crontab(slurp(item.path()), options);
    INFO("file " << item.path().filename().string());
    CHECK(parsed.loads_under_cronie == expected.cronie);
    CHECK(parsed.loads_under_vixie == expected.vixie);
    for (const Line& line : parsed.lines) {
      INFO("line " << line.number << ": " << line.raw);
      auto found = expected.lines.find(line.number);
      if (found == expected.lines.end()) {
        CHECK((line.kind == LineKind::comment || line.kind == LineKind::blank));
        continue;
      }
      CHECK(line_kind_name(line.kind) == found->second.first);
      CHECK(line.error == found->second.second);
    }
    CHECK(static_cast<int>(parsed.lines.size()) >=
          (expected.lines.empty() ? 0 : expected.lines.rbegin()->first));
  }
  CHECK(files >= 3);
}

const Line& line_at(const ParsedCrontab& parsed, int number) {
  REQUIRE(static_cast<int>(parsed.lines.size()) >= number);
  return parsed.lines[static_cast<size_t>(number - 1)];
}

ParsedCrontab parse_data_file(const std::string& relative, CrontabFlavor flavor) {
  ParseOptions options;
  options.flavor = flavor;
  return parse_crontab(slurp(fs::path(DIGGER_TEST_DATA) / "crontabs" / relative), options);
}

} // namespace

TEST_CASE("system crontab corpus lines have the expected kinds", "[cron][crontab][corpus]") {
  check_corpus("system", CrontabFlavor::system);
}

TEST_CASE("user crontab corpus lines have the expected kinds", "[cron][crontab][corpus]") {
  check_corpus("user", CrontabFlavor::user);
}

TEST_CASE("corpus: Debian's /etc/crontab jobs carry the user column and SHELL",
          "[cron][crontab][corpus]") {
  auto parsed = parse_data_file("system/debian-etc-crontab", CrontabFlavor::system);
  const Job& hourly = *line_at(parsed, 19).job;
  CHECK(hourly.user == "root");
  CHECK(hourly.schedule_text == "17 *\t* * *");
  CHECK(hourly.command == "cd / && run-parts --report /etc/cron.hourly");
  CHECK(hourly.environment.get("SHELL") == "/bin/sh");
  CHECK(line_at(parsed, 18).kind == LineKind::comment); // the shipped field legend
}

TEST_CASE("corpus: application crontab details", "[cron][crontab][corpus]") {
  auto parsed = parse_data_file("user/app-deploy", CrontabFlavor::user);
  CHECK(line_at(parsed, 7).env == EnvSetting{"APP_ENV", "production"});
  const Job& billing = *line_at(parsed, 9).job;
  CHECK(billing.command.find("--date=$(date +%F)") != std::string::npos);
  CHECK_FALSE(billing.stdin_data);
  CHECK(billing.cron_tz.empty());
  CHECK(line_at(parsed, 13).job->cron_tz == "America/New_York");
  CHECK(line_at(parsed, 11).job->cron_tz.empty()); // CRON_TZ applies only below its line
  const Job& mail = *line_at(parsed, 15).job;
  CHECK(mail.command == "mail -s \"weekly report\" team@example.com");
  CHECK(mail.stdin_data == "Hello team,\nthe report is attached.\n");
  const Job& tar = *line_at(parsed, 18).job;
  CHECK(tar.command == "tar czf /backup/app-$(date +");
  CHECK(tar.stdin_data == "Y\nm\nd).tgz /srv/app/data\n");
  CHECK(line_at(parsed, 17).job->schedule.is_reboot());
  CHECK(line_at(parsed, 16).job->command == "/srv/app/bin/old-cleanup.sh");
}

TEST_CASE("corpus: CRLF file", "[cron][crontab][corpus]") {
  auto parsed = parse_data_file("user/windows-crlf", CrontabFlavor::user);
  CHECK(line_at(parsed, 1).env->value == "ops@example.com");
  CHECK(line_at(parsed, 2).kind == LineKind::comment);
  CHECK(line_at(parsed, 4).job->command == "/usr/local/bin/backup.sh\r");
  CHECK(line_at(parsed, 4).job->environment.get("MAILTO") == "ops@example.com");
}

TEST_CASE("corpus: broken file", "[cron][crontab][corpus]") {
  auto parsed = parse_data_file("user/broken", CrontabFlavor::user);
  CHECK_FALSE(line_at(parsed, 15).cronie_ignores);
  CHECK(line_at(parsed, 16).cronie_ignores);             // no final newline
  CHECK(line_at(parsed, 5).vixie_error.empty());         // 5#3 is 5 for Debian's cron
  CHECK(line_at(parsed, 2).vixie_error == "bad minute"); // MAILTO=
}
