#include "digger/report/diff.hpp"
#include "digger/report/load.hpp"
#include "digger/report/render_prometheus.hpp"
#include "digger/report/view.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "catalog_test_support.hpp"
#include "report_fixture.hpp"

using namespace digger;
using namespace digger::report;

namespace {

// One sample line of the text format, its label values unescaped.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string value;
};

// A strict reader of what render_prometheus writes: names and label names valid, quoted values
// with only \\, \" and \n escapes, one space, a value. Fails the test on anything else.
Sample parse_sample(const std::string& line) {
  static const std::regex name_re("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex label_re("[a-zA-Z_][a-zA-Z0-9_]*");
  Sample sample;
  std::size_t i = line.find_first_of("{ ");
  REQUIRE(i != std::string::npos);
  sample.name = line.substr(0, i);
  REQUIRE(std::regex_match(sample.name, name_re));
  if (line[i] == '{') {
    ++i;
    while (line.at(i) != '}') {
      const auto eq = line.find('=', i);
      REQUIRE(eq != std::string::npos);
      const std::string key = line.substr(i, eq - i);
      REQUIRE(std::regex_match(key, label_re));
      REQUIRE(line.at(eq + 1) == '"');
      std::string value;
      for (i = eq + 2; line.at(i) != '"'; ++i) {
        if (line[i] == '\\') {
          const char next = line.at(++i);
          REQUIRE((next == '\\' || next == '"' || next == 'n'));
          value += next == 'n' ? '\n' : next;
        } else {
          value += line[i];
        }
      }
      REQUIRE(sample.labels.emplace(key, value).second);
      ++i;
      if (line.at(i) == ',') {
        ++i;
      }
    }
    ++i;
  }
  REQUIRE(line.at(i) == ' ');
  sample.value = line.substr(i + 1);
  REQUIRE(std::regex_match(sample.value, std::regex("-?[0-9]+")));
  return sample;
}

// Every family announced once (HELP then TYPE) before its samples, every series once.
std::vector<Sample> parse_exposition(const std::string& text) {
  std::vector<Sample> samples;
  std::set<std::string> families, series;
  std::string current;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      current = line.substr(7, line.find(' ', 7) - 7);
      REQUIRE(families.insert(current).second);
      REQUIRE(std::getline(in, line));
      REQUIRE(line == "# TYPE " + current + " gauge");
      continue;
    }
    auto sample = parse_sample(line);
    REQUIRE(sample.name == current);
    std::string key = sample.name;
    for (const auto& [k, v] : sample.labels) {
      key += "\x1f" + k + "=" + v;
    }
    REQUIRE(series.insert(key).second);
    samples.push_back(std::move(sample));
  }
  REQUIRE(text.back() == '\n');
  return samples;
}

std::int64_t sum(const std::vector<Sample>& samples, const std::string& name,
                 const std::map<std::string, std::string>& match = {}) {
  std::int64_t total = 0;
  for (const auto& sample : samples) {
    bool matches = sample.name == name;
    for (const auto& [key, value] : match) {
      auto found = sample.labels.find(key);
      matches = matches && found != sample.labels.end() && found->second == value;
    }
    total += matches ? std::stoll(sample.value) : 0;
  }
  return total;
}

// A scan of `owners` hosts, one hidden job each, owned by the given names.
Snapshot fleet(const std::vector<std::string>& owners) {
  Snapshot snapshot;
  snapshot.scan.id = 7;
  snapshot.scan.status = catalog::ScanStatus::complete;
  snapshot.scan.started_at = "2026-11-18T02:00:00Z";
  snapshot.scan.finished_at = "2026-11-18T02:02:45Z";
  snapshot.scan.digger_version = "0.1.0";
  for (std::size_t i = 0; i < owners.size(); ++i) {
    HostRow host;
    host.name = "h" + std::to_string(1000 + i);
    host.labels = {{"team", "t" + std::to_string(i)}, {"env", i % 2 == 0 ? "prod" : "dev"}};
    snapshot.hosts.push_back(host);
    JobRow job;
    job.host = i;
    job.owner = owners[i];
    job.language = "shell";
    job.verdict = "hidden";
    snapshot.jobs.push_back(job);
  }
  return snapshot;
}

ReportView all_jobs(const Snapshot& snapshot) {
  return build_view(snapshot, *parse_filter(""), "", GroupBy{}, true);
}

} // namespace

TEST_CASE("prometheus label values escape backslash, quote and newline, and are UTF-8",
          "[report][prometheus]") {
  CHECK(prometheus_escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  CHECK(prometheus_escape_label_value("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(prometheus_escape_label_value("x\xff") == "x\xef\xbf\xbd");
}

TEST_CASE("prometheus: hostile owners are escaped and still one series each",
          "[report][prometheus]") {
  const std::vector<std::string> owners = {"a\"b", "back\\slash", "new\nline", "bad\xfe", "plain"};
  const auto snapshot = fleet(owners);
  const auto text = render_prometheus(all_jobs(snapshot), nullptr);
  const auto samples = parse_exposition(text);
  for (const auto& owner : {"a\"b", "back\\slash", "new\nline", "bad\xef\xbf\xbd", "plain"}) {
    CHECK(sum(samples, "digger_jobs", {{"owner", owner}, {"verdict", "hidden"}}) == 1);
  }
  CHECK(text.find("owner=\"new\\nline\"") != std::string::npos);
  CHECK(sum(samples, "digger_scan_duration_seconds") == 165);
  CHECK(sum(samples, "digger_scan_start_timestamp_seconds") == 1794967200);
  CHECK(sum(samples, "digger_hosts", {{"status", "ok"}}) == 5);
  CHECK(text.find("digger_job_changes") == std::string::npos); // no previous scan given
}

TEST_CASE("prometheus: owners and label values beyond the limits fold into (other)",
          "[report][prometheus]") {
  std::vector<std::string> owners;
  for (int i = 0; i < 50; ++i) {
    owners.push_back("user" + std::to_string(i));
  }
  owners.push_back("user0"); // user0 has the most jobs: kept whatever the names' order
  // Two owners equal in their first 128 bytes: cut, they are one series, not two equal ones.
  owners.push_back(std::string(200, 'x') + "1");
  owners.push_back(std::string(200, 'x') + "2");
  const auto snapshot = fleet(owners);
  PrometheusLimits limits;
  limits.owners = 5;
  limits.label_values = 3;
  const auto samples = parse_exposition(render_prometheus(all_jobs(snapshot), nullptr, limits));
  std::set<std::string> owner_values, team_values;
  for (const auto& sample : samples) {
    if (sample.name == "digger_jobs") {
      owner_values.insert(sample.labels.at("owner"));
    }
    if (sample.name == "digger_jobs_by_label" && sample.labels.at("label") == "team") {
      team_values.insert(sample.labels.at("value"));
    }
  }
  CHECK(owner_values.size() == 6); // five owners and (other)
  CHECK(owner_values.count("(other)") == 1);
  CHECK(owner_values.count("user0") == 1);
  CHECK(owner_values.count(std::string(128, 'x')) == 1); // the two long ones, 2 jobs
  CHECK(sum(samples, "digger_jobs", {{"owner", std::string(128, 'x')}}) == 2);
  CHECK(team_values.size() == 4);
  CHECK(sum(samples, "digger_jobs") == static_cast<std::int64_t>(owners.size()));
  CHECK(sum(samples, "digger_jobs_by_label", {{"label", "team"}}) ==
        static_cast<std::int64_t>(owners.size()));
  CHECK(sum(samples, "digger_jobs_by_label", {{"label", "env"}, {"value", "prod"}}) == 27);
}

TEST_CASE("prometheus: the fixture catalog's jobs, hosts and changes since the previous scan",
          "[report][prometheus]") {
  catalog::test::TempDir dir;
  const std::string path = dir.file("digger.db");
  test::write_fixture_catalog(path);
  auto catalog = open_catalog(path);
  const auto to = load_snapshot(catalog, resolve_scan(catalog, "2"));
  const LoadOptions lean{.derived = false, .details = false};
  const auto from = load_snapshot(catalog, resolve_scan(catalog, "1"), lean);
  const auto diff = diff_snapshots(from, to);
  const auto view = all_jobs(to);
  const auto samples = parse_exposition(render_prometheus(view, &diff));
  CHECK(sum(samples, "digger_jobs", {{"verdict", "hidden"}}) == view.totals.hidden);
  CHECK(sum(samples, "digger_jobs", {{"verdict", "managed"}}) == view.totals.managed);
  CHECK(sum(samples, "digger_jobs", {{"verdict", "managed"}, {"language", "shell"}}) == 3);
  CHECK(sum(samples, "digger_hosts") == static_cast<std::int64_t>(view.hosts.size()));
  CHECK(sum(samples, "digger_hosts", {{"status", "timeout"}}) == 1);
  CHECK(sum(samples, "digger_previous_scan_id") == 1);
  CHECK(sum(samples, "digger_job_changes", {{"change", "added"}}) ==
        static_cast<std::int64_t>(diff.counts.added));
  CHECK(sum(samples, "digger_job_changes", {{"change", "added"}, {"verdict", "hidden"}}) == 1);
  CHECK(sum(samples, "digger_job_changes", {{"change", "moved"}}) ==
        static_cast<std::int64_t>(diff.counts.moved));
  CHECK(sum(samples, "digger_job_changes", {{"change", "removed"}}) ==
        static_cast<std::int64_t>(diff.counts.removed));
  CHECK(sum(samples, "digger_host_changes", {{"change", "gone"}}) == 1);
  CHECK(sum(samples, "digger_migrated_jobs") == 1);
}
