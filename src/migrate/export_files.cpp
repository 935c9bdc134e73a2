#include "digger/migrate/export_files.hpp"

#include "digger/migrate/target_spec.hpp"

#include <fmt/format.h>

#include <set>

namespace digger::migrate {
namespace {

using json = nlohmann::ordered_json;

bool is_safe_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Paths are unique already (definition names are unique per target); a clash after
// sanitizing still must not overwrite a file, so it gets a "-2", "-3"... stem.
std::string unique_path(const std::string& directory, const std::string& stem,
                        const std::string& suffix, std::set<std::string>& taken) {
  std::string path = directory + stem + suffix;
  for (int n = 2; taken.count(path) != 0; ++n) {
    path = fmt::format("{}{}-{}{}", directory, stem, n, suffix);
  }
  taken.insert(path);
  return path;
}

} // namespace

std::string content_text(const Definition& definition) {
  return definition.content.is_string() ? definition.content.get<std::string>()
                                        : json_text(definition.content);
}

void add_definition_files(const ExportPlan& plan, ExportFiles& out,
                          Placement (*place)(const Definition& definition)) {
  std::set<std::string> taken;
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    for (const auto& definition : plan.jobs[i].conversion.definitions) {
      Placement placement = place(definition);
      const std::string path =
          unique_path(std::string(placement.directory), safe_path_component(definition.name),
                      std::string(placement.suffix), taken) +
          std::string(placement.tail);
      out.locations[i].push_back(path);
      out.files.push_back({path, std::move(placement.content)});
    }
  }
}

std::string safe_path_component(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 200)) {
    out += is_safe_char(c) ? c : '-';
  }
  if (out.empty()) {
    return "job";
  }
  if (out.front() == '.') {
    out.front() = '_'; // no hidden files, no "." or ".."
  }
  return out;
}

bool is_safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos ||
      path.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return false;
    }
    start = end + 1;
  }
  return true;
}

std::string json_text(const nlohmann::ordered_json& value) {
  return value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

ExportFiles export_files(const ExportPlan& plan) {
  ExportFiles out;
  out.locations.resize(plan.jobs.size());
  plan.target->layout(plan, out);
  return out;
}

} // namespace digger::migrate
