#pragma once

// Internal to units: the process sections of a supervisord configuration already read into one
// document (supervisor_config.cpp reads the files, supervisor_programs.cpp the sections).

#include "digger/units/supervisor_config.hpp"
#include "digger/units/supervisor_values.hpp"

#include <span>
#include <string>
#include <string_view>

namespace digger::units {

// os.path.dirname, "/" for a file at the root.
std::string directory_of(std::string_view path);

// `here` and `host_node_name` (monostate when unknown): what every expansion starts from.
ExpansionTable supervisor_base_table(std::string_view here, std::string_view host_node_name);

// Fills config.programs from the [group:], [program:], [eventlistener:] and [fcgi-program:]
// sections of `doc` (`files`: the paths of its file indexes), in supervisord's order, and sets
// config.rejected to the first refusal.
void read_programs(const IniDocument& doc, std::span<const std::string> files,
                   std::string_view host_node_name, SupervisorConfig& config);

} // namespace digger::units
