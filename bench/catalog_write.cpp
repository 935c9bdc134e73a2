// Records a synthetic fleet (default 10,000 hosts x 30 entries) into a fresh catalog through the
// Writer, as a scan does, then times reopening (quick_check) and the report views.
//   bench_catalog_write [hosts] [entries-per-host] [submitting-threads] [keep-db-path]
// Prints figures; never fails on speed.

#include "digger/catalog/catalog.hpp"
#include "digger/catalog/writer.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <thread>
#include <unistd.h>
#include <vector>

#include "catalog_access.hpp"

using namespace digger::catalog;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

HostRecord synthetic_host(int index, int entries) {
  HostRecord host;
  host.name = fmt::format("host{:05}.dc1.example.com", index);
  host.address = fmt::format("10.{}.{}.{}", index >> 16, (index >> 8) & 255, index & 255);
  host.login_user = "digger";
  host.labels = {{"env", index % 3 == 0 ? "prod" : "staging"}, {"dc", "dc1"}};
  host.timings = {3, 12, 8, 40, 63};
  host.facts = {host.name, "debian", "12", "Etc/UTC", "cron"};
  host.host_key_type = "ssh-ed25519";
  host.host_key_fingerprint = "SHA256:" + std::string(43, 'k');
  const char* languages[] = {"python", "shell", "php", "perl", "binary"};
  for (int file = 0; file < 3; ++file) {
    SourceRow source;
    source.path = file == 0 ? "/etc/crontab" : fmt::format("/var/spool/cron/crontabs/user{}", file);
    source.kind = file == 0 ? "system" : "user";
    source.owner = file == 0 ? "root" : fmt::format("user{}", file);
    source.mode = 0600;
    source.mtime = 1700000000 + index;
    source.size = 2048;
    source.sha256 = std::string(64, 'f');
    for (int line = 0; line < entries / 3; ++line) {
      EntryRow entry;
      entry.line_number = line + 1;
      entry.kind = line % 5 == 0 ? "comment" : "job";
      entry.command = fmt::format("/usr/bin/{} /opt/app/task{}.py >> /var/log/t{}.log 2>&1",
                                  languages[line % 5], line, line);
      entry.raw = "*/10 2 * * 1-5 " + entry.command;
      entry.schedule_text = "*/10 2 * * 1-5";
      entry.normalized_schedule = "0,10,20,30,40,50 2 * * 1-5";
      entry.language = languages[line % 5];
      entry.evidence = "interpreter in argv[0]";
      entry.target = fmt::format("/opt/app/task{}.py", line);
      entry.fingerprint = fmt::format("{:016x}", static_cast<unsigned>(line * 2654435761u));
      source.entries.push_back(std::move(entry));
    }
    host.sources.push_back(std::move(source));
  }
  return host;
}

template <class F>
double timed(F&& work) {
  auto start = Clock::now();
  work();
  return seconds_since(start);
}

} // namespace

int main(int argc, char** argv) {
  int hosts = argc > 1 ? std::atoi(argv[1]) : 10000;
  int entries = argc > 2 ? std::atoi(argv[2]) : 30;
  int threads = argc > 3 ? std::atoi(argv[3]) : 8;
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / fmt::format("digger-bench-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::string path = argc > 4 ? argv[4] : (dir / "bench.db").string();

  std::vector<HostRecord> records;
  for (int i = 0; i < hosts; ++i) {
    records.push_back(synthetic_host(i, entries));
  }
  fmt::print("catalog_write: {} hosts x {} entries, {} submitting threads\n", hosts, entries,
             threads);

  double write_seconds = 0;
  std::clock_t cpu_start = 0;
  double cpu_seconds = 0;
  {
    Catalog catalog = Catalog::open(path);
    std::int64_t scan = catalog.begin_scan({"bench.toml", "{}", hosts, "bench"});
    cpu_start = std::clock();
    write_seconds = timed([&] {
      Writer writer(catalog, scan);
      std::vector<std::thread> workers;
      for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
          for (int i = t; i < hosts; i += threads) {
            writer.submit(std::move(records[static_cast<std::size_t>(i)]));
          }
        });
      }
      for (std::thread& worker : workers) {
        worker.join();
      }
      writer.stop();
    });
    cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    catalog.finish_scan(scan, ScanStatus::complete);
  }
  std::size_t rows = static_cast<std::size_t>(hosts) * static_cast<std::size_t>(entries / 3 * 3);
  fmt::print("  write via Writer      {:7.3f} s  ({:.0f} hosts/s, {:.0f} entries/s)\n",
             write_seconds, hosts / write_seconds, static_cast<double>(rows) / write_seconds);
  fmt::print("    CPU time (all threads) {:6.3f} s  (the rest is waiting for the disk or a core)\n",
             cpu_seconds);

  double reopen = timed([&] { Catalog::open(path, Mode::read_only); });
  fmt::print("  reopen (quick_check)  {:7.3f} s\n", reopen);
  Catalog reader = Catalog::open(path, Mode::read_only);
  for (const char* view :
       {"jobs", "jobs_by_language", "jobs_by_owner", "failed_hosts", "duplicate_jobs"}) {
    std::int64_t count = 0;
    double seconds = timed([&] {
      count = internal::database(reader).query_int(fmt::format("SELECT COUNT(*) FROM {}", view));
    });
    fmt::print("  SELECT COUNT(*) FROM {:<17}{:7.3f} s  ({} rows)\n", view, seconds, count);
  }
  fmt::print("  file size             {:7.1f} MiB\n",
             static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));
  std::filesystem::remove_all(dir);
  return 0;
}
