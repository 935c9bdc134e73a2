#pragma once

// `digger-scan export`, pure part: the files an export writes, built in memory
// (docs/migration.md#file-layout). The CLI writes them under the output directory.

#include "digger/migrate/export_plan.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace digger::migrate {

struct OutputFile {
  std::string path; // relative, '/'-separated, checked by is_safe_relative_path
  std::string content;
};

struct ExportFiles {
  std::vector<OutputFile> files;
  // Where each definition landed, parallel to plan.jobs[i].conversion.definitions:
  // "systemd/NAME.timer", "k8s/NAME.yaml", "cloudformation.json#LogicalId", ...
  std::vector<std::vector<std::string>> locations;
};

// The target files of a plan (not the report), laid out by the target's spec: CloudFormation
// for the AWS targets, one Jenkinsfile per job, one Kubernetes manifest per job, a
// .timer/.service pair per job.
ExportFiles export_files(const ExportPlan& plan);

// Where one definition goes in a one-file-per-definition layout: DIRECTORY + the definition's
// name made safe (unique) + SUFFIX + TAIL, holding CONTENT.
struct Placement {
  std::string_view directory; // "k8s/"
  std::string_view suffix;    // ".yaml"; "" when the name already ends in one
  std::string_view tail;      // "/Jenkinsfile": one directory per definition
  std::string content;
};
void add_definition_files(const ExportPlan& plan, ExportFiles& out,
                          Placement (*place)(const Definition& definition));

// A definition's text: the string itself, or the JSON document.
std::string content_text(const Definition& definition);

// CloudFormation stacks hold at most 500 resources: a larger export is split into several
// templates (one job's resources always in one template).
inline constexpr std::size_t cloudformation_max_resources = 500;

// Appends the CloudFormation template(s) for the plan's AWS definitions and fills locations.
void add_cloudformation(const ExportPlan& plan, ExportFiles& out);

// One file or directory name from a definition name: ASCII letters, digits, '.', '_', '-'
// only (anything else becomes '-'), never empty, never starting with '.', at most 200 bytes.
// Names come from host-controlled text: this is what keeps "../" and "/" out of paths.
std::string safe_path_component(std::string_view name);

// A relative path of safe components: no leading '/', no "", "." or ".." component, no NUL or
// backslash. The writer refuses any other path.
bool is_safe_relative_path(std::string_view path);

// Block-style YAML for a JSON value: every string double-quoted with JSON escapes (which YAML
// reads the same), so no host text can change the document's structure.
std::string to_yaml(const nlohmann::ordered_json& value);

// JSON text for any bytes: invalid UTF-8 from a host is replaced, never a throw.
std::string json_text(const nlohmann::ordered_json& value);

} // namespace digger::migrate
