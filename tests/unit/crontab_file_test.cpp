// Whole-file verdicts (which daemon loads the file) and hostile input bounds.

#include "digger/crontab/crontab.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace digger::crontab;

namespace {

bool has_note(const ParsedCrontab& parsed, std::string_view text) {
  return std::any_of(parsed.load_notes.begin(), parsed.load_notes.end(),
                     [&](const std::string& note) { return note.find(text) != std::string::npos; });
}

std::string repeat(std::string_view line, std::size_t times) {
  std::string out;
  out.reserve(line.size() * times);
  for (std::size_t i = 0; i < times; ++i) {
    out += line;
  }
  return out;
}

} // namespace

TEST_CASE("every line is numbered and kept", "[cron][crontab][file]") {
  auto parsed = parse_crontab("# one\n\nA=b\n0 1 * * * x\nbad\n", ParseOptions{});
  REQUIRE(parsed.lines.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(parsed.lines[static_cast<size_t>(i)].number == i + 1);
  }
  CHECK(parsed.lines[4].raw == "bad");
  CHECK(parse_crontab("", ParseOptions{}).lines.empty());
  CHECK(parse_crontab("\n", ParseOptions{}).lines.size() == 1);
}

TEST_CASE("a clean file loads under both daemons", "[cron][crontab][file]") {
  auto parsed = parse_crontab("MAILTO=ops\n0 1 * * * /bin/x\n", ParseOptions{});
  CHECK(parsed.loads_under_cronie);
  CHECK(parsed.loads_under_vixie);
  CHECK(parsed.load_notes.empty());
}

TEST_CASE("one bad line: cronie skips it, Debian's cron drops the file", "[cron][crontab][file]") {
  auto parsed = parse_crontab("0 1 * * * /bin/x\n61 * * * * /bin/y\n", ParseOptions{});
  CHECK(parsed.loads_under_cronie);
  CHECK_FALSE(parsed.loads_under_vixie);
  CHECK(has_note(parsed, "cronie: skips line 2 (bad minute)"));
  CHECK(has_note(parsed, "Debian cron: ignores the whole file: syntax error on line 2"));
}

TEST_CASE("MAILTO= alone: fine for cronie, fatal for Debian's cron", "[cron][crontab][file]") {
  auto parsed = parse_crontab("MAILTO=\n0 1 * * * /bin/x\n", ParseOptions{});
  CHECK(parsed.loads_under_cronie);
  CHECK_FALSE(parsed.loads_under_vixie);
  CHECK(parsed.lines[1].job->environment.get("MAILTO") == "");
}

TEST_CASE("Debian's cron accepts what cronie skips", "[cron][crontab][file]") {
  auto parsed = parse_crontab("0 0 * * 5#3 /bin/x\n", ParseOptions{});
  CHECK(parsed.lines[0].kind == LineKind::invalid);
  CHECK(parsed.loads_under_vixie);
  CHECK(parsed.lines[0].daemon_note.find("Debian cron accepts") != std::string::npos);
}

TEST_CASE("missing newline at the end of the file", "[cron][crontab][file]") {
  auto parsed = parse_crontab("0 1 * * * /bin/x\n0 2 * * * /bin/last", ParseOptions{});
  REQUIRE(parsed.lines.size() == 2);
  CHECK(parsed.lines[1].kind == LineKind::job);
  CHECK(parsed.lines[1].cronie_ignores);
  CHECK_FALSE(parsed.lines[0].cronie_ignores);
  CHECK(parsed.loads_under_cronie);
  CHECK_FALSE(parsed.loads_under_vixie);
  CHECK(has_note(parsed, "cronie: ignores line 2: no newline at end of file"));
  CHECK(has_note(parsed, "no newline at end of file (line 2)"));
  // A final comment or blank line without a newline harms nobody.
  auto comment = parse_crontab("0 1 * * * /bin/x\n# end", ParseOptions{});
  CHECK(comment.loads_under_vixie);
  CHECK_FALSE(comment.lines[1].cronie_ignores);
  // An unterminated bad line is never read, so it is no syntax error either.
  auto bad_last = parse_crontab("0 1 * * * /bin/x\nbad", ParseOptions{});
  CHECK_FALSE(has_note(bad_last, "cronie: skips"));
}

TEST_CASE("cronie's user crontab limits", "[cron][crontab][file]") {
  const std::string jobs = repeat("0 1 * * * /bin/x\n", cronie_max_user_entries);
  auto at_limit = parse_crontab(jobs, ParseOptions{});
  CHECK(at_limit.loads_under_cronie);
  auto over = parse_crontab(jobs + "0 2 * * * /bin/y\n", ParseOptions{});
  CHECK_FALSE(over.loads_under_cronie);
  CHECK(has_note(over, "more than 10000 entries (line 10001)"));
  CHECK_FALSE(over.loads_under_vixie); // more than 10000 lines

  ParseOptions system;
  system.flavor = CrontabFlavor::system;
  auto system_file = parse_crontab(repeat("0 1 * * * root /bin/x\n", 10001), system);
  CHECK(system_file.loads_under_cronie); // no limit for system crontabs

  auto envs = parse_crontab(repeat("A=b\n", cronie_max_user_envs + 1), ParseOptions{});
  CHECK_FALSE(envs.loads_under_cronie);
  CHECK(has_note(envs, "more than 1000 environment settings"));
  CHECK(parse_crontab(repeat("A=b\n", cronie_max_user_envs), ParseOptions{}).loads_under_cronie);
}

TEST_CASE("cronie's limit on comments between entries", "[cron][crontab][file]") {
  const std::string comment = "#" + std::string(99, 'c') + "\n"; // 101 bytes read
  auto small = parse_crontab(repeat(comment, 324) + "0 1 * * * /bin/x\n", ParseOptions{});
  CHECK(small.loads_under_cronie); // 32724 + 1
  auto big = parse_crontab(repeat(comment, 325) + "0 1 * * * /bin/x\n", ParseOptions{});
  CHECK_FALSE(big.loads_under_cronie);
  CHECK(has_note(big, "bytes of comments and blank lines in a row (line 325)"));
  ParseOptions system;
  system.flavor = CrontabFlavor::system;
  CHECK(parse_crontab(repeat(comment, 400), system).loads_under_cronie);
}

TEST_CASE("a broken file does not produce a note per line", "[cron][crontab][file]") {
  auto parsed = parse_crontab(repeat("bad line\n", 500), ParseOptions{});
  CHECK(parsed.load_notes.size() <= 3);
  CHECK(has_note(parsed, "and 490 more"));
}

TEST_CASE("NUL bytes and invalid UTF-8", "[cron][crontab][file][hostile]") {
  using namespace std::string_literals;
  const std::string text = "0 1 * * * /bin/x\0* * * * * /bin/hidden\n"
                           "# comment with \xff\xfe\0 bytes\n0 2 * * * echo \xc3\x28\n"s;
  auto parsed = parse_crontab(text, ParseOptions{});
  REQUIRE(parsed.lines.size() == 3);
  CHECK(parsed.lines[0].kind == LineKind::invalid);
  CHECK(parsed.lines[0].error == "NUL byte in line");
  CHECK(parsed.lines[0].raw.size() == 38);
  CHECK(has_note(parsed, "cronie: reads as several lines (split at NUL bytes) line 1"));
  CHECK_FALSE(has_note(parsed, "cronie: skips"));
  CHECK(parsed.lines[0].vixie_error.empty()); // Debian's cron reads both jobs too
  // The entry hidden behind the NUL is named.
  CHECK(parsed.lines[0].daemon_note.find("job `0 1 * * * /bin/x`; job `* * * * * /bin/hidden`") !=
        std::string::npos);
  CHECK(parsed.lines[1].kind == LineKind::comment);
  CHECK(parsed.lines[2].kind == LineKind::job);
  CHECK(parsed.lines[2].job->command == "echo \xc3\x28");
}

TEST_CASE("what cronie reads around NUL bytes", "[cron][crontab][file][hostile]") {
  using namespace std::string_literals;
  auto note = [](const std::string& text) {
    return parse_crontab(text + "\n", ParseOptions{}).lines.at(0).daemon_note;
  };
  CHECK(note("A=b\0* * * * * /bin/x"s).find("setting A `A=b`; job `* * * * * /bin/x`") !=
        std::string::npos);
  CHECK(note("0 1\0 * * * /bin/x"s).find("bad hour `0 1`") != std::string::npos);
  CHECK(note("0 1 * * * /bin/x\0# c\0* * * * * /bin/y"s).find("/bin/y") == std::string::npos);
  CHECK(note("\0\0\0"s).find("bad minute ``") != std::string::npos);
  auto bad_part = parse_crontab("0 1 * * * /bin/x\0oops\n"s, ParseOptions{});
  CHECK(bad_part.lines[0].vixie_error == "bad minute");
  CHECK_FALSE(bad_part.loads_under_vixie);
}

TEST_CASE("very long lines", "[cron][crontab][file][hostile]") {
  const std::string huge(10U << 20, 'x');
  auto command = parse_crontab("0 1 * * * " + huge + "\n", ParseOptions{});
  REQUIRE(command.lines[0].kind == LineKind::job);
  CHECK(command.lines[0].job->command.size() == cronie_max_command - 1); // cronie truncates
  CHECK(command.lines[0].daemon_note.find("truncates") != std::string::npos);

  auto env = parse_crontab("A=" + huge + "\n", ParseOptions{});
  REQUIRE(env.lines[0].kind == LineKind::env);
  CHECK(env.lines[0].env->value.size() == cronie_max_envstr - 3); // "A=" + value + NUL

  auto field = parse_crontab(std::string(1U << 20, '1') + " * * * * x\n", ParseOptions{});
  CHECK(field.lines[0].error == "bad minute");
  auto comment = parse_crontab("# " + huge + "\n", ParseOptions{});
  CHECK(comment.lines[0].kind == LineKind::comment);
  auto blanks = parse_crontab(std::string(1U << 20, ' ') + "\n", ParseOptions{});
  CHECK(blanks.lines[0].kind == LineKind::blank);
}

TEST_CASE("many env lines and jobs stay linear", "[cron][crontab][file][hostile]") {
  // Alternating env lines and jobs: every job sees a different environment.
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "V" + std::to_string(i) + "=x\n0 1 * * * root /bin/x\n";
  }
  ParseOptions system;
  system.flavor = CrontabFlavor::system; // no cronie limits on env lines
  auto parsed = parse_crontab(text, system);
  REQUIRE(parsed.lines.size() == 40000);
  CHECK(parsed.lines[1].job->environment.size() == 1);
  CHECK(parsed.lines[3].job->environment.size() == 2);
  // Past the copy budget later jobs carry no environment, and the file says so.
  CHECK(has_note(parsed, "environment is too large"));
  CHECK(parsed.lines.back().job->environment.empty());
}
