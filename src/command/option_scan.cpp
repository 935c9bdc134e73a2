#include "digger/command/option_scan.hpp"

#include <algorithm>
#include <utility>

namespace digger::command {

OptionScanner::OptionScanner(const std::vector<std::string>& args, std::size_t start,
                             OptionSpec spec)
    : args_(args), pos_(start), spec_(std::move(spec)) {}

std::optional<ScannedOption> OptionScanner::next() {
  if (cluster_ != 0) {
    return next_in_cluster();
  }
  if (done_ || pos_ >= args_.size()) {
    return std::nullopt;
  }
  const std::string& word = args_[pos_];
  if (word == "--") {
    ++pos_;
    done_ = true;
    return std::nullopt;
  }
  if (word.size() < 2 || word[0] != '-') {
    done_ = true;
    return std::nullopt;
  }
  if (word[1] != '-') {
    cluster_ = 1;
    return next_in_cluster();
  }
  ScannedOption option;
  option.is_long = true;
  const std::size_t eq = word.find('=');
  option.name = word.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
  ++pos_;
  if (eq != std::string::npos) {
    option.value = word.substr(eq + 1);
  } else if (std::find(spec_.long_with_value.begin(), spec_.long_with_value.end(), option.name) !=
                 spec_.long_with_value.end() &&
             pos_ < args_.size()) {
    option.value = args_[pos_++];
  }
  return option;
}

std::optional<ScannedOption> OptionScanner::next_in_cluster() {
  const std::string& word = args_[pos_];
  const char letter = word[cluster_];
  ScannedOption option;
  option.name = std::string(1, letter);
  const bool takes_value = spec_.short_with_value.find(letter) != std::string_view::npos;
  const bool takes_attached =
      spec_.short_with_attached_value.find(letter) != std::string_view::npos;
  const bool last = cluster_ + 1 >= word.size();
  if (takes_value || takes_attached) {
    option.value = word.substr(cluster_ + 1);
    cluster_ = 0;
    ++pos_;
    if (takes_value && last && pos_ < args_.size()) {
      option.value = args_[pos_++];
    }
    return option;
  }
  if (last) {
    cluster_ = 0;
    ++pos_;
  } else {
    ++cluster_;
  }
  return option;
}

} // namespace digger::command
