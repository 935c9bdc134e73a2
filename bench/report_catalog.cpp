// Times `digger-scan report --format json` and `digger-scan diff` (the in-process calls they
// make) on a synthetic catalog of two scans of 10,000 hosts x 30 jobs, with seconds and peak RSS.
//   bench_report_catalog [hosts] [jobs-per-host] [catalog-path]
// The catalog is written once (kept if a path is given and reused when it exists). Each
// measurement runs in a forked child so its peak RSS (getrusage) is its own. Prints figures;
// never fails on speed. Results: docs/performance.md, section "Reports".

#include "digger/catalog/catalog.hpp"
#include "digger/crontab/schedule.hpp"
#include "digger/judge/fingerprint.hpp"
#include "digger/report/diff.hpp"
#include "digger/report/load.hpp"
#include "digger/report/render.hpp"
#include "digger/timing/describe.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <ostream>
#include <streambuf>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "catalog_access.hpp"

using namespace digger;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::array<const char*, 6> schedules{"*/5 * * * *", "0 3 * * *",  "30 2 * * 1-5",
                                               "@hourly",     "15 4 1 * *", "*/10 8-18 * * *"};
constexpr std::array<const char*, 5> languages{"python", "shell", "php", "perl", "binary"};
constexpr std::array<const char*, 3> zones{"Europe/Paris", "UTC", "America/New_York"};

catalog::EntryRow job(int line, const std::string& owner, const std::string& schedule_text,
                      const std::string& command, const char* language) {
  catalog::EntryRow entry;
  entry.line_number = line;
  entry.schedule_text = schedule_text;
  entry.raw = schedule_text + " " + command;
  auto schedule = crontab::parse_schedule(schedule_text);
  entry.normalized_schedule = schedule->normalized();
  entry.description = timing::describe(*schedule);
  entry.command = command;
  entry.language = language;
  entry.evidence = "interpreter in argv[0]";
  entry.fingerprint = judge::job_fingerprint(owner, *schedule, command);
  return entry;
}

// Scan 2 differs from scan 1: every 50th host moved a job to 04:00, every 97th is unreachable,
// hosts are renumbered by 100 so 100 are new and 100 gone.
catalog::HostRecord synthetic_host(int index, int jobs, int scan) {
  catalog::HostRecord host;
  host.name = fmt::format("host{:05}.dc1.example.com", index);
  host.labels = {{"env", index % 3 == 0 ? "prod" : "staging"}, {"role", "app"}};
  host.facts = {host.name, "debian", "12", zones[index % zones.size()], "cron"};
  if (scan == 2 && index % 97 == 0) {
    host.status = "unreachable";
    host.reason = "connect: connection refused";
    return host;
  }
  for (int file = 0; file < 3; ++file) {
    catalog::SourceRow source;
    source.owner = file == 0 ? "root" : fmt::format("user{}", file);
    source.path = "/var/spool/cron/crontabs/" + source.owner;
    for (int line = 1; line <= jobs / 3; ++line) {
      std::string schedule = schedules[(line + file) % schedules.size()];
      if (scan == 2 && index % 50 == 0 && line == 1) {
        schedule = "0 4 * * *";
      }
      // Half the jobs are fleet-wide (same fingerprint everywhere), half are per host.
      const std::string command =
          line % 2 == 0 ? fmt::format("/usr/bin/{} /opt/app/task{}.py", languages[line % 5], line)
                        : fmt::format("/opt/app/{}/job{}.sh --host {}", file, line, index);
      source.entries.push_back(job(line, source.owner, schedule, command, languages[line % 5]));
    }
    host.sources.push_back(std::move(source));
  }
  return host;
}

void write_scan(catalog::Catalog& catalog, int hosts, int jobs, int scan) {
  catalog::ScanInfo info;
  info.inventory_path = "bench.txt";
  info.hosts_planned = hosts;
  const std::int64_t id = catalog.begin_scan(info);
  const int first = scan == 1 ? 0 : 100;
  std::vector<catalog::HostRecord> batch;
  for (int i = first; i < first + hosts; ++i) {
    batch.push_back(synthetic_host(i, jobs, scan));
    if (batch.size() == 500) {
      catalog.record_hosts(id, batch);
      batch.clear();
    }
  }
  catalog.record_hosts(id, batch);
  catalog.finish_scan(id, catalog::ScanStatus::complete);
  auto update = catalog::internal::database(catalog).prepare(
      "UPDATE scans SET started_at = ?1 WHERE id = ?2");
  update.bind(1, scan == 1 ? "2026-11-11T02:00:00Z" : "2026-11-18T02:00:00Z").bind(2, id);
  update.run();
}

// Counts what the report writes instead of keeping it, as writing to a file would.
struct CountingStream {
  struct Buffer : std::streambuf {
    std::size_t count = 0;
    std::streamsize xsputn(const char*, std::streamsize n) override {
      count += static_cast<std::size_t>(n);
      return n;
    }
    int_type overflow(int_type c) override {
      ++count;
      return c;
    }
  } buffer;
  std::ostream stream{&buffer};
  std::size_t size() const { return buffer.count; }
};

// Runs `work` in a child process; prints its wall time and the child's peak RSS.
void measure(const char* name, const std::function<std::size_t()>& work) {
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const auto start = Clock::now();
    const std::size_t size = work();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    fmt::print("{:<32} {:6.2f} s wall {:6.2f} s CPU  peak RSS {:4.0f} MB  output {:.1f} MB\n", name,
               seconds, cpu, static_cast<double>(usage.ru_maxrss) / 1024.0,
               static_cast<double>(size) / 1e6);
    std::fflush(stdout);
    std::_Exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print("{}: failed\n", name);
  }
}

} // namespace

int main(int argc, char** argv) {
  const int hosts = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int jobs = argc > 2 ? std::atoi(argv[2]) : 30;
  const bool keep = argc > 3;
  const std::string path =
      keep ? argv[3] : fmt::format("/tmp/bench_report_catalog_{}.db", ::getpid());
  try {
    if (!std::filesystem::exists(path)) {
      fmt::print("writing {} hosts x {} jobs, two scans, into {}\n", hosts, jobs, path);
      measure("write the catalog (2 scans)", [&] {
        auto catalog = catalog::Catalog::open(path);
        write_scan(catalog, hosts, jobs, 1);
        write_scan(catalog, hosts, jobs, 2);
        return std::size_t{0};
      });
    }
    measure("report --format json (latest)", [&] {
      auto catalog = report::open_catalog(path);
      const auto snapshot = report::load_snapshot(catalog, report::resolve_scan(catalog, "latest"));
      const auto view = report::build_view(snapshot, {}, "", {});
      CountingStream counter;
      report::write_json(view, counter.stream);
      return counter.size();
    });
    measure("  of which load_snapshot", [&] {
      auto catalog = report::open_catalog(path);
      return report::load_snapshot(catalog, report::resolve_scan(catalog, "latest")).jobs.size();
    });
    measure("diff (default scans)", [&] {
      auto catalog = report::open_catalog(path);
      const auto [from, to] = report::resolve_diff_scans(catalog, "", "latest");
      const report::LoadOptions lean{.derived = false, .details = false}; // as the CLI loads
      const auto diff = report::diff_snapshots(report::load_snapshot(catalog, from, lean),
                                               report::load_snapshot(catalog, to, lean));
      fmt::print("  diff: {} added, {} removed, {} schedule-changed, {} moved, {} unknown\n",
                 diff.counts.added, diff.counts.removed, diff.counts.schedule_changed,
                 diff.counts.moved, diff.counts.hosts_unknown);
      return diff.hosts.size();
    });
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_report_catalog: {}\n", e.what());
    return 1;
  }
  if (!keep) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  return 0;
}
