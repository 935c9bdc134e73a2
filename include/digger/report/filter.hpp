#pragma once

// The --filter language of `digger-scan report` (docs/reports.md#filter):
//   EXPR  := TERM (blank TERM)*          every term must match (AND)
//   TERM  := KEY '=' VALUE               equal
//          | KEY '!=' VALUE              not equal
//          | KEY '~' VALUE               VALUE occurs in the field (case-sensitive)
//   KEY   := host | owner | language | status | command | target | file | fingerprint
//          | verdict | managed_by | flag | kind | evidence | label:NAME
// verdict: hidden, managed, migrated or "" (not decided); kind: the source kind (user, system,
// cron.d, anacrontab, run-parts, timer); flag=X: one of the job's flags is X (flag!=X: none is);
// evidence: does it run (running, ambiguous, no-evidence, log-unreadable, "" not judged).
// A VALUE runs to the next blank; quote it with "..." or '...' to hold blanks. Host terms
// (host, status, label:NAME) also choose which hosts the report lists.

#include "digger/report/snapshot.hpp"
#include "digger/util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace digger::report {

struct FilterTerm {
  enum class Op { equals, not_equals, contains };
  std::string key; // "host", "label:env", ...
  Op op = Op::equals;
  std::string value;
  bool about_host() const; // host, status or label:NAME
  friend bool operator==(const FilterTerm&, const FilterTerm&) = default;
};

struct Filter {
  std::vector<FilterTerm> terms; // empty = everything
  bool matches_host(const HostRow& host) const;
  bool matches_job(const JobRow& job, const HostRow& host) const;
  // A verdict or managed_by term: the user asked about verdicts, so managed jobs are listed
  // when they match instead of being counted out of the way.
  bool chooses_verdict() const;
};

util::Result<Filter> parse_filter(std::string_view expression);

} // namespace digger::report
