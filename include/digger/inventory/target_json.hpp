#pragma once

#include "digger/inventory/plan.hpp"

#include <string>

namespace digger::inventory {

// One line of `digger-scan --list-targets`: what Digger would connect to, and how (no secret:
// key file paths only). Keys: name, address, port, user, identity_files, identities_only,
// jump_hosts [{name, address, port, user, identity_files, known_hosts}], proxy_command,
// known_hosts, connect_timeout_ms, labels, source, become.
std::string target_json(const ScanTarget& target);

} // namespace digger::inventory
