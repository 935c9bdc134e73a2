#pragma once

// supervisord's value types (supervisor/datatypes.py) and its `%(name)s` expansion
// (supervisor/options.py expand(): Python's `str % dict`), for values read by supervisor_ini.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace digger::units {

// The names an expansion may use, with their values (text or integer: `%(process_num)02d`
// needs an integer; monostate: a name supervisord knows whose value a scan does not). A name
// absent from the table is unknown to supervisord (an error), except ENV_*: supervisord's own
// environment, which a scan cannot know. Both are left as written and reported.
using ExpansionValue = std::variant<std::monostate, std::string, std::int64_t>;
using ExpansionTable = std::map<std::string, ExpansionValue, std::less<>>;

struct Expanded {
  std::string text;                    // unresolved ENV_* references kept as written
  std::vector<std::string> unresolved; // names that cannot be known statically ("ENV_HOME")
  std::string error;                   // Python's complaint; supervisord then refuses to start
};

// `text % table` with Python's printf-style rules: `%%`, `%(name)` + flags, width, precision,
// length modifier (ignored) and conversion (s r a d i u o x X e E f F g G c); a bad conversion
// character ("unsupported format character 't' (0x74) at index 5", supervisor issue 980), an
// incomplete format, or a type mismatch is an error. Never throws; linear.
Expanded expand_percent(std::string_view text, const ExpansionTable& table);

// datatypes.boolean: true/yes/on/1, false/no/off/0, any case.
std::optional<bool> supervisor_boolean(std::string_view text);
// datatypes.integer (Python int()): optional sign, digits with single '_' between them,
// surrounding whitespace.
std::optional<std::int64_t> supervisor_integer(std::string_view text);
// datatypes.auto_restart: "false", "unexpected" or "true" as supervisord reads them; nullopt
// for anything else.
std::optional<std::string> supervisor_autorestart(std::string_view text);
// datatypes.list_of_strings: comma-separated, each part stripped, empty parts dropped.
std::vector<std::string> supervisor_list(std::string_view text);
// datatypes.process_or_group_name: stripped; an error naming the character for ' ', ':' or '/'.
std::pair<std::string, std::string> supervisor_name(std::string_view text);

// datatypes.dict_of_key_value_pairs: `KEY="val",KEY2=val2` tokenised by a non-POSIX shlex
// (word characters plus /.+-():, quoted strings kept whole, `#` starts a comment), then read as
// KEY = VALUE groups separated by any one token; quotes stripped from the value. The values are
// returned in order of appearance (a repeated key keeps its last value and first position);
// callers redact them before storing anything.
struct KeyValues {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string error; // "Unexpected end of key/value pairs ..." or "No closing quotation"
};
KeyValues supervisor_key_values(std::string_view text);

} // namespace digger::units
