#pragma once

#include <string>
#include <string_view>

namespace digger::collect {

// What a Go binary says about itself in its build info (the ".go.buildinfo" blob that starts
// with the magic "\xff Go buildinf:"; Go's debug/buildinfo reads the same bytes).
struct GoBuildInfo {
  bool found = false;          // the blob starts with the magic and a sane header
  bool inline_strings = false; // Go >= 1.18: version and module info follow the header
  std::string version;         // "go1.19.8"; "" when unknown
  std::string main_path;       // the "path" line: the main package ("example.com/settle/cmd/x")
  std::string main_module;     // the "mod" line: the main module ("example.com/settle")
  std::string note;            // why something is unknown, in words
};

// Pure; any bytes in (the blob may be cut anywhere), never throws, never reads past the end.
// Go < 1.18 stores pointers into the data segment instead of inline strings: the binary is
// still known to be Go, but its version is reported unknown (note says so).
GoBuildInfo parse_go_build_info(std::string_view blob);

inline constexpr std::string_view go_build_info_magic = "\xff Go buildinf:";

} // namespace digger::collect
