#pragma once

// The command text a cron daemon writes in its CMD line, computed from the crontab entry
// (docs/evidence.md, "Attribution"). Both daemons cut the command at the first unescaped '%'
// and escape bytes with mkprints() before logging; they differ on "\\".

#include <string>
#include <string_view>

namespace digger::evidence {

enum class Daemon { cronie, debian };

// The command as the daemon runs it, from the command part of the line as written: cut at the
// first unescaped '%'; "\%" -> "%" (both); "\\" -> "\" (Debian cron only).
std::string cut_command(std::string_view written, Daemon daemon);

// cronie/Debian mkprints(): a byte < 0x20 as '^' + (byte + '@'), 0x7f as "^?", a byte >= 0x80
// as '\' and three octal digits; everything else as is.
std::string mkprints(std::string_view bytes);

// The command as the daemon ran it (before mkprints: what a cron mail's Subject holds), from
// the command Digger stored already cut the cronie way: for Debian, "\\" pairs collapse too.
std::string daemon_command(std::string_view cronie_cut_command, Daemon daemon);

// The CMD line's text for an entry whose command Digger stored already cut the cronie way
// (crontab::Job::command, catalog entries.command): for Debian, "\\" pairs are collapsed too.
std::string log_key(std::string_view cronie_cut_command, Daemon daemon);

} // namespace digger::evidence
