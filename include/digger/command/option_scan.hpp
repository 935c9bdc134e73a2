#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace digger::command {

// Which options of a program take a value, so that a scanner can step over them the way
// getopt would without knowing what they mean.
struct OptionSpec {
  std::string_view short_with_value;             // "-u USER", "-uUSER"
  std::string_view short_with_attached_value;    // "-I/lib" only: the rest of the cluster
  std::vector<std::string_view> long_with_value; // "--user USER", "--user=USER"
};

struct ScannedOption {
  std::string name;  // "u" for -u, "user" for --user
  std::string value; // empty for flags
  bool is_long = false;
};

// Walks the options at the front of an argument list, stopping (like getopt with '+') at
// the first word that is not an option. "--" is consumed and ends the options; a lone "-"
// is not an option.
class OptionScanner {
public:
  OptionScanner(const std::vector<std::string>& args, std::size_t start, OptionSpec spec);

  std::optional<ScannedOption> next();
  std::size_t position() const { return pos_; } // first word after the options seen so far

private:
  std::optional<ScannedOption> next_in_cluster();

  const std::vector<std::string>& args_;
  std::size_t pos_;
  OptionSpec spec_;
  std::size_t cluster_ = 0; // index inside a "-abc" cluster, 0 when not inside one
  bool done_ = false;
};

} // namespace digger::command
