// Remote crontabs are untrusted: any byte string must give an answer, in linear time,
// without deep recursion. Speed is measured by fuzz/bench, not asserted here.
#include "digger/command/command.hpp"
#include "digger/command/shell_words.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <string>

using namespace digger::command;

namespace {

const std::set<std::string_view> language_names = {
    "shell", "python", "php", "perl", "ruby", "javascript", "java", "go", "binary", "unknown"};

// Wraps `inner` in `sh -c '...'` with POSIX single-quote escaping.
std::string wrap_in_sh(const std::string& inner) {
  std::string quoted = "'";
  for (char c : inner) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return "sh -c " + quoted + "'";
}

} // namespace

TEST_CASE("empty and comment-only commands are unknown", "[cron][command][robust]") {
  for (const char* text : {"", "   ", "\t", "# just a comment", ";", "&&", "( )", "|"}) {
    CAPTURE(text);
    const CommandAnalysis a = analyze_command(text);
    CHECK(a.language == Language::unknown);
    CHECK(a.program.empty());
  }
  CHECK(analyze_command("").evidence == "empty command");
  CHECK(analyze_command("sh -c ''").evidence == "empty shell string");
}

TEST_CASE("unterminated quoting is flagged as broken", "[cron][command][robust]") {
  // cron cut `date +'%Y'` at the '%', leaving a quote open: the shell rejects the line.
  for (const char* text : {"/opt/a 'x", "/opt/a \"x", "/opt/a $(x", "/opt/a `x",
                           "sh -c '/opt/a \"x'"}) {
    CAPTURE(text);
    const CommandAnalysis a = analyze_command(text);
    CHECK(a.language == Language::binary);
    CHECK(a.evidence.find("broken: unterminated quote or substitution") != std::string::npos);
    CHECK_FALSE(a.complete);
  }
  const CommandAnalysis tar = analyze_command("tar czf /b/$(date +'");
  CHECK(tar.language == Language::shell);
  CHECK(tar.target == "tar");
  CHECK_FALSE(tar.complete);
  CHECK(analyze_command("'").language == Language::unknown);
}

TEST_CASE("distribution scripts are shell wherever they live", "[cron][command]") {
  for (const char* text : {"/usr/lib64/sa/sa1 1 1", "/usr/lib/php/sessionclean",
                           "/usr/sbin/raid-check", "command -v debian-sa1 > /dev/null && debian-sa1 1 1"}) {
    CAPTURE(text);
    const CommandAnalysis a = analyze_command(text);
    CHECK(a.language == Language::shell);
    CHECK(a.evidence.find("distribution shell script") != std::string::npos);
  }
}

TEST_CASE("nested shell strings are followed to a fixed depth", "[cron][command][robust]") {
  std::string command = "cd /srv && ./job.py";
  for (int level = 0; level < 5; ++level) {
    command = wrap_in_sh(command);
  }
  const CommandAnalysis shallow = analyze_command(command);
  CHECK(shallow.target == "/srv/job.py");
  CHECK(shallow.language == Language::python);
  CHECK(shallow.complete);

  // Quoting grows about threefold per level, so five more levels stay small (~50 kB).
  for (int level = 0; level < 5; ++level) {
    command = wrap_in_sh(command);
  }
  const CommandAnalysis deep = analyze_command(command);
  CHECK(deep.language == Language::unknown);
  CHECK(deep.evidence == "shell strings nested too deep");
  CHECK_FALSE(deep.complete);

  std::string evals;
  for (int level = 0; level < 1000; ++level) {
    evals += "eval ";
  }
  CHECK(analyze_command(evals + "/opt/a").evidence == "shell strings nested too deep");
  CHECK(analyze_command("eval eval /opt/a").target == "/opt/a");
}

TEST_CASE("huge and deeply nested input", "[cron][command][robust]") {
  std::string words;
  while (words.size() < (1u << 20)) {
    words += "arg ";
  }
  const CommandAnalysis many = analyze_command("/opt/a " + words);
  CHECK(many.target == "/opt/a");
  CHECK(many.arguments.size() == words.size() / 4);

  const std::string parens(1u << 20, '(');
  CHECK(analyze_command(parens + "/opt/a").target == "/opt/a");
  const std::string subst = "/opt/a " + std::string(1u << 19, '$') + std::string(1u << 19, '(');
  CHECK_FALSE(analyze_command(subst).complete);

  std::string cds;
  for (int i = 0; i < 100000; ++i) {
    cds += "cd dir && ";
  }
  const CommandAnalysis walked = analyze_command(cds + "./run.sh");
  CHECK(walked.language == Language::shell);
  CHECK(walked.target.size() <= 4200); // paths stop growing past PATH_MAX

  std::string pipes;
  for (int i = 0; i < 100000; ++i) {
    pipes += "a | ";
  }
  CHECK(analyze_command(pipes + "b").chain == 100001);
}

TEST_CASE("arbitrary bytes never break the classifier", "[cron][command][robust]") {
  const std::string alphabet = "ab /.-=$`'\"\\()|&;<>{}#!%*~\t\n\r0129xcn\x01\xff";
  std::mt19937 random(20260101); // fixed seed: a failure is reproducible
  std::uniform_int_distribution<std::size_t> length(0, 120);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  const std::string seeds[] = {"sh -c ",         "su - x -c ", "flock -n /l ",
                               "sudo -u a ",     "cd /x && ",  "env -S ",
                               "docker exec c ", "bash -lc ",  ""};
  for (int i = 0; i < 20000; ++i) {
    std::string text = seeds[static_cast<std::size_t>(i) % std::size(seeds)];
    const std::size_t n = length(random);
    for (std::size_t k = 0; k < n; ++k) {
      text += alphabet[pick(random)];
    }
    CAPTURE(text);
    const CommandAnalysis a = analyze_command(text);
    REQUIRE(language_names.count(a.language_name()) == 1);
    REQUIRE(a.chain >= 0);
    REQUIRE(a.wrappers.size() <= 32 * 9 + 9);
  }
  const std::string with_nul("/opt/a\0b c", 10);
  CHECK(analyze_command(with_nul).arguments == std::vector<std::string>{"c"});
}
