// Any bytes as an at job file (its first 14 bytes also as the file name), through the pure
// parser and the collect reader: no crash, no leak, no hang, and the invariants hold (the
// commands are lines of the file after its cd block, never the environment before it).

#include "digger/collect/host_context.hpp"
#include "digger/collect/pipeline.hpp"
#include "digger/collect/readers.hpp"
#include "digger/units/at_job.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_parser(std::string_view text) {
  const auto script = digger::units::parse_at_job(text);
  check((script.first_line == 0) == script.commands.empty());
  if (script.first_line > 0) {
    check(text.find(script.commands) != std::string_view::npos);
    check(script.commands.front() != '\n' && script.commands.back() != '\n');
  }
  check(script.heredoc || script.heredoc_closed);
  const auto name = digger::units::parse_at_job_name(text.substr(0, 14));
  if (name) {
    check(name->run_time >= 0 && name->run_time % 60 == 0);
    check(!digger::units::utc_iso8601(name->run_time).empty());
    (void)digger::units::at_skip_reason(*name, script, 0700, 0);
  }
}

void check_reader(std::string_view text) {
  using namespace digger::collect;
  CronSource source;
  source.kind = SourceKind::at_job;
  source.path = "/var/spool/at/" + std::string(text.substr(0, 14));
  source.content = std::string(text);
  source.mode = 0700;
  source.uid = 0;
  source.file_owner = "root";
  const std::vector<CronSource> sources{source};
  const HostContext host{};
  Expansions expansions;
  const ReadContext context{sources, host, expansions};
  auto read = read_at(source, context);
  check(read.jobs.size() <= 1);
  for (auto& job : read.jobs) {
    enrich(job);
    check(job.row.kind == "job");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_parser(text);
  check_reader(text);
  return 0;
}
