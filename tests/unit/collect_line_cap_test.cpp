// A host cannot make the scan parse and store an unbounded number of crontab lines: past the
// per-host cap its files are cut at a line boundary and the host is recorded partial.
#include "digger/collect/line_cap.hpp"
#include "digger/collect/scan.hpp"
#include "digger/collect/script.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>

using namespace digger;
using namespace digger::collect;

namespace {

// Collector output framed the way the script frames it (see collect_decode_test.cpp).
struct Framer {
  std::string out{start_marker};
  Framer& record(std::string_view type, std::initializer_list<std::string_view> fields) {
    out += std::string(type) + " " + std::to_string(fields.size()) + "\n";
    for (auto f : fields) {
      out += std::to_string(f.size()) + "\n" + std::string(f) + "\n";
    }
    return *this;
  }
  Framer& file(std::string_view kind, std::string_view path, const std::string& content) {
    const std::string size = std::to_string(content.size());
    return record("FILE", {kind, path, "0", "root", "644", size, "1700000000", content});
  }
};

// The attack: 4 MiB of one-word jobs in one cron.d file.
std::string one_word_jobs(std::size_t lines) {
  std::string text;
  text.reserve(lines * 22);
  for (std::size_t i = 0; i < lines; ++i) {
    text += "* * * * * root /bin/x\n";
  }
  return text;
}

ssh::Outcome collected(const std::string& stdout_data) {
  ssh::Outcome outcome;
  outcome.status = ssh::Status::ok;
  outcome.stdout_data = stdout_data;
  return outcome;
}

std::size_t entries_of(const catalog::HostRecord& record) {
  std::size_t n = 0;
  for (const auto& source : record.sources) {
    n += source.entries.size();
  }
  return n;
}

} // namespace

TEST_CASE("a 190k-line cron.d file is cut at the host's line cap and the host is partial",
          "[collect][line-cap]") {
  Framer f;
  f.file("cron.d", "/etc/cron.d/flood", one_word_jobs(190000))
      .file("cron.d", "/etc/cron.d/after", "0 1 * * * root /opt/after.sh\n")
      .record("END", {"0"});
  inventory::ScanTarget target;
  target.name = "hostile";
  auto record = host_record(target, collected(f.out));

  CHECK(record.status == "partial");
  CHECK(record.reason.find("entry cap: 190001 cron lines, 20000 kept") != std::string::npos);
  CHECK(record.reason.find("/etc/cron.d/flood") != std::string::npos);
  CHECK(entries_of(record) == default_max_lines_per_host);
  REQUIRE(record.sources.size() == 2);
  const auto& flood = record.sources[0];
  CHECK(flood.entries.size() == 20000);
  CHECK(flood.truncated);
  CHECK(flood.size == 190000 * 22); // the size on the host stays what it was
  CHECK(std::any_of(flood.load_notes.begin(), flood.load_notes.end(), [](const auto& note) {
    return note.find("entry cap of 20000 lines") != std::string::npos;
  }));
  // Past the cap nothing more is parsed, even a small file.
  CHECK(record.sources[1].entries.empty());
  CHECK(record.sources[1].truncated);
}

TEST_CASE("under the cap nothing changes", "[collect][line-cap]") {
  Framer f;
  f.file("cron.d", "/etc/cron.d/small", one_word_jobs(100)).record("END", {"0"});
  inventory::ScanTarget target;
  target.name = "fine";
  auto record = host_record(target, collected(f.out), nullptr, nullptr, 100);
  CHECK(record.status == "ok");
  CHECK(record.reason.empty());
  REQUIRE(record.sources.size() == 1);
  CHECK(record.sources[0].entries.size() == 100);
  CHECK_FALSE(record.sources[0].truncated);
}

TEST_CASE("the cap keeps whole lines and counts a last line without newline",
          "[collect][line-cap]") {
  HostSnapshot snapshot;
  CronSource a;
  a.kind = SourceKind::user_crontab;
  a.path = "/var/spool/cron/crontabs/a";
  a.content = "1\n2\n3"; // three lines, the last unterminated
  CronSource unit;
  unit.kind = SourceKind::systemd_unit; // not line-based: never cut
  unit.path = "/etc/systemd/system/x.timer";
  unit.content = "[Timer]\nOnCalendar=daily\n";
  snapshot.sources = {a, unit};

  auto cap = cap_host_lines(snapshot, 2);
  CHECK(cap.lines == 3);
  CHECK(cap.hit());
  CHECK(snapshot.sources[0].content == "1\n2\n");
  CHECK(snapshot.sources[0].truncated);
  CHECK(snapshot.sources[1].content == unit.content);

  snapshot.sources = {a};
  CHECK_FALSE(cap_host_lines(snapshot, 3).hit());
  CHECK(snapshot.sources[0].content == "1\n2\n3");
}
