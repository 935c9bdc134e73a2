#pragma once

#include "digger/inventory/hosts_file.hpp"
#include "digger/util/result.hpp"

#include <string_view>
#include <vector>

namespace digger::inventory {

// Ansible's --limit: terms separated by ':' or ',' select groups or hosts (names or `*`/`?`
// globs; `all` is everything); `&term` intersects, `!term` excludes. As in Ansible, plain terms
// are applied first, then `&`, then `!`, whatever their order. Order of the entries is kept.
// An empty result is an error, as in Ansible ("no hosts matched").
util::Result<std::vector<InventoryEntry>> apply_limit(std::vector<InventoryEntry> entries,
                                                      std::string_view pattern);

} // namespace digger::inventory
