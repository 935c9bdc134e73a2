// Which variable, option and header names hold secrets. A name is cut into parts
// (DB_PASSWORD -> db, password; apiKey -> api, key) so that short words such as PASS or KEY
// only count as a whole part: BYPASS_CACHE and MONKEY are not secrets.
#include "digger/secrets/secrets.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "secrets_detail.hpp"

namespace digger::secrets {
namespace {

using detail::lower;

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}

// Lower-cased parts, split at '_', '-', '.' and at a lower-to-upper change (camelCase).
std::vector<std::string> name_parts(std::string_view name) {
  std::vector<std::string> parts;
  std::string part;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool separator = c == '_' || c == '-' || c == '.' || c == ' ';
    const bool camel = i > 0 && is_upper(c) && is_lower(name[i - 1]);
    if ((separator || camel) && !part.empty()) {
      parts.push_back(part);
      part.clear();
    }
    if (!separator) {
      part += lower(c);
    }
  }
  if (!part.empty()) {
    parts.push_back(part);
  }
  return parts;
}

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Found anywhere inside a part: PGPASSWORD, MYSQLPASSWD, CLIENTSECRET, APIKEY.
constexpr std::array<std::string_view, 7> inside_words = {
    "password", "passwd", "passphrase", "secret", "token", "credential", "apikey"};
// Only as a whole part: PASS but not BYPASS, KEY but not MONKEY.
constexpr std::array<std::string_view, 5> part_words = {"pass", "pwd", "pw", "key", "creds"};
// Only as the last part: BASIC_AUTH, HTTP_BEARER, but not SSH_AUTH_SOCK or AUTH_METHOD.
constexpr std::array<std::string_view, 2> last_words = {"auth", "bearer"};
// A last part that names where the secret is, or something about it, not the secret.
constexpr std::array<std::string_view, 20> qualifiers = {
    "file",   "files",  "path",   "dir", "fd",     "cmd", "command", "id",   "name",     "type",
    "method", "prompt", "length", "len", "policy", "url", "uri",     "user", "username", "stdin"};

bool part_is_secret(std::string_view part) {
  if (one_of(part, part_words)) {
    return true;
  }
  return std::any_of(inside_words.begin(), inside_words.end(),
                     [&](std::string_view w) { return part.find(w) != std::string_view::npos; });
}

} // namespace

bool is_secret_name(std::string_view env_name) {
  if (detail::iequals(env_name, "PWD") || detail::iequals(env_name, "OLDPWD")) {
    return false; // the shell's current and previous working directories
  }
  const std::vector<std::string> parts = name_parts(env_name);
  if (parts.empty() || one_of(std::string_view(parts.back()), qualifiers)) {
    return false;
  }
  return one_of(std::string_view(parts.back()), last_words) ||
         std::any_of(parts.begin(), parts.end(),
                     [](const std::string& p) { return part_is_secret(p); });
}

namespace detail {

bool is_secret_option(std::string_view name) {
  static constexpr std::array<std::string_view, 6> no_value = {"no",   "ask",  "prompt",
                                                               "skip", "show", "use"};
  const std::vector<std::string> parts = name_parts(name);
  if (parts.empty() || one_of(std::string_view(parts.front()), no_value)) {
    return false;
  }
  // --key FILE (curl, openssl) and --auth METHOD name a file or a mechanism.
  if (parts.size() == 1 && (parts[0] == "key" || parts[0] == "auth")) {
    return false;
  }
  if (parts.size() == 1 && parts[0] == "pwd") {
    return true; // -pwd VALUE is a password option; only the variable PWD is a directory
  }
  return is_secret_name(name);
}

} // namespace detail
} // namespace digger::secrets
