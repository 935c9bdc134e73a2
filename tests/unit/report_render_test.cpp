#include "digger/report/load.hpp"
#include "digger/report/render.hpp"
#include "digger/report/text.hpp"
#include "digger/report/view.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "catalog_test_support.hpp"
#include "report_fixture.hpp"

using namespace digger;
using namespace digger::report;

namespace {

struct Loaded {
  catalog::test::TempDir dir;
  Snapshot snapshot;
  explicit Loaded(const std::string& scan = "latest") {
    const std::string path = dir.file("digger.db");
    test::write_fixture_catalog(path);
    auto catalog = open_catalog(path);
    snapshot = load_snapshot(catalog, resolve_scan(catalog, scan));
  }
};

ReportView view_of(const Snapshot& snapshot, const std::string& filter = "",
                   const std::string& group_by = "language") {
  return build_view(snapshot, *parse_filter(filter), filter, *parse_group_by(group_by));
}

// RFC 4180 reader: quoted fields with "" escapes, CRLF records.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  rows.pop_back(); // after the last CRLF
  return rows;
}

const JobRow& job_with(const Snapshot& snapshot, const std::string& command_part) {
  for (const auto& job : snapshot.jobs) {
    if (job.command.find(command_part) != std::string::npos) {
      return job;
    }
  }
  FAIL("no job with " << command_part);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("load_snapshot reads the scan's hosts and jobs with derived fields", "[report]") {
  Loaded loaded;
  const auto& s = loaded.snapshot;
  CHECK(s.scan.id == 2);
  REQUIRE(s.hosts.size() == 6);
  CHECK(s.hosts.front().name == "cache-01"); // sorted by name
  CHECK(s.jobs.size() == 15);                // 11 hidden batches and 4 managed jobs
  const auto& sync = job_with(s, "sync/run.py");
  CHECK(sync.same_job_hosts == 2);
  // Next run from the scan's end (02:02:45Z = 03:02:45 in Paris), in the host's zone.
  CHECK(sync.schedule.zone == "Europe/Paris");
  CHECK(sync.schedule.next_run == "2026-11-18T03:05:00+01:00");
  CHECK(sync.schedule.description == "Every 5 minutes");
  const auto& cleanup = job_with(s, "cleanup.sh");
  CHECK(cleanup.schedule.next_run == "2026-11-19T01:30:00+00:00"); // 01:30 had passed
  CHECK(cleanup.same_job_hosts == 1);
}

TEST_CASE("resolve_scan refuses unknown ids and empty catalogs", "[report]") {
  catalog::test::TempDir dir;
  const std::string path = dir.file("digger.db");
  { catalog::Catalog::open(path); } // schema only, no scan
  auto catalog = open_catalog(path);
  CHECK_THROWS_AS(resolve_scan(catalog, "latest"), catalog::CatalogError);
  CHECK_THROWS_AS(resolve_scan(catalog, "7"), util::UsageError);
  CHECK_THROWS_AS(resolve_scan(catalog, "seven"), util::UsageError);
  CHECK_THROWS_AS(resolve_scan(catalog, "-1"), util::UsageError);
  CHECK_THROWS_AS(open_catalog(dir.file("missing.db")), catalog::CatalogError);
}

TEST_CASE("the view counts languages, owners, failed hosts and duplicates", "[report]") {
  Loaded loaded;
  const auto view = view_of(loaded.snapshot);
  CHECK(view.totals.hosts == 6);
  CHECK(view.totals.hosts_failed == 1);
  CHECK(view.totals.jobs == 11); // the 4 managed jobs are counted apart
  REQUIRE(view.failed_hosts.size() == 1);
  CHECK(view.failed_hosts[0]->name == "web-03");
  REQUIRE(!view.by_language.empty());
  CHECK(view.by_language[0].language == "python");
  CHECK(view.by_language[0].jobs == 3);
  REQUIRE(view.duplicates.size() == 1);
  CHECK(view.duplicates[0].host_names == std::vector<std::string>{"web-01", "web-02"});
  std::vector<std::string> keys;
  for (const auto& group : view.groups) {
    keys.push_back(group.key);
  }
  CHECK(keys == std::vector<std::string>{"go", "php", "python", "shell", "unknown"});
}

TEST_CASE("the filter keeps matching hosts and jobs", "[report]") {
  Loaded loaded;
  auto view = view_of(loaded.snapshot, "label:role=web language=python", "host");
  CHECK(view.totals.jobs == 2);
  CHECK(view.totals.hosts == 3); // web-01, web-02, web-03 (failed)
  CHECK(view.groups.size() == 2);
  view = view_of(loaded.snapshot, "command~backup");
  CHECK(view.totals.jobs == 1);
  view = view_of(loaded.snapshot, "status!=ok");
  CHECK(view.totals.jobs == 0);
  CHECK(view.totals.hosts == 1);
  view = view_of(loaded.snapshot, "label:role=cache", "label:env");
  REQUIRE(view.groups.size() == 1);
  CHECK(view.groups[0].key == "prod");
}

TEST_CASE("the table fits 80 columns and escapes host text", "[report]") {
  Loaded loaded;
  const std::string table = render_table(view_of(loaded.snapshot), {false, 80, true});
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    CHECK(text_width(line) <= 80);
    CHECK(line.find('\x1b') == std::string::npos);
  }
  CHECK(table.find("\\x1b[31mred") != std::string::npos);
  CHECK(table.find("\\xff") != std::string::npos);
  CHECK(table.find("web-03") != std::string::npos);
  CHECK(table.find("no answer within 5 s") != std::string::npos);
  const std::string colored = render_table(view_of(loaded.snapshot), {true, 80, true});
  CHECK(colored.find("\x1b[1m") != std::string::npos);
}

TEST_CASE("JSON is valid, complete and byte-identical across runs", "[report]") {
  Loaded first;
  Loaded second;
  const std::string a = render_json(view_of(first.snapshot));
  CHECK(a == render_json(view_of(second.snapshot)));
  const auto json = nlohmann::json::parse(a);
  CHECK(json["format"] == "digger-report");
  CHECK(json["version"] == json_format_version);
  CHECK(json["next_runs_after"] == "2026-11-18T02:02:45Z");
  CHECK(json["jobs"].size() == 11);
  CHECK(json["hosts"].size() == 6);
  bool found_hostile = false;
  for (const auto& job : json["jobs"]) {
    if (job["command"].get<std::string>().find("<script>") != std::string::npos) {
      found_hostile = true;
      // Invalid UTF-8 became U+FFFD; the escape byte survives as JSON \u001b.
      CHECK(job["command"].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
      CHECK(job["host"] == "db-01");
      CHECK(job["labels"]["role"] == "db");
      CHECK(job["same_job_hosts"] == 1);
    }
  }
  CHECK(found_hostile);
}

TEST_CASE("CSV parses back to one row per job and neutralises formulas", "[report]") {
  Loaded loaded;
  const auto view = view_of(loaded.snapshot);
  const auto rows = parse_csv(render_csv(view));
  REQUIRE(rows.size() == 12); // header + 11 jobs
  const auto& header = rows[0];
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::size_t formulas = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == header.size());
    const std::string& command = rows[i][column("command")];
    CHECK(std::string("=+-@\t\r").find(command.front()) == std::string::npos);
    if (command.starts_with("'=HYPERLINK")) {
      ++formulas;
    }
  }
  CHECK(formulas == 1);
  // Same order and values as the JSON.
  const auto json = nlohmann::json::parse(render_json(view));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][column("host")] == json["jobs"][i - 1]["host"]);
    CHECK(rows[i][column("line")] == std::to_string(json["jobs"][i - 1]["line"].get<int>()));
  }
}

TEST_CASE("text helpers", "[report]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("=1+1") == "'=1+1");
  CHECK(csv_field("+1") == "'+1");
  CHECK(csv_field("-rf") == "'-rf");
  CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_field("\tx") == "'\tx");
  CHECK(csv_field("\rx") == "\xE2\x90\x8Dx"); // a lone CR is a control: shown as U+240D
  CHECK(csv_field("a\xff") == "a\xEF\xBF\xBD");
  CHECK(fit("abcdef", 4) == "abc\xE2\x80\xA6");
  CHECK(fit("abc", 4) == "abc");
  CHECK(text_width(fit("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3)) == 3);
  CHECK(pad("ab", 4) == "ab  ");
  CHECK(html_escape("<a href='x'>&\"</a>\x01") ==
        "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;\xEF\xBF\xBD");
  CHECK(terminal_text("a\tb\x1b") == "a b\\x1b");
}

// The CSV is text a person may `cat`: no byte of it may drive the terminal. Rule (see
// docs/reports.md): C0 controls but tab and line feed become U+2400 + code (ESC is U+241B),
// DEL U+2421, C1 controls (U+0080..U+009F, 8-bit CSI among them) U+FFFD. report and diff
// CSV share csv_field.
TEST_CASE("CSV cells carry no terminal control bytes", "[report][csv]") {
  CHECK(csv_field("a\x1b[31mred\x07") == "a\xE2\x90\x9B[31mred\xE2\x90\x87");
  CHECK(csv_field(std::string("nul\0x", 5)) == "nul\xE2\x90\x80x");
  CHECK(csv_field("del\x7f") == "del\xE2\x90\xA1");
  CHECK(csv_field("csi\xC2\x9B"
                  "2J") == "csi\xEF\xBF\xBD"
                           "2J"); // U+009B, encoded
  CHECK(csv_field("raw\x9b"
                  "2J") == "raw\xEF\xBF\xBD"
                           "2J");                         // invalid UTF-8 byte
  CHECK(csv_field("nbsp\xC2\xA0ok") == "nbsp\xC2\xA0ok"); // U+00A0 is text
  CHECK(csv_field("tab\tkept") == "tab\tkept");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  for (int c = 0; c < 0x20; ++c) {
    const std::string cell = csv_field(std::string("x") + static_cast<char>(c) + "y");
    INFO("control " << c);
    CHECK((cell.find(static_cast<char>(c)) != std::string::npos) == (c == '\t' || c == '\n'));
  }
}

TEST_CASE("the CSV report of a hostile crontab has no ESC or BEL byte", "[report][csv]") {
  Loaded loaded;
  const std::string csv = render_csv(view_of(loaded.snapshot));
  CHECK(csv.find('\x1b') == std::string::npos);
  CHECK(csv.find('\x07') == std::string::npos);
  CHECK(csv.find("\xE2\x90\x9B[31mred") != std::string::npos); // the fixture's ESC, visible
  for (std::size_t i = 0; i < csv.size(); ++i) {
    const auto byte = static_cast<unsigned char>(csv[i]);
    if (byte < 0x20 && byte != '\t' && byte != '\n') {
      CHECK(byte == '\r'); // only the CRLF row ends
      CHECK(csv[i + 1] == '\n');
    }
  }
}

TEST_CASE("parse_filter rejects malformed terms", "[report]") {
  CHECK(parse_filter("").ok());
  CHECK(parse_filter("host=web-01 label:env=prod owner~ali").ok());
  CHECK(parse_filter("command~'backup.sh --full'")->terms[0].value == "backup.sh --full");
  CHECK_FALSE(parse_filter("colour=red").ok());
  CHECK_FALSE(parse_filter("host").ok());
  CHECK_FALSE(parse_filter("=x").ok());
  CHECK_FALSE(parse_filter("host!x").ok());
  CHECK_FALSE(parse_filter("host='x").ok());
  CHECK_FALSE(parse_filter("label:=x").ok());
  CHECK_FALSE(parse_group_by("colour").ok());
  CHECK(parse_group_by("label:env")->label == "env");
}
