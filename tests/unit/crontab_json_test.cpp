// The JSON and text renderings of `digger-scan parse`.

#include "digger/cli/parse_output.hpp"
#include "digger/crontab/crontab.hpp"
#include "digger/util/printable.hpp"

#include <catch2/catch.hpp>

using namespace digger;

namespace {

crontab::ParsedCrontab parse(const std::string& text,
                          crontab::CrontabFlavor flavor = crontab::CrontabFlavor::user) {
  crontab::ParseOptions options;
  options.flavor = flavor;
  return crontab::parse_crontab(text, options);
}

} // namespace

TEST_CASE("JSON entries carry only the fields that apply", "[cli][parse][json]") {
  auto parsed = parse("# note\n\nMAILTO=ops\n*/5 * * * * root date +%F\n@daily root x\nbad\n",
                      crontab::CrontabFlavor::system);
  auto comment = cli::crontab_entry_json(parsed.lines[0], "app");
  CHECK(comment.dump() == R"({"line":1,"kind":"comment"})");
  CHECK(cli::crontab_entry_json(parsed.lines[1], "app").dump() == R"({"line":2,"kind":"blank"})");
  auto env = cli::crontab_entry_json(parsed.lines[2], "app");
  CHECK(env.dump() == R"({"line":3,"kind":"env","name":"MAILTO","value":"ops"})");
  auto job = cli::crontab_entry_json(parsed.lines[3], "app");
  CHECK(job["schedule"] == "*/5 * * * *");
  CHECK(job["user"] == "root");
  CHECK(job["command"] == "date +");
  CHECK(job["stdin"] == "F\n");
  CHECK_FALSE(job.contains("macro"));
  CHECK_FALSE(job.contains("error"));
  CHECK(job["language"] == "shell");
  CHECK(job["target"] == "date");
  CHECK(job["description"] == "Every 5 minutes");
  // The fingerprint uses the line's user column, not the file owner.
  auto root_job = crontab::parse_crontab("*/5 * * * * date +%F\n", {});
  CHECK(job["fingerprint"] ==
        cli::crontab_entry_json(root_job.lines[0], "root")["fingerprint"]);
  CHECK(job["fingerprint"] != cli::crontab_entry_json(root_job.lines[0], "app")["fingerprint"]);
  auto daily = cli::crontab_entry_json(parsed.lines[4], "app");
  CHECK(daily["macro"] == "@daily");
  CHECK_FALSE(daily.contains("stdin"));
  auto bad = cli::crontab_entry_json(parsed.lines[5], "app");
  CHECK(bad["kind"] == "invalid");
  CHECK(bad["error"] == "bad minute");
  CHECK_FALSE(bad.contains("command"));
}

TEST_CASE("JSON file object", "[cli][parse][json]") {
  auto parsed = parse("0 1 * * * x\n0 2 * * * y");
  auto file = cli::crontab_file_json("/var/spool/cron/crontabs/alice", parsed);
  CHECK(file["file"] == "/var/spool/cron/crontabs/alice");
  CHECK(file["loads"]["cronie"] == true);
  CHECK(file["loads"]["vixie"] == false);
  CHECK(file["loads"]["notes"].size() == 2);
  REQUIRE(file["entries"].size() == 2);
  CHECK(file["entries"][1]["cronie_ignores"] == true);
  // Keys keep the documented order.
  CHECK(file.dump().starts_with(R"({"file":"/var/spool/cron/crontabs/alice","loads":{"cronie")"));
}

TEST_CASE("JSON survives invalid UTF-8", "[cli][parse][json]") {
  auto parsed = parse("0 1 * * * echo \xff\xfe\n");
  auto entry = cli::crontab_entry_json(parsed.lines[0], "app");
  CHECK_NOTHROW(entry.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

TEST_CASE("printable text keeps terminals safe", "[cli][parse]") {
  CHECK(util::printable("echo ok") == "echo ok");
  CHECK(util::printable("a\tb") == "a\tb");
  CHECK(util::printable("a\nb\r") == "a\\nb\\x0d");
  CHECK(util::printable("\x1b[31mred") == "\\x1b[31mred");
  CHECK(util::printable("back\\slash") == "back\\\\slash");
  CHECK(util::printable("caf\xc3\xa9") == "caf\xc3\xa9"); // valid UTF-8 stays
  CHECK(util::printable("\xc2\x9b"
                       "2J") == "\\xc2\\x9b2J");              // C1 CSI does not
  CHECK(util::printable("\xff\xc3") == "\\xff\\xc3");          // invalid, truncated
  CHECK(util::printable("\xe0\x80\xaf") == "\\xe0\\x80\\xaf"); // overlong
  CHECK(util::printable(std::string("a\0b", 3)) == "a\\x00b");
}

TEST_CASE("which files have a user column", "[cli][parse]") {
  CHECK(cli::implies_system_crontab("/etc/crontab"));
  CHECK(cli::implies_system_crontab("crontab"));
  CHECK(cli::implies_system_crontab("/etc/cron.d/sysstat"));
  CHECK(cli::implies_system_crontab("snap/etc/cron.d/php"));
  CHECK_FALSE(cli::implies_system_crontab("/var/spool/cron/crontabs/alice"));
  CHECK_FALSE(cli::implies_system_crontab("/etc/cron.daily/logrotate"));
  CHECK_FALSE(cli::implies_system_crontab("/etc/cron.d"));
}
