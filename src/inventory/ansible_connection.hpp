#pragma once

// Internal: Ansible connection variables of one host to an InventoryEntry.
#include "digger/inventory/ansible.hpp"

#include <set>

namespace digger::inventory {

struct ConnectionNotes {
  std::vector<std::string> warnings;
  std::set<std::string> warned; // keys already warned about: once per key per file
};

// The host's merged variables to its entry; nothing (with a warning) for a host Ansible would
// not reach over SSH (ansible_connection=local, winrm, ...). Errors name the variable's line.
util::Result<std::optional<InventoryEntry>>
connection_entry(const AnsibleHost& host, const std::map<std::string, const AnsibleValue*>& vars,
                 ConnectionNotes& notes);

} // namespace digger::inventory
