#include "stored_text.hpp"

#include <nlohmann/json.hpp>

namespace digger::catalog {

std::map<std::string, std::string> parse_labels(const std::string& json_text) {
  std::map<std::string, std::string> labels;
  const auto parsed = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    return labels;
  }
  for (const auto& [key, value] : parsed.items()) {
    labels[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return labels;
}

std::vector<std::string> split_lines(const std::string& joined) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = joined.find('\n', start);
    end = end == std::string::npos ? joined.size() : end;
    lines.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

} // namespace digger::catalog
