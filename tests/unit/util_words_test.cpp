// Words between blanks (util/words.hpp): what the schedule text, the export's naming and its
// job facts read from a line.
#include "digger/util/words.hpp"

#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

using digger::util::blank_words;
using digger::util::blank_words_until;
using Words = std::vector<std::string_view>;

TEST_CASE("blank_words: runs of spaces and tabs separate words", "[util][words]") {
  CHECK(blank_words("").empty());
  CHECK(blank_words(" \t ").empty());
  CHECK(blank_words("anacron period=1d\t delay=5m ") == Words{"anacron", "period=1d", "delay=5m"});
  CHECK(blank_words("a;b|c") == Words{"a;b|c"}); // no stops: shell bytes are word bytes
}

TEST_CASE("blank_words_until: the first simple command of a shell line", "[util][words]") {
  const std::string_view stops = ";|&><";
  CHECK(blank_words_until("cd /srv && php artisan x", stops) == Words{"cd", "/srv"});
  CHECK(blank_words_until("nice -n 5 backup.sh>/dev/null", stops) ==
        Words{"nice", "-n", "5", "backup.sh"});
  CHECK(blank_words_until(";rm", stops).empty());
  CHECK(blank_words_until("  /opt/run.sh  ", stops) == Words{"/opt/run.sh"});
}
