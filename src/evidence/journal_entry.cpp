// journalctl -o json objects (systemd.journal-fields(7)): one JSON object per line. A field
// that is not valid UTF-8 is written as an array of byte values instead of a string.
#include "digger/evidence/log_line.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

#include "civil_time.hpp"

namespace digger::evidence {

namespace {

using Json = nlohmann::json;

std::optional<std::string> field_text(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) {
    return std::nullopt;
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  if (!it->is_array()) {
    return std::nullopt;
  }
  std::string bytes;
  for (const auto& value : *it) {
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > 255) {
      return std::nullopt;
    }
    bytes.push_back(static_cast<char>(value.get<std::uint64_t>()));
  }
  return bytes;
}

std::optional<std::int64_t> field_number(const Json& object, const char* name) {
  const auto text = field_text(object, name);
  std::int64_t value = 0;
  if (!text || text->empty() || text->size() > 18) {
    return std::nullopt;
  }
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc{} || end != text->data() + text->size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

} // namespace

std::optional<LogEvent> parse_journal_json(std::string_view line, const FileClock& clock) {
  // No exceptions: a malformed object is "not a cron line", like any other unknown line.
  const Json object = Json::parse(line, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return std::nullopt;
  }
  const auto message = field_text(object, "MESSAGE");
  const auto ident = field_text(object, "SYSLOG_IDENTIFIER");
  const auto micros = field_number(object, "__REALTIME_TIMESTAMP");
  if (!message || !ident || !micros) {
    return std::nullopt;
  }
  auto event = parse_cron_message(*ident, *message);
  if (!event) {
    return std::nullopt;
  }
  event->pid = field_number(object, "SYSLOG_PID");
  if (!event->pid) {
    event->pid = field_number(object, "_PID");
  }
  event->epoch = *micros / 1000000;
  if (clock.utc_offset_seconds) {
    event->local = civil_from_epoch(*event->epoch + *clock.utc_offset_seconds);
  }
  return event;
}

} // namespace digger::evidence
