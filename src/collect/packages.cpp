#include "digger/collect/packages.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace digger::collect {
namespace {

constexpr std::string_view dpkg_info = "/var/lib/dpkg/info/";

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      nl = text.size();
    }
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

bool package_owned_kind(SourceKind kind) {
  return kind != SourceKind::user_crontab;
}

// "libc6:amd64" -> "libc6": the architecture is not part of the package's name.
std::string package_name(std::string_view qualified) {
  return std::string(qualified.substr(0, qualified.find(':')));
}

bool plausible_package(std::string_view name) {
  return !name.empty() && name.size() <= 256 && std::none_of(name.begin(), name.end(), [](char c) {
    return c == ' ' || c == '/' || c == '\t' || static_cast<unsigned char>(c) < 0x20;
  });
}

} // namespace

std::vector<PackageOwner> dpkg_owners(std::string_view grep_output,
                                      const std::vector<CronSource>& sources) {
  std::set<std::string_view> collected;
  for (const auto& source : sources) {
    if (package_owned_kind(source.kind)) {
      collected.insert(source.path);
    }
  }
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<PackageOwner> owners;
  for (auto line : lines_of(grep_output)) {
    if (!line.starts_with(dpkg_info)) {
      continue;
    }
    // The package name cannot hold '/', so the first ".list:/" ends it.
    auto end = line.find(".list:/", dpkg_info.size());
    if (end == std::string_view::npos) {
      continue;
    }
    auto package = package_name(line.substr(dpkg_info.size(), end - dpkg_info.size()));
    auto listed = line.substr(end + 6);
    std::string path(listed);
    if (!collected.contains(listed)) {
      path = "/usr" + path; // merged /usr: dpkg says /lib/..., the collector read /usr/lib/...
      if (!collected.contains(path)) {
        continue;
      }
    }
    if (!plausible_package(package) || !seen.emplace(path, package).second) {
      continue;
    }
    owners.push_back({std::move(path), std::move(package)});
  }
  return owners;
}

std::vector<PackageOwner> rpm_owners(std::string_view rpm_output,
                                     const std::vector<CronSource>& sources) {
  std::vector<std::string_view> asked;
  for (const auto& source : sources) {
    if (package_owned_kind(source.kind) && source.path.find('\n') == std::string::npos) {
      asked.push_back(source.path);
    }
  }
  auto lines = lines_of(rpm_output);
  std::vector<PackageOwner> owners;
  if (lines.size() != asked.size()) {
    return owners;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].starts_with("file ") && lines[i].ends_with(" is not owned by any package")) {
      continue;
    }
    if (plausible_package(lines[i])) {
      owners.push_back({std::string(asked[i]), std::string(lines[i])});
    }
  }
  return owners;
}

} // namespace digger::collect
