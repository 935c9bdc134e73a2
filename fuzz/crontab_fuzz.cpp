// Any bytes as a crontab, in every flavor: no crash, no leak, no hang, and the invariants
// the rest of Digger relies on hold.

#include "digger/crontab/crontab.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_invariants(std::string_view text, const digger::crontab::ParsedCrontab& parsed) {
  using digger::crontab::LineKind;
  std::size_t bytes = 0;
  int expected_number = 1;
  for (const auto& line : parsed.lines) {
    check(line.number == expected_number++);
    bytes += line.raw.size() + 1;
    const bool has_job = line.kind == LineKind::job || line.kind == LineKind::disabled_job;
    check(has_job == line.job.has_value());
    check((line.kind == LineKind::env) == line.env.has_value());
    check((line.kind == LineKind::invalid) == !line.error.empty());
    if (line.job) {
      check(line.job->command.size() <= line.raw.size());
    }
  }
  check(bytes == text.size() || bytes == text.size() + 1);
  check(parsed.loads_under_vixie || !parsed.load_notes.empty());
  check(parsed.loads_under_cronie || !parsed.load_notes.empty());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  digger::crontab::ParseOptions options;
  for (int variant = 0; variant < 3; ++variant) {
    options.flavor = variant == 1 ? digger::crontab::CrontabFlavor::system
                                  : digger::crontab::CrontabFlavor::user;
    options.privileged_owner = variant == 2;
    check_invariants(text, digger::crontab::parse_crontab(text, options));
  }
  return 0;
}
