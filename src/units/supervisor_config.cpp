// supervisord's start-up reading of its configuration: ServerOptions.read_config (includes)
// and process_groups_from_parser / processes_from_section (supervisor/options.py).
#include "digger/units/supervisor_config.hpp"

#include "digger/units/supervisor_values.hpp"
#include "digger/util/glob.hpp"
#include "digger/util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "supervisor_programs.hpp"

namespace digger::units {

std::string directory_of(std::string_view path) {
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    return ".";
  }
  return slash == 0 ? std::string("/") : std::string(path.substr(0, slash));
}

namespace {

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const auto part = path.substr(0, slash);
    if (!part.empty()) {
      out.push_back(part);
    }
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return out;
}

// os.path.join(base, pattern), then '.' and '..' folded (the collector lists normalised paths).
std::string absolute_pattern(std::string_view base, std::string_view pattern) {
  const std::string joined = pattern.starts_with('/')
                                 ? std::string(pattern)
                                 : std::string(base) + "/" + std::string(pattern);
  std::vector<std::string_view> parts;
  for (auto part : components(joined)) {
    if (part == "..") {
      if (!parts.empty()) {
        parts.pop_back();
      }
    } else if (part != ".") {
      parts.push_back(part);
    }
  }
  std::string out;
  for (auto part : parts) {
    out += "/";
    out += part;
  }
  return out.empty() ? "/" : out;
}

bool valid_utf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const auto length = util::utf8_sequence_length(text, at);
    if (length == 0) {
      return false;
    }
    at += length;
  }
  return true;
}

std::vector<std::string> split_blanks(std::string_view text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto start = text.find_first_not_of(" \t\r\n\f\v", at);
    if (start == std::string_view::npos) {
      break;
    }
    const auto end = text.find_first_of(" \t\r\n\f\v", start);
    out.emplace_back(text.substr(start, end - start));
    at = end == std::string_view::npos ? text.size() : end;
  }
  return out;
}

// One parse of the whole configuration: the document, the files read, the first refusal.
class ConfigReader {
public:
  ConfigReader(const SupervisorFile& main, std::span<const SupervisorFile> candidates,
               std::string_view host_node_name)
      : main_(main), candidates_(candidates), host_(host_node_name) {}

  SupervisorConfig run() {
    if (read_file(main_) && read_includes() && has_supervisord_section()) {
      config_.daemon_user = value_of("supervisord", "user").value_or("");
      const auto logfile = value_of("supervisord", "logfile").value_or("");
      config_.logfile = logfile.starts_with('/') ? absolute_pattern("/", logfile) : "";
      read_processes();
    }
    return std::move(config_);
  }

private:
  bool refuse(std::string reason) {
    if (config_.rejected.empty()) {
      config_.rejected = std::move(reason);
    }
    return false;
  }

  bool read_file(const SupervisorFile& file) {
    config_.files_read.emplace_back(file.path);
    if (!valid_utf8(file.text)) {
      return refuse(fmt::format("{}: not valid UTF-8 (Python cannot decode it)", file.path));
    }
    const std::size_t before = doc_.errors.size();
    read_ini_file(doc_, file.text, static_cast<int>(config_.files_read.size() - 1));
    if (doc_.errors.size() != before) {
      return refuse(fmt::format("{} {}", file.path, doc_.errors[before]));
    }
    return true;
  }

  ExpansionTable base_table(std::string_view here) const {
    return supervisor_base_table(here, host_);
  }

  bool read_includes() {
    if (doc_.section("include") == nullptr) {
      return true;
    }
    const IniOption* files = doc_.option("include", "files");
    if (files == nullptr) {
      return refuse(".ini file has [include] section, but no files setting");
    }
    const std::string base = directory_of(main_.path);
    auto expanded = expand_percent(files->value, base_table(base));
    if (!expanded.error.empty()) {
      return refuse(
          fmt::format("Format string for 'include.files' is badly formatted: {}", expanded.error));
    }
    for (const auto& raw : split_blanks(expanded.text)) {
      const auto pattern = absolute_pattern(base, raw);
      std::vector<const SupervisorFile*> matches;
      for (const auto& candidate : candidates_) {
        if (supervisor_glob_match(candidate.path, pattern)) {
          matches.push_back(&candidate);
        }
      }
      std::sort(matches.begin(), matches.end(),
                [](const auto* a, const auto* b) { return a->path < b->path; });
      matches.erase(std::unique(matches.begin(), matches.end(),
                                [](const auto* a, const auto* b) { return a->path == b->path; }),
                    matches.end());
      if (matches.empty()) {
        config_.warnings.push_back(fmt::format("No file matches via include \"{}\"", pattern));
      }
      for (const auto* match : matches) {
        if (!read_file(*match)) {
          return false;
        }
      }
    }
    return true;
  }

  bool has_supervisord_section() {
    return doc_.section("supervisord") != nullptr ||
           refuse(".ini file does not include supervisord section");
  }

  // An option of [supervisord], expanded with `here` and `host_node_name`.
  std::optional<std::string> value_of(std::string_view section, std::string_view name) {
    const IniOption* option = doc_.option(section, name);
    if (option == nullptr) {
      return std::nullopt;
    }
    return expand_percent(option->value, base_table(file_dir(option->file))).text;
  }

  std::string file_dir(int file) const {
    return directory_of(config_.files_read.at(static_cast<std::size_t>(file)));
  }

  void read_processes() { read_programs(doc_, config_.files_read, host_, config_); }

  const SupervisorFile& main_;
  std::span<const SupervisorFile> candidates_;
  std::string_view host_;
  IniDocument doc_;
  SupervisorConfig config_;
};

} // namespace

SupervisorConfig read_supervisor_config(const SupervisorFile& main,
                                        std::span<const SupervisorFile> candidates,
                                        std::string_view host_node_name) {
  return ConfigReader(main, candidates, host_node_name).run();
}

ExpansionTable supervisor_base_table(std::string_view here, std::string_view host_node_name) {
  ExpansionTable table{{"here", std::string(here)}};
  table["host_node_name"] =
      host_node_name.empty() ? ExpansionValue{} : ExpansionValue{std::string(host_node_name)};
  return table;
}

bool supervisor_glob_match(std::string_view path, std::string_view pattern) {
  const auto names = components(path);
  const auto globs = components(pattern);
  if (names.size() != globs.size()) {
    return false;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    const bool magic = globs[i].find_first_of("*?[") != std::string_view::npos;
    if (!magic) {
      if (names[i] != globs[i]) {
        return false;
      }
      continue;
    }
    // glob.glob leaves out names starting with '.' unless the pattern's part does too.
    if (names[i].starts_with('.') && !globs[i].starts_with('.')) {
      return false;
    }
    if (!util::glob_match(names[i], globs[i], util::GlobSyntax::fnmatch)) {
      return false;
    }
  }
  return true;
}

} // namespace digger::units
