#include "digger/command/shell_commands.hpp"
#include "digger/command/shell_words.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace digger::command;

namespace {

// Tokens rendered compactly: words as-is, operators in [], redirects as <op target>.
std::vector<std::string> render(std::string_view text) {
  std::vector<std::string> out;
  for (const ShellToken& t : split_shell_words(text).tokens) {
    switch (t.kind) {
    case ShellTokenKind::word:
      out.push_back(t.text);
      break;
    case ShellTokenKind::op:
      out.push_back("[" + t.text + "]");
      break;
    case ShellTokenKind::redirect:
      out.push_back("<" + t.text + " " + t.target + ">");
      break;
    }
  }
  return out;
}

using Words = std::vector<std::string>;

} // namespace

TEST_CASE("quotes and escapes are removed from words", "[cron][shell]") {
  CHECK(render("a  'b c'  \"d e\"") == Words{"a", "b c", "d e"});
  CHECK(render("it\\'s \"say \\\"hi\\\"\"") == Words{"it's", "say \"hi\""});
  CHECK(render("\"a\\b\" 'c\\d'") == Words{"a\\b", "c\\d"}); // \b is literal in "" and ''
  CHECK(render("x'y'\"z\"") == Words{"xyz"});
  CHECK(render("''") == Words{""}); // an empty quoted word is still a word
  CHECK(render("a\\ b") == Words{"a b"});
  CHECK(render("a \\\n b") == Words{"a", "b"}); // line continuation
}

TEST_CASE("substitutions stay opaque inside their word", "[cron][shell]") {
  CHECK(render("tar czf /b/etc-$(date +%F).tgz /etc") ==
        Words{"tar", "czf", "/b/etc-$(date +%F).tgz", "/etc"});
  CHECK(render("echo $(a \"$(b ')')\" c) d") == Words{"echo", "$(a \"$(b ')')\" c)", "d"});
  CHECK(render("echo `date +%s` x") == Words{"echo", "`date +%s`", "x"});
  CHECK(render("echo ${HOME:-/root}/x $((1 + 2))") ==
        Words{"echo", "${HOME:-/root}/x", "$((1 + 2))"});
  CHECK(render("\"$(a b)\" c") == Words{"$(a b)", "c"});
  CHECK(render("diff <(sort a) <(sort b)") == Words{"diff", "<(sort a)", "<(sort b)"});
  const ShellWords words = split_shell_words("$HOME/bin/x");
  REQUIRE(words.tokens.size() == 1);
  CHECK(words.tokens[0].has_expansion);
  CHECK_FALSE(split_shell_words("'$HOME'").tokens[0].has_expansion);
}

TEST_CASE("operators and redirections", "[cron][shell]") {
  CHECK(render("a && b || c; d | e |& f & g") ==
        Words{"a", "[&&]", "b", "[||]", "c", "[;]", "d", "[|]", "e", "[|&]", "f", "[&]", "g"});
  CHECK(render("a >/dev/null 2>&1") == Words{"a", "<> /dev/null>", "<2>& 1>"});
  CHECK(render("a >> log 2>>err < in") == Words{"a", "<>> log>", "<2>> err>", "<< in>"});
  CHECK(render("a &> all &>> more >| clobber") ==
        Words{"a", "<&> all>", "<&>> more>", "<>| clobber>"});
  CHECK(render("a 2> \"my log\"") == Words{"a", "<2> my log>"});
  CHECK(render("a x2>f") == Words{"a", "x2", "<> f>"}); // only a whole-digit word is a descriptor
  CHECK(render("(a; b) > out") == Words{"[(]", "a", "[;]", "b", "[)]", "<> out>"});
  CHECK(render("a > ; b") == Words{"a", "<> >", "[;]", "b"}); // redirect with no target
  CHECK(render("a\nb") == Words{"a", "[;]", "b"});
}

TEST_CASE("comments, assignments and completeness", "[cron][shell]") {
  CHECK(render("a b # comment here") == Words{"a", "b"});
  CHECK(render("a b#c") == Words{"a", "b#c"}); // '#' inside a word is text
  const ShellWords assign = split_shell_words("A=1 B=\"x y\" 'C=2' D-E=3 cmd");
  REQUIRE(assign.tokens.size() == 5);
  CHECK(assign.tokens[0].is_assignment);
  CHECK(assign.tokens[1].is_assignment);
  CHECK(assign.tokens[1].text == "B=x y");
  CHECK_FALSE(assign.tokens[2].is_assignment);
  CHECK_FALSE(assign.tokens[3].is_assignment);
  CHECK_FALSE(assign.tokens[4].is_assignment);

  CHECK(split_shell_words("a 'b c' \"d\" $(e) `f`").complete);
  CHECK_FALSE(split_shell_words("a 'b c").complete);
  CHECK_FALSE(split_shell_words("a \"b c").complete);
  CHECK_FALSE(split_shell_words("a $(b c").complete);
  CHECK_FALSE(split_shell_words("a `b c").complete);
  CHECK_FALSE(split_shell_words("a ${b").complete);
  CHECK(render("a 'b c") == Words{"a", "b c"}); // best effort: the rest is the word
}

TEST_CASE("lists are flattened into simple commands", "[cron][shell]") {
  const CommandList list = split_commands(
      split_shell_words("test -x /a || ( cd / && run-parts /b ) > /dev/null; x | y").tokens);
  REQUIRE(list.commands.size() == 5);
  CHECK(list.commands[0].words[0].text == "test");
  CHECK(list.commands[1].words[0].text == "cd");
  CHECK(list.commands[1].depth == 1);
  CHECK(list.commands[1].connector == "||");
  CHECK(list.commands[2].connector == "&&");
  CHECK(list.commands[3].depth == 0);
  CHECK(list.commands[4].pipe_input);
  CHECK_FALSE(list.commands[3].pipe_input);
  REQUIRE(list.group_redirects.size() == 1);
  CHECK(list.group_redirects[0].target == "/dev/null");

  const CommandList framed =
      split_commands(split_shell_words("if [ -x /a ]; then /a; else { /b; }; fi").tokens);
  REQUIRE(framed.commands.size() == 3);
  CHECK(framed.commands[1].words[0].text == "/a");
  CHECK(framed.commands[2].words[0].text == "/b");
  CHECK(framed.commands[2].depth == 1);

  const CommandList loop = split_commands(split_shell_words("for f in a b; do rm $f; done").tokens);
  REQUIRE(loop.commands.size() == 2);
  CHECK(loop.commands[0].control);
  CHECK(loop.commands[1].words[0].text == "rm");
}
