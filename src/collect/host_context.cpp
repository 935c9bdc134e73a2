#include "digger/collect/host_context.hpp"

namespace digger::collect {

std::string_view HostContext::package_of(std::string_view path) const {
  auto it = packages.find(path);
  return it == packages.end() ? std::string_view{} : std::string_view{it->second};
}

const command::ProgramFacts* HostContext::program(std::string_view path) const {
  auto it = programs.find(path);
  return it == programs.end() ? nullptr : it->second;
}

const command::ProgramFacts* HostContext::app_source(std::string_view path) const {
  auto it = app_sources.find(path);
  return it == app_sources.end() ? nullptr : it->second;
}

bool HostContext::unit_enabled(std::string_view unit_name) const {
  return enabled_units.contains(unit_name);
}

HostContext host_context(const HostSnapshot& snapshot, std::string_view host,
                         const judge::Registry* registry) {
  HostContext context;
  context.host = std::string(host);
  context.daemon = snapshot.facts.cron_daemon;
  context.registry = registry;
  for (const auto& owner : snapshot.package_owners) {
    context.packages.emplace(owner.path, owner.package);
  }
  for (const auto& program : snapshot.programs) {
    context.programs.emplace(program.path, &program);
  }
  for (const auto& file : snapshot.app_sources) {
    context.app_sources.emplace(file.path, &file);
  }
  for (const auto& unit : snapshot.enabled_units) {
    auto slash = unit.link_path.rfind('/');
    context.enabled_units.insert(unit.link_path.substr(slash == std::string::npos ? 0 : slash + 1));
  }
  note_supervisor_runtime(snapshot, context);
  return context;
}

} // namespace digger::collect
