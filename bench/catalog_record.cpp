// The catalog writer's own cost: records a synthetic fleet (default 2,000 hosts x 30 jobs) with
// Catalog::record_hosts in batches of 256 hosts, as the Writer thread does, on this thread only,
// and prints hosts/s by wall time and by this thread's CPU time (the figure a loaded machine
// does not blur). Jobs carry issue 8's fields (verdict, reasons, flags, programs) when the
// records have them, so the same source builds against older catalogs for a before/after.
//   bench_catalog_record [hosts] [jobs-per-host] [rounds] [plain]
// "plain" leaves issue 8's fields empty: the same rows an older catalog writes.
// Prints figures; never fails on speed.

#include "digger/catalog/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <span>
#include <string_view>
#include <unistd.h>
#include <vector>

using namespace digger::catalog;

namespace {

bool with_issue8_fields = true;

double thread_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Fills the issue 8 fields when this build's records have them.
template <class Entry>
void decide(Entry& entry, int line) {
  if constexpr (requires { entry.verdict_reasons; }) {
    if (!with_issue8_fields) {
      return;
    }
    entry.verdict = line % 4 == 0 ? "managed" : "hidden";
    if (line % 4 == 0) {
      entry.managed_by = "package:sysstat";
    } else {
      entry.verdict_reasons = {"per-user crontab of user1", "script under /home",
                               "no MAILTO (output is mailed to the owner)"};
    }
    if (line % 7 == 0) {
      entry.flags = {"target-missing"};
    }
  }
}

template <class Host>
void inspect(Host& host, int jobs) {
  if constexpr (requires { host.programs; }) {
    if (!with_issue8_fields) {
      return;
    }
    for (int i = 0; i < jobs / 3; ++i) {
      auto& program = host.programs.emplace_back();
      program.path = fmt::format("/opt/app/task{}.py", i);
      program.exists = i % 7 != 0;
      program.type = "file";
      program.size = 2048;
      program.mode = 0755;
      program.uid = program.gid = 0;
      program.owner = "root";
      program.sha256 = std::string(64, 'e');
      program.head = "#!/usr/bin/env python3\nimport sys\n";
    }
  }
}

HostRecord synthetic_host(int index, int jobs) {
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
    SourceRow& source = host.sources.emplace_back();
    source.path = file == 0 ? "/etc/crontab" : fmt::format("/var/spool/cron/crontabs/user{}", file);
    source.kind = file == 0 ? "system" : "user";
    source.owner = file == 0 ? "root" : fmt::format("user{}", file);
    source.mode = 0600;
    source.mtime = 1700000000 + index;
    source.size = 2048;
    source.sha256 = std::string(64, 'f');
    EntryRow& comment = source.entries.emplace_back();
    comment.line_number = 1;
    comment.kind = "comment";
    comment.raw = "# m h dom mon dow command";
    for (int line = 0; line < jobs / 3; ++line) {
      EntryRow& entry = source.entries.emplace_back();
      entry.line_number = line + 2;
      entry.command = fmt::format("/usr/bin/{} /opt/app/task{}.py >> /var/log/t{}.log 2>&1",
                                  languages[line % 5], line, line);
      entry.raw = "*/10 2 * * 1-5 " + entry.command;
      entry.schedule_text = "*/10 2 * * 1-5";
      entry.normalized_schedule = "0,10,20,30,40,50 2 * * 1-5";
      entry.run_as = source.owner;
      entry.language = languages[line % 5];
      entry.evidence = "interpreter in argv[0]";
      entry.target = fmt::format("/opt/app/task{}.py", line);
      entry.description = "Every 10 minutes at 02:00 on Monday through Friday";
      entry.fingerprint = fmt::format("{:016x}", static_cast<unsigned>(line * 2654435761u + file));
      decide(entry, line);
    }
  }
  inspect(host, jobs);
  return host;
}

} // namespace

int main(int argc, char** argv) {
  const int hosts = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int jobs = argc > 2 ? std::atoi(argv[2]) : 30;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  with_issue8_fields = !(argc > 4 && std::string_view(argv[4]) == "plain");
  constexpr std::size_t batch = 256; // WriterOptions::batch_hosts
  std::vector<HostRecord> records;
  for (int i = 0; i < hosts; ++i) {
    records.push_back(synthetic_host(i, jobs));
  }
  fmt::print("catalog_record: {} hosts x {} jobs{}, batches of {}, {} rounds (fresh catalog "
             "each)\n",
             hosts, jobs, with_issue8_fields ? " with verdicts and programs" : "", batch, rounds);
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("digger-bench-record-{}", ::getpid());
  for (int round = 0; round < rounds; ++round) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    Catalog catalog = Catalog::open((dir / "bench.db").string());
    const std::int64_t scan = catalog.begin_scan({"bench.txt", "{}", hosts, "bench"});
    const auto wall_start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    for (std::size_t first = 0; first < records.size(); first += batch) {
      const std::size_t count = std::min(batch, records.size() - first);
      catalog.record_hosts(scan, std::span<const HostRecord>(records.data() + first, count));
    }
    const double cpu = thread_cpu_seconds() - cpu_start;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    catalog.finish_scan(scan, ScanStatus::complete);
    fmt::print("  round {}: wall {:.3f} s = {:6.0f} hosts/s   CPU {:.3f} s = {:6.0f} hosts per "
               "CPU-second\n",
               round + 1, wall, hosts / wall, cpu, hosts / cpu);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
