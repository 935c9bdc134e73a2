#include "digger/evidence/log_key.hpp"

namespace digger::evidence {

std::string cut_command(std::string_view written, Daemon daemon) {
  // cronie src/do_command.c and Debian do_command.c: the escape is dropped only before '%'
  // (and, in Debian, before a second '\'); any other escaped byte keeps its backslash.
  std::string out;
  bool escaped = false;
  for (const char c : written) {
    if (escaped) {
      escaped = false;
      if (c == '%' || (c == '\\' && daemon == Daemon::debian)) {
        out.back() = c;
        continue;
      }
      out.push_back(c);
      continue;
    }
    if (c == '%') {
      break;
    }
    escaped = c == '\\';
    out.push_back(c);
  }
  return out;
}

std::string mkprints(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20) {
      out.push_back('^');
      out.push_back(static_cast<char>(byte + '@'));
    } else if (byte < 0x7f) {
      out.push_back(c);
    } else if (byte == 0x7f) {
      out += "^?";
    } else {
      out.push_back('\\');
      out.push_back(static_cast<char>('0' + (byte >> 6)));
      out.push_back(static_cast<char>('0' + ((byte >> 3) & 7)));
      out.push_back(static_cast<char>('0' + (byte & 7)));
    }
  }
  return out;
}

std::string daemon_command(std::string_view cronie_cut_command, Daemon daemon) {
  if (daemon == Daemon::cronie) {
    return std::string(cronie_cut_command);
  }
  // cronie keeps "\\" and drops the '\' of "\%": re-running Debian's pairing over that text
  // (without the cut, which already happened) gives Debian's command.
  std::string out;
  bool escaped = false;
  for (const char c : cronie_cut_command) {
    if (escaped && c == '\\') {
      escaped = false;
      continue;
    }
    escaped = !escaped && c == '\\';
    out.push_back(c);
  }
  return out;
}

std::string log_key(std::string_view cronie_cut_command, Daemon daemon) {
  return mkprints(daemon_command(cronie_cut_command, daemon));
}

} // namespace digger::evidence
