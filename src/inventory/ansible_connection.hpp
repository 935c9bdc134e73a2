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

// Python's shlex.split (POSIX mode), as Ansible splits host lines (comments = true) and
// ansible_ssh_*_args (comments = false).
util::Result<std::vector<std::string>> shlex_split(std::string_view text, bool comments);

} // namespace digger::inventory
