#pragma once

#include "digger/crontab/schedule.hpp"

#include <string>
#include <string_view>

namespace digger::judge {

// The command as the fingerprint sees it: runs of unquoted blanks become one space and the
// ends are trimmed; quoted text (and what an unterminated quote leaves) is kept byte for byte.
std::string collapse_command_blanks(std::string_view command);

// A stable 16-hex-digit id for a job: the first 64 bits of SHA-256 over the owner, the
// schedule's normal form and the collapsed command. It has no host in it, so the same job
// on many hosts shares the id, and spellings that fire identically (`@weekly` and
// `0 0 * * 0`) give the same id. Not a secret and not collision-proof against an attacker.
std::string job_fingerprint(std::string_view owner, const crontab::Schedule& schedule,
                            std::string_view command);

} // namespace digger::judge
