#pragma once

#include "digger/secrets/secrets.hpp"
#include "digger/util/ascii.hpp"

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

// Internal to src/cron/secrets*.cpp: the shape of a command as the redactor reads it.
namespace digger::secrets::detail {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

// Bytes [begin, end) of the text are replaced by "***".
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  const char* kind = "";
};

struct Word {
  std::size_t begin = 0;
  std::size_t end = 0;
  int command = 0; // simple commands are split at ; & | ( ) and newlines
};

// Shell words with byte positions, and for every byte the word and quoted region it is in.
// Quotes and backslashes follow POSIX sh; $(...) and `...` stay inside their word.
struct ShellMap {
  std::vector<Word> words;
  std::vector<int> word_of;             // per byte: index into words, -1 outside any word
  std::vector<std::size_t> quote_close; // per byte inside quotes: the closing quote (or size)
  std::vector<std::size_t> quote_open;  // per byte inside quotes: the opening quote
  std::vector<std::pair<std::size_t, std::size_t>> quoted; // [open, close] of each region
};

ShellMap map_shell(std::string_view text);

// Adds `[begin, end)` as a secret value: quotes around the whole value are kept, empty
// values and pure variable or command substitutions are skipped. Returns whether it added.
bool add_value(std::string_view text, std::size_t begin, std::size_t end, const char* kind,
               std::vector<Span>& spans);

// The index just after the closing quote matching the quote at `open`, or npos.
std::size_t quote_end(std::string_view text, std::size_t open);

// Word-level rules (program options such as mysql -pX, curl -u u:p, --password VALUE),
// applied to `text` and, up to `depth` levels, to quoted strings that hold a command.
// Spans are pushed with `offset` added (the position of `text` in the outermost text).
void scan_words(std::string_view text, const ShellMap& map, std::size_t offset, int depth,
                std::vector<Span>& spans);

// Whole-text rules: NAME=value, --opt=value, URL credentials and query parameters,
// "Authorization: ..." and other secret headers, known token formats.
void scan_text(std::string_view text, const ShellMap& map, std::vector<Span>& spans);

// Input a program reads as a secret: `echo PW | sudo -S`, `sudo -S cmd <<< PW`
// (secrets_stdin.cpp).
void stdin_secrets(std::string_view text, const ShellMap& map, std::vector<Span>& spans);
// Whether one of `words` is a program that reads a password from its standard input.
bool reads_stdin_secret(std::string_view text, const std::vector<Word>& words);

// Every rule above over `text`, and the text with the spans replaced by "***".
std::vector<Span> find_spans(std::string_view text);
Redaction apply_spans(std::string_view text, std::vector<Span> spans);

// is_secret_name for an option name (dashes already removed): "no-password" and
// "ask-password" do not take a secret; a bare "key" is usually a file or a lookup key.
bool is_secret_option(std::string_view name);

using util::iequals;
using util::lower;

} // namespace digger::secrets::detail
