// libFuzzer target: any byte string must be classified without crashing, hanging or
// tripping a sanitizer, and the answer must respect the documented invariants.
#include "digger/command/command.hpp"
#include "digger/command/shell_commands.hpp"
#include "digger/command/shell_words.hpp"
#include "digger/judge/fingerprint.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void require(bool condition) {
  if (!condition) {
    std::abort(); // libFuzzer reports the input that broke an invariant
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const digger::command::ShellWords words = digger::command::split_shell_words(text);
  const digger::command::CommandList list = digger::command::split_commands(words.tokens);
  require(list.commands.size() <= words.tokens.size());

  const digger::command::CommandAnalysis a = digger::command::analyze_command(text);
  require(a.chain >= 0);
  require(!a.language_name().empty());
  // The shell refuses a line with an open quote: the analysis must say the line is broken.
  require(words.complete || !a.complete);
  require(words.complete || a.language == digger::command::Language::unknown ||
          a.evidence.find("broken:") != std::string::npos);
  require(!a.program.empty() || a.language == digger::command::Language::unknown);

  const std::string collapsed = digger::judge::collapse_command_blanks(text);
  require(collapsed.size() <= text.size());
  require(digger::judge::collapse_command_blanks(collapsed) == collapsed);
  return 0;
}
