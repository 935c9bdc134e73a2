#pragma once

// Splitting a line into the words cron, anacron and the shell see at first glance: runs of
// blanks (space, tab) separate them. Views into the text, no copies.

#include <string_view>
#include <vector>

namespace digger::util {

// The words of `text` between runs of blanks.
std::vector<std::string_view> blank_words(std::string_view text);

// The words before the first byte of `stops` (which also ends the word it touches): the first
// simple command of a shell line with stops ";|&<>".
std::vector<std::string_view> blank_words_until(std::string_view text, std::string_view stops);

} // namespace digger::util
