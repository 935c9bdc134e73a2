#include "digger/command/command.hpp"
#include "digger/command/language_evidence.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace digger::command;

namespace {

ProgramFacts target(std::string path, std::string head) {
  ProgramFacts p;
  p.path = std::move(path);
  p.exists = true;
  p.type = "file";
  p.head = std::move(head);
  p.elf = p.head.substr(0, 4) == "\x7f"
                                 "ELF";
  return p;
}

// The decision for a crontab command whose target was inspected.
LanguageDecision decide(std::string_view command, const ProgramFacts& p) {
  const CommandAnalysis a = analyze_command(command);
  return refine_language(a.language, a.evidence, &p);
}

} // namespace

TEST_CASE("Go build info beats the ELF header", "[cron][language]") {
  ProgramFacts p = target("/opt/billing/bin/settle", std::string("\x7f"
                                                                 "ELF\x02\x01\x01",
                                                                 7));
  p.go_version = "go1.19.8";
  p.go_module = "example.com/settle";
  const LanguageDecision d = decide("/opt/billing/bin/settle --daily", p);
  CHECK(d.language == Language::go);
  CHECK(d.evidence == "Go build info go1.19.8 example.com/settle");

  p.go_module.clear();
  CHECK(decide("/opt/billing/bin/settle", p).evidence == "Go build info go1.19.8");
}

TEST_CASE("other ELF files are binaries", "[cron][language]") {
  const ProgramFacts p = target("/opt/app/run.sh", std::string("\x7f"
                                                               "ELF\x02\x01\x01\0\0",
                                                               9));
  const LanguageDecision d = decide("/opt/app/run.sh", p); // the extension lies
  CHECK(d.language == Language::binary);
  CHECK(d.evidence == "ELF executable");
}

TEST_CASE("shebangs name the interpreter", "[cron][language]") {
  struct Case {
    const char* head;
    Language language;
    const char* evidence;
  };
  const Case cases[] = {
      {"#!/usr/bin/env python3\nimport os\n", Language::python, "shebang #!/usr/bin/env python3"},
      {"#!/usr/bin/env -S php -q\n<?php\n", Language::php, "shebang #!/usr/bin/env -S php -q"},
      {"#!/bin/bash -e\r\nset -u\r\n", Language::shell, "shebang #!/bin/bash -e"},
      {"#! /usr/bin/perl -w\n", Language::perl, "shebang #! /usr/bin/perl -w"},
      {"#!/usr/bin/ruby2.7\n", Language::ruby, "shebang #!/usr/bin/ruby2.7"},
      {"#!/usr/bin/env node\n", Language::javascript, "shebang #!/usr/bin/env node"},
      {"#!/usr/local/bin/python3.11", Language::python, "shebang #!/usr/local/bin/python3.11"},
      {"#!/usr/bin/env -i PATH=/bin python3\n", Language::python,
       "shebang #!/usr/bin/env -i PATH=/bin python3"},
      {"#!/bin/sh\n", Language::shell, "shebang #!/bin/sh"},
  };
  for (const Case& c : cases) {
    INFO(c.head);
    const LanguageDecision d = decide("/opt/job", target("/opt/job", c.head));
    CHECK(d.language == c.language);
    CHECK(d.evidence == c.evidence);
  }
}

TEST_CASE("shebang_interpreter reads through env", "[cron][language]") {
  CHECK(shebang_interpreter("#!/usr/bin/env python3\n") == "python3");
  CHECK(shebang_interpreter("#!/usr/bin/env -S php -q") == "php");
  CHECK(shebang_interpreter("#!/usr/bin/env -Sphp -q") == "php");
  CHECK(shebang_interpreter("#!/usr/bin/env -u LANG ruby") == "ruby");
  CHECK(shebang_interpreter("#!/bin/bash -e\r\n") == "bash");
  CHECK(shebang_interpreter("#!   /usr/bin/perl") == "perl");
  CHECK_FALSE(shebang_interpreter("#!/usr/bin/env"));
  CHECK_FALSE(shebang_interpreter("#!\n"));
  CHECK_FALSE(shebang_interpreter("# comment"));
  CHECK_FALSE(shebang_interpreter(""));
}

TEST_CASE("content sniffing: PHP files and jars", "[cron][language]") {
  const LanguageDecision php = decide("/var/www/cron", target("/var/www/cron", "<?php\necho 1;"));
  CHECK(php.language == Language::php);
  CHECK(php.evidence == "content <?php");
  const ProgramFacts jar = target("/opt/app/report.jar", std::string("PK\x03\x04\x14\0", 6));
  const LanguageDecision j = decide("/opt/app/report.jar", jar);
  CHECK(j.language == Language::java);
  CHECK(j.evidence == "jar archive (PK header)");
  // A zip that is not a jar says nothing about a language.
  const ProgramFacts zip = target("/opt/app/data.zip", std::string("PK\x03\x04", 4));
  CHECK(decide("/opt/app/data.zip", zip).evidence == "executable path");
}

TEST_CASE("an explicit interpreter, tool or utility keeps the command's language",
          "[cron][language]") {
  // `bash script.py` runs bash whatever the file says.
  const ProgramFacts py = target("/opt/x.py", "#!/usr/bin/env python3\n");
  const LanguageDecision d = decide("bash /opt/x.py", py);
  CHECK(d.language == Language::shell);
  CHECK(d.evidence == "interpreter bash");
  ProgramFacts elf = target("/usr/bin/mysqldump", "\x7f"
                                                  "ELF");
  const LanguageDecision u = decide("/usr/bin/mysqldump shop", elf);
  CHECK(u.language == Language::shell);
  CHECK(u.evidence == "shell builtin/utility mysqldump");
}

TEST_CASE("a line the shell refuses keeps the command's answer", "[cron][language]") {
  ProgramFacts elf = target("/opt/x", "\x7f"
                                      "ELF");
  const CommandAnalysis a = analyze_command("/opt/x 'unterminated");
  REQUIRE(a.evidence.find("broken:") != std::string::npos);
  const LanguageDecision d = refine_language(a.language, a.evidence, &elf);
  CHECK(d.language == a.language);
  CHECK(d.evidence == a.evidence);
  CHECK(refine_language(Language::unknown, "program chosen at run time", &elf).language ==
        Language::unknown);
}

TEST_CASE("nothing to refine with", "[cron][language]") {
  CHECK(refine_language(Language::binary, "executable path", nullptr).evidence ==
        "executable path");
  ProgramFacts missing;
  missing.path = "/opt/x";
  CHECK(refine_language(Language::binary, "executable path", &missing).language ==
        Language::binary);
  ProgramFacts dir = target("/opt/x", "");
  dir.type = "directory";
  CHECK(refine_language(Language::binary, "executable path", &dir).evidence == "executable path");
  // An interpreter Digger does not name: the command's answer stands.
  const ProgramFacts expect = target("/opt/x", "#!/usr/bin/expect -f\n");
  CHECK(refine_language(Language::binary, "executable path", &expect).language == Language::binary);
  // Control bytes from the host do not reach the evidence.
  const ProgramFacts odd = target("/opt/x", "#!/bin/sh \x1b[31m\n");
  CHECK(refine_language(Language::binary, "executable path", &odd).evidence ==
        "shebang #!/bin/sh ?[31m");
}
