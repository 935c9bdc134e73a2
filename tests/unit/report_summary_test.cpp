// The one-screen summary, widths, ndjson, readable schedules and diff --filter (issue 17).

#include "digger/report/diff.hpp"
#include "digger/report/diff_filter.hpp"
#include "digger/report/diff_render.hpp"
#include "digger/report/load.hpp"
#include "digger/report/render.hpp"
#include "digger/report/schedule_text.hpp"
#include "digger/report/text.hpp"
#include "digger/report/view.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "catalog_test_support.hpp"
#include "report_fixture.hpp"
#include "source_kind_fixture.hpp"

using namespace digger;
using namespace digger::report;

namespace {

struct Fixture {
  catalog::test::TempDir dir;
  std::string path;
  Snapshot latest;
  Fixture() : path(dir.file("digger.db")) {
    test::write_fixture_catalog(path);
    auto catalog = open_catalog(path);
    latest = load_snapshot(catalog, resolve_scan(catalog, "latest"));
  }
  ReportView view(const std::string& filter = "") const {
    return build_view(latest, *parse_filter(filter), filter, *parse_group_by("language"));
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

JobRow job(std::string kind, std::string raw, std::string normalized, std::string file = "") {
  JobRow row;
  digger::report::test::set_source_kind(row, kind);
  row.schedule.raw = std::move(raw);
  row.schedule.normalized = std::move(normalized);
  row.file = std::move(file);
  return row;
}

} // namespace

TEST_CASE("the summary fits a screen and says where the full list is", "[report][summary]") {
  Fixture f;
  const auto view = f.view();
  const std::string summary = render_table(view, {false, 80, false});
  const auto lines = lines_of(summary);
  CHECK(lines.size() <= 60);
  for (const auto& line : lines) {
    CHECK(text_width(line) <= 80);
  }
  CHECK(summary.find("Hidden batches per language") != std::string::npos);
  CHECK(summary.find("Hidden batches per owner") != std::string::npos);
  CHECK(summary.find("Hosts with the most hidden batches") != std::string::npos);
  CHECK(summary.find("no answer within 5 s") != std::string::npos); // the failed host's reason
  CHECK(summary.find("report --full") != std::string::npos);
  // The job list is not in the summary; it is in the full listing.
  CHECK(summary.find("vacuumdb") == std::string::npos);
  const std::string full = render_table(view, {false, 80, true});
  CHECK(full.find("vacuumdb --all --analyze") != std::string::npos);
  CHECK(lines_of(full).size() > lines.size());
}

TEST_CASE("hints are wrapped, never cut; width 0 cuts nothing", "[report][summary]") {
  Fixture f;
  const auto view = f.view();
  for (std::size_t width : {40u, 60u, 80u}) {
    const std::string table = render_table(view, {false, width, false});
    std::string joined;
    for (const auto& line : lines_of(table)) {
      CHECK(text_width(line) <= width);
      joined += line + " ";
    }
    CHECK(table.find("--al\xE2\x80\xA6") == std::string::npos);
    std::string words; // blanks squeezed: wrapping only moves words to the next line
    for (char c : joined) {
      if (c != ' ' || (!words.empty() && words.back() != ' ')) {
        words += c;
      }
    }
    CHECK(words.find("not shown; --all shows them") != std::string::npos);
  }
  for (bool full : {false, true}) {
    const std::string uncut = render_table(view, {false, 0, full});
    CHECK(uncut.find("\xE2\x80\xA6") == std::string::npos); // no ellipsis anywhere
  }
  CHECK(render_table(view, {false, 0, true}).find("<script>") != std::string::npos);
}

TEST_CASE("ndjson: one job object per line, as in the JSON report", "[report][ndjson]") {
  Fixture f;
  const auto view = f.view();
  std::ostringstream ndjson;
  write_ndjson(view, ndjson);
  const auto report = nlohmann::json::parse(render_json(view));
  const auto lines = lines_of(ndjson.str());
  const auto jobs = report["jobs"].size();
  // The jobs, then the workers (each "type": "worker").
  REQUIRE(lines.size() == jobs + report["workers"].size());
  REQUIRE(!lines.empty());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(nlohmann::json::parse(lines[i]) ==
          (i < jobs ? report["jobs"][i] : report["workers"][i - jobs]));
  }
}

TEST_CASE("schedule_text spells out anacron, run-parts and timers", "[report][schedule]") {
  CHECK(schedule_text(job("user", "*/5 * * * *", "*/5 * * * *")) == "*/5 * * * *");
  CHECK(schedule_text(
            job("anacrontab", "@monthly 45 cron.monthly", "anacron period=monthly delay=45m")) ==
        "anacron: every month, delay 45 min");
  CHECK(schedule_text(job("anacrontab", "30 45 backup", "anacron period=30d delay=45m")) ==
        "anacron: every 30 days, delay 45 min");
  CHECK(schedule_text(job("anacrontab", "7 0 cron.weekly", "anacron period=7d delay=0m")) ==
        "anacron: every week");
  CHECK(schedule_text(job("run-parts", "1 5 cron.daily", "anacron period=1d delay=5m",
                          "/etc/cron.daily/logrotate")) ==
        "run-parts cron.daily (anacron: every day, delay 5 min)");
  CHECK(schedule_text(job("run-parts", "25 6 * * *", "25 6 * * *", "/etc/cron.daily/man-db")) ==
        "run-parts cron.daily (06:25)");
  CHECK(schedule_text(job("run-parts", "47 6 * * 7", "47 6 * * 0", "/etc/cron.weekly/x")) ==
        "run-parts cron.weekly (47 6 * * 7)");
  JobRow timer = job("timer", "*-*-* 02:00:00", "*-*-* 02:00:00");
  timer.schedule.trigger = timer_trigger_name("OnCalendar");
  CHECK(schedule_text(timer) == "timer: OnCalendar=*-*-* 02:00:00");
}

TEST_CASE("diff --filter keeps the changes of the jobs the filter matches", "[report][diff]") {
  Fixture f;
  auto catalog = open_catalog(f.path);
  const auto [from, to] = resolve_diff_scans(catalog, "", "latest");
  const auto before = load_snapshot(catalog, from);
  const auto after = load_snapshot(catalog, to);
  const auto filtered = [&](const std::string& expression) {
    Diff diff = diff_snapshots(before, after);
    filter_diff(diff, *parse_filter(expression), before, after);
    return diff;
  };
  CHECK(diff_snapshots(before, after).anything_changed());

  const Diff none = filtered("owner=nobody");
  CHECK_FALSE(none.anything_changed()); // new-01 and old-01 have no job of nobody
  CHECK(none.counts.hosts_new == 0);
  CHECK(none.moves.empty());

  const Diff alice = filtered("owner=alice");
  CHECK(alice.counts.schedule_changed == 1);
  CHECK(alice.counts.command_changed == 0);
  CHECK(alice.counts.added == 0);
  CHECK(alice.counts.moved == 0);
  CHECK(alice.anything_changed());

  // The older scan has no verdicts: the verdict of the job after the change decides.
  const Diff hidden = filtered("verdict=hidden");
  CHECK(hidden.counts.added == 1);            // weekly.py on db-01
  CHECK(hidden.counts.schedule_changed == 1); // alice's backup
  CHECK(hidden.counts.moved == 1);
  CHECK(hidden.counts.hosts_new == 1); // new-01 keeps its moved job's host line
  const Diff managed = filtered("verdict=managed");
  CHECK(managed.counts.added + managed.counts.schedule_changed + managed.counts.moved == 0);

  // Host terms choose hosts: web-01 alone.
  const Diff web01 = filtered("host=web-01");
  REQUIRE(web01.hosts.size() == 1);
  CHECK(web01.hosts[0].name == "web-01");
}

TEST_CASE("the diff CSV carries the verdict; the table cuts nothing at width 0", "[report][diff]") {
  Fixture f;
  auto catalog = open_catalog(f.path);
  const auto [from, to] = resolve_diff_scans(catalog, "", "latest");
  const Diff diff = diff_snapshots(load_snapshot(catalog, from), load_snapshot(catalog, to));
  const std::string csv = render_diff_csv(diff);
  CHECK(csv.substr(0, csv.find('\r')).ends_with(",detail,verdict"));
  CHECK(csv.find(",hidden\r\n") != std::string::npos);
  CHECK(render_diff_table(diff, {false, 0, false}).find("\xE2\x80\xA6") == std::string::npos);
  for (const auto& line : lines_of(render_diff_table(diff, {false, 50, false}))) {
    CHECK(text_width(line) <= 50);
  }
}

TEST_CASE("the summary counts the cron log's verdicts when jobs were judged",
          "[report][summary][evidence]") {
  Fixture f;
  CHECK(render_table(f.view(), {false, 0, false}).find("Does it run") == std::string::npos);
  std::vector<JobRow*> hidden; // the summary counts the listed jobs: hidden batches
  for (auto& job : f.latest.jobs) {
    if (job.hidden()) {
      hidden.push_back(&job);
    }
  }
  REQUIRE(hidden.size() >= 3);
  hidden[0]->run.verdict = "running";
  hidden[1]->run.verdict = "running";
  hidden[2]->run.verdict = "no-evidence";
  const std::string summary = render_table(f.view(), {false, 0, false});
  CHECK(summary.find("Does it run: 2 running, 1 no-evidence; --filter "
                     "evidence=VERDICT lists them\n") != std::string::npos);
}
