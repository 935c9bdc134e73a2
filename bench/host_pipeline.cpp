// The client's per-host work between the SSH session and the catalog writer, as the scan does
// it: decode the collector's output and plan the inspection (on the worker, when the first
// command ends), then decode the inspection and build the host's record. Hosts are synthetic:
// a Debian-like host with /etc/crontab, an anacrontab, run-parts files, cron.d files, user
// crontabs and timers (default 40 jobs). Prints CPU ms per host (this thread's CPU time).
//   bench_host_pipeline [hosts] [rounds]
// Prints figures; never fails on speed.

#include "digger/collect/host_record.hpp"
#include "digger/collect/inspect.hpp"
#include "digger/collect/scan.hpp"
#include "digger/collect/script.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

using namespace digger;

namespace {

double thread_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

struct Framer {
  std::string out{collect::start_marker};
  void record(std::string_view type, std::initializer_list<std::string_view> fields) {
    out += fmt::format("{} {}\n", type, fields.size());
    for (auto f : fields) {
      out += fmt::format("{}\n{}\n", f.size(), f);
    }
  }
  void file(std::string_view kind, std::string_view path, std::string_view owner,
            std::string_view mode, const std::string& content) {
    const std::string size = std::to_string(content.size());
    record("FILE",
           {kind, path, owner == "root" ? "0" : "1000", owner, mode, size, "1700000000", content});
  }
};

std::string collector_output() {
  Framer f;
  f.record("FACT", {"hostname", "web-01"});
  f.record("FACT", {"os_release", "ID=debian\nVERSION_ID=\"12\"\n"});
  f.record("FACT", {"daemon_cron", "/usr/sbin/cron"});
  f.file("system", "/etc/crontab", "root", "644",
         "SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
         "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n"
         "25 6 * * * root test -x /usr/sbin/anacron || ( cd / && run-parts --report "
         "/etc/cron.daily )\n"
         "47 6 * * 7 root test -x /usr/sbin/anacron || ( cd / && run-parts --report "
         "/etc/cron.weekly )\n");
  f.file("anacrontab", "/etc/anacrontab", "root", "644",
         "SHELL=/bin/sh\nHOME=/root\n1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n"
         "7\t10\tcron.weekly\trun-parts --report /etc/cron.weekly\n");
  for (auto name : {"logrotate", "man-db", "dpkg", "apt-compat", "sysstat"}) {
    f.file("run-parts", fmt::format("/etc/cron.daily/{}", name), "root", "755",
           "#!/bin/sh\n# a daily job\ntest -x /usr/sbin/x || exit 0\n/usr/sbin/x --quiet\n");
  }
  for (int i = 0; i < 4; ++i) {
    std::string content = "# Ansible managed\nMAILTO=ops@example.com\n";
    for (int j = 0; j < 4; ++j) {
      content += fmt::format("#Ansible: job {}\n{} {} * * * app /usr/bin/php /srv/app{}/artisan "
                             "report:{} --env=prod >> /var/log/app{}.log 2>&1\n",
                             j, 5 * j, j + 1, i, j, i);
    }
    f.file("cron.d", fmt::format("/etc/cron.d/app{}", i), "root", "644", content);
  }
  for (int u = 0; u < 3; ++u) {
    std::string content;
    for (int j = 0; j < 5; ++j) {
      content +=
          fmt::format("*/{} * * * * cd /home/u{} && python3 -m tasks.job{} --fast\n", j + 2, u, j);
      content +=
          fmt::format("0 {} * * 1-5 /home/u{}/bin/export.sh -pS3cret{} > /dev/null\n", j, u, j);
    }
    f.file("user", fmt::format("/var/spool/cron/crontabs/u{}", u), fmt::format("u{}", u), "600",
           content);
  }
  for (auto name : {"backup", "sweep"}) {
    f.file("unit", fmt::format("/etc/systemd/system/{}.timer", name), "root", "644",
           "[Unit]\nDescription=x\n[Timer]\nOnCalendar=*-*-* 03:00\nPersistent=true\n");
    f.file("unit", fmt::format("/etc/systemd/system/{}.service", name), "root", "644",
           fmt::format("[Service]\nType=oneshot\nExecStart=/usr/local/bin/{} --all\n", name));
  }
  f.record("END", {"0"});
  return f.out;
}

} // namespace

int main(int argc, char** argv) {
  const int hosts = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  const std::string output = collector_output();
  inventory::ScanTarget target;
  target.name = "web-01";
  std::vector<double> per_host_ms;
  std::size_t entries = 0;
  for (int round = 0; round < rounds; ++round) {
    const double start = thread_cpu_seconds();
    for (int h = 0; h < hosts; ++h) {
      ssh::Outcome outcome;
      outcome.status = ssh::Status::ok;
      outcome.stdout_data = output;
      // What the scan's follow-up callback does when the collector ends.
      auto plan = collect::plan_host_inspection(outcome, {}, collect::default_max_lines_per_host,
                                                collect::targets_to_inspect);
      auto record = collect::host_record(target, std::move(outcome), &plan);
      entries = 0;
      for (const auto& source : record.sources) {
        entries += source.entries.size();
      }
    }
    per_host_ms.push_back((thread_cpu_seconds() - start) * 1000.0 / hosts);
  }
  std::sort(per_host_ms.begin(), per_host_ms.end());
  fmt::print("{} hosts x {} rounds, {} entries per host: client CPU per host {:.3f} ms (best), "
             "{:.3f} ms (median)\n",
             hosts, rounds, entries, per_host_ms.front(), per_host_ms[per_host_ms.size() / 2]);
  return 0;
}
