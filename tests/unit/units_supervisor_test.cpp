// supervisord's configuration as supervisord reads it: configparser, %-expansion, includes,
// process sections. Each case is one of the corner cases in docs/workers.md.
#include "digger/units/supervisor_config.hpp"
#include "digger/units/supervisor_ini.hpp"
#include "digger/units/supervisor_values.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace digger::units;

namespace {

IniDocument ini(std::string_view text) {
  IniDocument doc;
  read_ini_file(doc, text, 0);
  return doc;
}

std::string value(const IniDocument& doc, std::string_view section, std::string_view key) {
  const auto* option = doc.option(section, key);
  return option ? option->value : "<none>";
}

SupervisorConfig config(std::string_view text, std::vector<SupervisorFile> more = {}) {
  const SupervisorFile main{"/etc/supervisor/supervisord.conf", text};
  more.push_back(main);
  return read_supervisor_config(main, more, "web1");
}

} // namespace

TEST_CASE("supervisor ini: delimiters, case, comments", "[supervisor]") {
  const auto doc = ini("[program:a]\nCommand = /bin/a ; run a\nuser: app\n# full\n ; indented "
                       "comment\nx=a;b #c\ny = \";quoted ; not\"\n");
  CHECK(value(doc, "program:a", "command") == "/bin/a");
  CHECK(value(doc, "program:a", "user") == "app");
  CHECK(value(doc, "program:a", "x") == "a;b");
  // Issue 857: ' ;' starts a comment even inside quotes.
  CHECK(value(doc, "program:a", "y") == "\";quoted");
  CHECK(doc.errors.empty());
}

TEST_CASE("supervisor ini: the first delimiter splits, ':' included", "[supervisor]") {
  const auto doc = ini("[a]\nurl: http://x:1/=y\nk=v:w\n");
  CHECK(value(doc, "a", "url") == "http://x:1/=y");
  CHECK(value(doc, "a", "k") == "v:w");
}

TEST_CASE("supervisor ini: CPython <3.13 finds inline comments in rounds", "[supervisor]") {
  // Round one sees '#' at 1 (no blank before) and ';' at 7 (blank before): the comment starts at
  // 7, although " #c" at 4 comes first.
  CHECK(value(ini("[a]\nk=a#b #c ;d\n"), "a", "k") == "a#b #c");
}

TEST_CASE("supervisor ini: continuation lines and blank lines in values", "[supervisor]") {
  const auto doc = ini("[a]\ncommand=/bin/a\n  --one\n\n  --two ; c\n\nnext=1\n  [b]\n");
  CHECK(value(doc, "a", "command") == "/bin/a\n--one\n\n--two");
  // An indented header right after an option continues that option.
  CHECK(value(doc, "a", "next") == "1\n[b]");
  CHECK(doc.section("b") == nullptr);
}

TEST_CASE("supervisor ini: universal newlines", "[supervisor]") {
  const auto doc = ini("[a]\r\nk=1\rj=2\r\n");
  CHECK(value(doc, "a", "k") == "1");
  CHECK(value(doc, "a", "j") == "2");
}

TEST_CASE("supervisor ini: repeated sections merge, the later option wins", "[supervisor]") {
  const auto doc = ini("[p]\na=1\nb=1\n[q]\n[p]\na=2\n");
  REQUIRE(doc.sections.size() == 2);
  CHECK(value(doc, "p", "a") == "2");
  CHECK(value(doc, "p", "b") == "1");
  CHECK(doc.option("p", "a")->line == 6);
}

TEST_CASE("supervisor ini: DEFAULT is seen by every section", "[supervisor]") {
  const auto doc = ini("[DEFAULT]\nuser=www\n[p]\n");
  CHECK(value(doc, "p", "user") == "www");
  CHECK(doc.section("DEFAULT") == nullptr);
}

TEST_CASE("supervisor ini: errors configparser raises", "[supervisor]") {
  CHECK(ini("k=v\n[a]\n").errors.front() == "line 1: File contains no section headers");
  const auto doc = ini("[a]\nno delimiter\nk=v\n=x\n");
  REQUIRE(doc.errors.size() == 2);
  CHECK(doc.errors[0].starts_with("line 2: Source contains parsing errors"));
  CHECK(value(doc, "a", "k") == "v");
  CHECK(ini("[]\n").errors.size() == 1); // "[]" is no header
  CHECK(ini("[a] x]\nk=1\n").section("a] x") != nullptr);
}

TEST_CASE("supervisor expand: Python's % formatting", "[supervisor]") {
  const ExpansionTable table{{"program_name", std::string("w")},
                             {"process_num", std::int64_t{3}},
                             {"host_node_name", std::monostate{}}};
  CHECK(expand_percent("%(program_name)s_%(process_num)02d", table).text == "w_03");
  CHECK(expand_percent("100%% %(process_num)s %(process_num)-3d|", table).text == "100% 3 3  |");
  CHECK(expand_percent("%(program_name)r", table).text == "'w'");
  // Issue 980 and 986: a lone % is an error that stops supervisord.
  CHECK(expand_percent("-Xloggc:gc_%t.log", table).error ==
        "unsupported format character 't' (0x74) at index 12");
  CHECK(expand_percent("dhcrelay -a %h:%p", table).error ==
        "unsupported format character ':' (0x3a) at index 14");
  CHECK(expand_percent("50%", table).error == "incomplete format");
  CHECK(expand_percent("%(nope)s", table).error ==
        "contains names ('nope') which cannot be expanded");
  CHECK(expand_percent("%(program_name)d", table).error ==
        "%d format: a real number is required, not str");
  const auto env = expand_percent("%(ENV_HOME)s/%(host_node_name)s", table);
  CHECK(env.error.empty());
  CHECK(env.text == "%(ENV_HOME)s/%(host_node_name)s");
  CHECK(env.unresolved == std::vector<std::string>{"ENV_HOME", "host_node_name"});
}

TEST_CASE("supervisor values: datatypes", "[supervisor]") {
  CHECK(supervisor_boolean("Yes") == true);
  CHECK(supervisor_boolean("0") == false);
  CHECK_FALSE(supervisor_boolean("maybe"));
  CHECK(supervisor_integer(" 1_0 ") == 10);
  CHECK_FALSE(supervisor_integer("1__0"));
  CHECK_FALSE(supervisor_integer("8x"));
  CHECK(supervisor_autorestart("UNEXPECTED") == "unexpected");
  CHECK(supervisor_list(" a, ,b ") == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(supervisor_name("a:b").second.empty());
  const auto pairs = supervisor_key_values("A=\"x,y\",B=/p/q:r,C='1'");
  REQUIRE(pairs.error.empty());
  REQUIRE(pairs.pairs.size() == 3);
  CHECK(pairs.pairs[0] == std::pair<std::string, std::string>{"A", "x,y"});
  CHECK(pairs.pairs[1].second == "/p/q:r");
  CHECK(pairs.pairs[2].second == "1");
  CHECK(supervisor_key_values("A=1 B=2").error.starts_with("Unexpected end"));
  CHECK(supervisor_key_values("A=\"open").error == "No closing quotation");
}

TEST_CASE("supervisor config: the Laravel worker expands to 8 processes", "[supervisor]") {
  const auto parsed = config(R"([supervisord]
[program:laravel-worker]
process_name=%(program_name)s_%(process_num)02d
command=php /home/forge/app.com/artisan queue:work --sleep=3 --tries=3 --max-time=3600
autostart=true
autorestart=true
stopasgroup=true
killasgroup=true
user=forge
numprocs=8
redirect_stderr=true
stopwaitsecs=3600
environment=APP_ENV="production",DB_PASSWORD="s3cr%%et"
)");
  CHECK(parsed.rejected.empty());
  REQUIRE(parsed.programs.size() == 1);
  const auto& worker = parsed.programs[0];
  CHECK(worker.name == "laravel-worker");
  CHECK(worker.user == "forge");
  CHECK(worker.numprocs == 8);
  CHECK(worker.autorestart == "true");
  CHECK(worker.command_line == 4);
  REQUIRE(worker.process_names.size() == 8);
  CHECK(worker.process_names.front() == "laravel-worker_00");
  CHECK(worker.process_names.back() == "laravel-worker_07");
  REQUIRE(worker.environment.size() == 2);
  CHECK(worker.environment[1].second == "s3cr%et"); // %% is one % at run time
}

TEST_CASE("supervisor config: files supervisord refuses", "[supervisor]") {
  CHECK(config("[program:a]\ncommand=/bin/a\n").rejected ==
        ".ini file does not include supervisord section");
  const auto percent = config("[supervisord]\n[program:j]\ncommand=java -Xloggc:gc_%t.log\n");
  CHECK(percent.rejected == "Format string for 'program:j.command' is badly formatted: "
                            "unsupported format character 't' (0x74) at index 17 in section "
                            "'program:j' (file: '/etc/supervisor/supervisord.conf')");
  REQUIRE(percent.programs.size() == 1); // still shown, marked
  CHECK_FALSE(percent.programs[0].error.empty());
  // Issue 291: % in environment=.
  CHECK(config("[supervisord]\n[program:e]\ncommand=x\nenvironment=P=\"a%b\"\n")
            .rejected.starts_with("Format string for 'environment' is badly formatted"));
  CHECK(config("[supervisord]\n[program:n]\ncommand=x\nnumprocs=2\n")
            .rejected.starts_with("%(process_num) must be present"));
  CHECK(config("[supervisord]\n[program:n]\n")
            .rejected.starts_with("program section program:n does not specify a command"));
  CHECK(config("[supervisord]\n[group:g]\nprograms=a,b\n[program:a]\ncommand=x\n").rejected ==
        "[group:g] names unknown program or fcgi-program b");
  CHECK(config("[supervisord]\n[program:a]\ncommand=x\nautorestart=sometimes\n")
            .rejected.starts_with("invalid 'autorestart' value 'sometimes'"));
  CHECK(config("[supervisord]\n[eventlistener:l]\ncommand=x\n").rejected ==
        "[eventlistener:l] section requires an \"events\" line");
  CHECK(config("[supervisord]\n[program:a]\ncommand=\xff\n").rejected.find("UTF-8") !=
        std::string::npos);
  // An unknown option is never expanded, so its % is harmless.
  CHECK(config("[supervisord]\n[program:a]\ncommand=x\nnote=50%\n").rejected.empty());
}

TEST_CASE("supervisor config: groups, kinds, here, ENV", "[supervisor]") {
  const auto parsed = config(R"([supervisord]
user=svc
[group:queue]
programs=mail
[program:mail]
command=%(here)s/bin/mail --home %(ENV_HOME)s --group %(group_name)s
[fcgi-program:php]
socket=unix:///run/php.sock
command=/usr/bin/php-cgi
[eventlistener:mem]
events=TICK_60
command=memmon
)");
  CHECK(parsed.rejected.empty());
  CHECK(parsed.daemon_user == "svc");
  REQUIRE(parsed.programs.size() == 3);
  CHECK(parsed.programs[0].group == "queue");
  CHECK(parsed.programs[0].command == "/etc/supervisor/bin/mail --home %(ENV_HOME)s --group queue");
  CHECK(parsed.programs[0].unresolved == std::vector<std::string>{"ENV_HOME"});
  CHECK(parsed.programs[1].kind == "eventlistener");
  CHECK(parsed.programs[2].kind == "fcgi-program");
}

TEST_CASE("supervisor config: includes as glob.glob finds them", "[supervisor]") {
  const std::vector<SupervisorFile> files{
      {"/etc/supervisor/conf.d/b.conf", "[program:b]\ncommand=/bin/b\n"},
      {"/etc/supervisor/conf.d/a.conf", "[program:a]\ncommand=%(here)s/a\n"},
      {"/etc/supervisor/conf.d/.hidden.conf", "[program:h]\ncommand=h\n"},
      {"/etc/supervisor/conf.d/sub/c.conf", "[program:c]\ncommand=c\n"},
      {"/etc/supervisor/conf.d/z.ini", "[program:z]\ncommand=z\n"},
      {"/etc/supervisord.d/e.ini", "[program:e]\ncommand=e\n"},
      {"/etc/supervisor/conf.d/d.conf", "[program:b]\ncommand=/bin/b2\n"},
  };
  const auto parsed =
      config("[supervisord]\n[include]\nfiles = conf.d/*.conf ../supervisord.d/*.ini "
             "none/*.conf\n",
             files);
  CHECK(parsed.rejected.empty());
  CHECK(parsed.files_read ==
        std::vector<std::string>{"/etc/supervisor/supervisord.conf",
                                 "/etc/supervisor/conf.d/a.conf", "/etc/supervisor/conf.d/b.conf",
                                 "/etc/supervisor/conf.d/d.conf", "/etc/supervisord.d/e.ini"});
  REQUIRE(parsed.warnings.size() == 1);
  CHECK(parsed.warnings[0] == "No file matches via include \"/etc/supervisor/none/*.conf\"");
  REQUIRE(parsed.programs.size() == 3);
  // Sections keep the order they first appear in: a.conf is read first.
  CHECK(parsed.programs[0].name == "a");
  CHECK(parsed.programs[0].command == "/etc/supervisor/conf.d/a"); // %(here)s of a.conf
  CHECK(parsed.programs[1].name == "b");
  CHECK(parsed.programs[1].command == "/bin/b2"); // d.conf, read later, wins
  CHECK(parsed.programs[1].command_file == "/etc/supervisor/conf.d/d.conf");
  CHECK(parsed.programs[1].file == "/etc/supervisor/conf.d/b.conf");
  CHECK(parsed.programs[2].name == "e");
  // A parse error in an included file stops supervisord.
  const std::vector<SupervisorFile> broken{{"/etc/supervisor/conf.d/x.conf", "junk\n"}};
  CHECK(config("[supervisord]\n[include]\nfiles=conf.d/*.conf\n", broken).rejected ==
        "/etc/supervisor/conf.d/x.conf line 1: File contains no section headers");
  CHECK(config("[supervisord]\n[include]\n").rejected ==
        ".ini file has [include] section, but no files setting");
}

TEST_CASE("supervisor config: glob matching per path component", "[supervisor]") {
  CHECK(supervisor_glob_match("/etc/supervisord.d/a.ini", "/etc/supervisord.d/*.ini"));
  CHECK_FALSE(supervisor_glob_match("/etc/supervisord.d/x/a.ini", "/etc/supervisord.d/*.ini"));
  CHECK_FALSE(supervisor_glob_match("/etc/s/.a.ini", "/etc/s/*.ini"));
  CHECK(supervisor_glob_match("/etc/s/.a.ini", "/etc/s/.*.ini"));
  CHECK(supervisor_glob_match("/etc/s/a1.conf", "/etc/s/a[0-9].conf"));
}

TEST_CASE("supervisor config: numprocs is bounded when expanded", "[supervisor]") {
  const auto parsed = config(
      "[supervisord]\n[program:w]\ncommand=w\nnumprocs=100000\nprocess_name=w%(process_num)d\n");
  REQUIRE(parsed.programs.size() == 1);
  CHECK(parsed.programs[0].numprocs == 100000);
  CHECK(parsed.programs[0].process_names.size() == max_process_names);
}
