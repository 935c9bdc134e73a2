// Secrets recognised by their shape anywhere in the text, quoted or not: NAME=value and
// --option=value pairs, credentials and query parameters of URLs, "Authorization: ..."
// style headers, and token formats that announce themselves (AKIA..., ghp_..., glpat-...).
// Each scan moves forward only, so the whole pass stays linear in the text's length.
#include "digger/secrets/secrets.hpp"

#include <array>
#include <string>

#include "secrets_detail.hpp"

namespace digger::secrets::detail {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_key_char(char c) {
  return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

bool in_quotes(const ShellMap& map, std::size_t i) {
  return i < map.quote_close.size() && map.quote_close[i] != npos;
}

bool starts_word(const ShellMap& map, std::size_t i) {
  const int w = map.word_of[i];
  return w >= 0 && map.words[static_cast<std::size_t>(w)].begin == i;
}

std::size_t word_end(const ShellMap& map, std::size_t i, std::size_t fallback) {
  const int w = i < map.word_of.size() ? map.word_of[i] : -1;
  return w >= 0 ? map.words[static_cast<std::size_t>(w)].end : fallback;
}

// A value embedded in a longer string (query string, option list, conninfo, quoted text)
// ends at the next separator; a value that starts with a quote ends at its closing quote.
std::size_t embedded_value_end(std::string_view text, const ShellMap& map, std::size_t v) {
  const std::size_t limit = in_quotes(map, v) ? map.quote_close[v] : word_end(map, v, v);
  if (v < limit && (text[v] == '\'' || text[v] == '"')) {
    const std::size_t after = quote_end(text, v);
    if (after != npos && after <= limit) {
      return after;
    }
  }
  std::size_t k = v;
  while (k < limit && std::string_view(" \t\r\n,&;#'\"").find(text[k]) == std::string_view::npos) {
    ++k;
  }
  return k;
}

// $VAR, ${VAR}, $(cmd), `cmd`, "$VAR": add_value would refuse it; refusing before the
// value's end is searched keeps the scan linear.
bool is_reference(std::string_view text, std::size_t v) {
  const std::string_view rest = text.substr(std::min(v, text.size()), 2);
  return !rest.empty() &&
         (rest[0] == '$' || rest[0] == '`' ||
          (rest.size() == 2 && rest[0] == '"' && (rest[1] == '$' || rest[1] == '`')));
}

bool is_aws_key_name(std::string_view key) {
  std::string lowered;
  for (char c : key) {
    lowered += lower(c);
  }
  return lowered.find("aws_secret_access_key") != std::string::npos ||
         lowered.find("aws_session_token") != std::string::npos;
}

// NAME=value, --name=value, -Dname=value, ?name=value&, a,name=value option list.
void key_values(std::string_view text, const ShellMap& map, std::vector<Span>& spans) {
  static constexpr std::string_view boundary = " \t\r\n;&|(){}?,'\"`<>";
  std::size_t taken = 0; // keys inside a value already redacted are part of that value
  for (std::size_t e = text.find('='); e != npos; e = text.find('=', e + 1)) {
    // Inside quotes the text may be a program (python3 -c, perl -e): `pw = "x"`, `$pw="x"`.
    const bool code = in_quotes(map, e);
    std::size_t k = e, v = e + 1;
    while (code && k > 0 && is_space(text[k - 1])) {
      --k;
    }
    while (code && v < text.size() && is_space(text[v]) && in_quotes(map, v)) {
      ++v;
    }
    if (e < taken || is_reference(text, v) || (v < text.size() && text[v] == '=')) {
      continue; // a reference, or `==`
    }
    std::size_t s = k;
    while (s > 0 && is_key_char(text[s - 1])) {
      --s;
    }
    if (s == k || (s > 0 && boundary.find(text[s - 1]) == std::string_view::npos &&
                   !(code && text[s - 1] == '$'))) {
      continue;
    }
    std::string_view key = text.substr(s, k - s);
    const std::size_t dashes = key.find_first_not_of('-');
    if (dashes == npos) {
      continue;
    }
    std::string_view name = key.substr(dashes);
    if (dashes == 1 && name.size() > 1 && name[0] == 'D') {
      name.remove_prefix(1); // java -Dspring.datasource.password=...
    }
    if (!(dashes > 0 ? is_secret_option(name) : is_secret_name(name))) {
      continue;
    }
    const bool query = s > 0 && (text[s - 1] == '?' || text[s - 1] == '&');
    // A shell word of its own (NAME=value cmd, --password=value): the value is the rest of
    // the word, quotes included. Inside a string or URL it ends at the next separator.
    const bool whole_word = !in_quotes(map, e) && !query && (dashes > 0 || starts_word(map, s));
    const char* kind = dashes > 0             ? "password-option"
                       : is_aws_key_name(key) ? "aws-key"
                       : query                ? "url-query"
                       : whole_word           ? "env-assignment"
                                              : "key-value";
    const std::size_t end = whole_word ? word_end(map, e, e + 1) : embedded_value_end(text, map, v);
    add_value(text, v, end, kind, spans);
    taken = end;
  }
}

// A crontab environment line written with blanks around '=': "MYSQL_PWD = secret".
void spaced_env_line(std::string_view text, std::vector<Span>& spans) {
  for (std::size_t line = 0; line < text.size();) {
    const std::size_t eol = std::min(text.find('\n', line), text.size());
    std::size_t k = line;
    while (k < eol && is_space(text[k])) {
      ++k;
    }
    const std::size_t name_begin = k;
    while (k < eol && (is_alnum(text[k]) || text[k] == '_')) {
      ++k;
    }
    const std::size_t name_end = k;
    while (k < eol && is_space(text[k])) {
      ++k;
    }
    if (name_end > name_begin && k > name_end && k < eol && text[k] == '=' &&
        is_secret_name(text.substr(name_begin, name_end - name_begin))) {
      std::size_t v = k + 1;
      while (v < eol && is_space(text[v])) {
        ++v;
      }
      std::size_t end = eol;
      while (end > v && (is_space(text[end - 1]) || text[end - 1] == '\r')) {
        --end;
      }
      add_value(text, v, end, "env-assignment", spans);
    }
    line = eol + 1;
  }
}

// scheme://user:password@host: the password goes, the user name stays.
void url_credentials(std::string_view text, std::vector<Span>& spans) {
  static constexpr std::string_view authority_end = "/?#@ \t\r\n'\"`";
  std::size_t from = 0;
  for (std::size_t p = text.find("://"); p != npos; p = text.find("://", from)) {
    const std::size_t a = p + 3;
    std::size_t end = a;
    std::size_t at = npos;
    while (end < text.size()) {
      if (text[end] == '@') {
        at = end; // the last '@' before the path ends the user information
      } else if (authority_end.find(text[end]) != std::string_view::npos) {
        break;
      }
      ++end;
    }
    if (at != npos) {
      const std::size_t colon = text.substr(a, at - a).find(':');
      if (colon != npos) {
        add_value(text, a + colon + 1, at, "url-credentials", spans);
      }
    }
    from = std::max(end, a);
  }
}

// "Authorization: Bearer x", "X-Api-Key: x", "Cookie: x", openssl's "pass:x".
void headers(std::string_view text, const ShellMap& map, std::vector<Span>& spans) {
  static constexpr std::string_view boundary = " \t\r\n'\"=,;({";
  std::size_t redacted_until = 0; // a name inside a value already taken is part of that value
  for (std::size_t c = text.find(':'); c != npos; c = text.find(':', c + 1)) {
    if (c < redacted_until) {
      continue;
    }
    std::size_t s = c;
    while (s > 0 && (is_alnum(text[s - 1]) || text[s - 1] == '-' || text[s - 1] == '_')) {
      --s;
    }
    if (s == c || (s > 0 && boundary.find(text[s - 1]) == std::string_view::npos)) {
      continue;
    }
    const std::string_view name = text.substr(s, c - s);
    const bool auth = iequals(name, "authorization") || iequals(name, "proxy-authorization");
    if (!auth && !iequals(name, "cookie") && !is_secret_name(name)) {
      continue;
    }
    const bool quoted = in_quotes(map, c);
    const std::size_t limit = quoted ? map.quote_close[c] : word_end(map, c, c + 1);
    std::size_t v = c + 1;
    while (quoted && v < limit && is_space(text[v])) {
      ++v;
    }
    const char* kind = auth ? "authorization-header" : "secret-header";
    if (auth) {
      std::size_t w = v;
      while (w < limit &&
             ((text[w] >= 'a' && text[w] <= 'z') || (text[w] >= 'A' && text[w] <= 'Z'))) {
        ++w;
      }
      if (w > v && w < limit && is_space(text[w])) {
        kind = iequals(text.substr(v, w - v), "bearer") ? "bearer-token" : kind;
        v = w;
        while (v < limit && is_space(text[v])) {
          ++v;
        }
      }
    }
    std::size_t end = v;
    while (end < limit && text[end] != '\n') {
      ++end;
    }
    add_value(text, v, end, kind, spans);
    redacted_until = end; // one header value runs to the end of its string or line
  }
}

// JSON bodies (curl -d '{"password": "x"}'): a quoted secret key, ':' and a quoted value.
// Inside a double-quoted shell string the JSON quotes are written \" and still count.
void json_values(std::string_view text, std::vector<Span>& spans) {
  std::size_t done = 0;
  for (std::size_t c = text.find(':'); c != npos; c = text.find(':', c + 1)) {
    std::size_t k = c;
    while (k > 0 && is_space(text[k - 1])) {
      --k;
    }
    if (c < done || k < 2 || text[k - 1] != '"') {
      continue;
    }
    const std::size_t key_end = text[k - 2] == '\\' ? k - 2 : k - 1; // "key" or \"key\"
    std::size_t s = key_end;
    while (s > 0 && is_key_char(text[s - 1])) {
      --s;
    }
    if (s == 0 || text[s - 1] != '"' || !is_secret_name(text.substr(s, key_end - s))) {
      continue;
    }
    std::size_t v = c + 1;
    while (v < text.size() && is_space(text[v])) {
      ++v;
    }
    const bool escaped = v + 1 < text.size() && text[v] == '\\' && text[v + 1] == '"';
    v += escaped ? 1 : 0;
    if (v >= text.size() || text[v] != '"') {
      continue; // a number, true, null, an object: not a string secret
    }
    std::size_t stop = v + 1;
    std::size_t end = stop;
    if (escaped) { // the value closes with \" as it opened
      stop = std::min(text.find("\\\"", v + 1), text.size());
      end = std::min(stop + 2, text.size());
    } else { // a JSON escape (\" or \\) stays inside the value
      while (stop < text.size() && text[stop] != '"' && text[stop] != '\n') {
        stop += text[stop] == '\\' && stop + 1 < text.size() ? 2 : 1;
      }
      stop = std::min(stop, text.size());
      end = stop;
    }
    if (stop > v + 1) {
      spans.push_back({v + 1, stop, "key-value"});
    }
    done = end;
  }
}

struct TokenFormat {
  std::string_view prefix;
  std::size_t min_length; // characters after the prefix
  bool upper_only;        // AWS key ids: [A-Z0-9] and exactly min_length
  const char* kind;
};

constexpr std::array<TokenFormat, 16> token_formats = {{
    {"AKIA", 16, true, "aws-key"},
    {"ASIA", 16, true, "aws-key"},
    {"ghp_", 20, false, "api-token"},
    {"gho_", 20, false, "api-token"},
    {"ghu_", 20, false, "api-token"},
    {"ghs_", 20, false, "api-token"},
    {"ghr_", 20, false, "api-token"},
    {"github_pat_", 20, false, "api-token"},
    {"glpat-", 20, false, "api-token"},
    {"xoxb-", 10, false, "api-token"},
    {"xoxp-", 10, false, "api-token"},
    {"xoxa-", 10, false, "api-token"},
    {"xoxs-", 10, false, "api-token"},
    {"sk_live_", 10, false, "api-token"},
    {"rk_live_", 10, false, "api-token"},
    {"npm_", 30, false, "api-token"},
}};

bool token_char(char c, bool upper_only) {
  if (upper_only) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return is_alnum(c) || c == '_' || c == '-';
}

// The prefix stays visible (it says what kind of token leaked); the rest goes.
void known_tokens(std::string_view text, std::vector<Span>& spans) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && (is_alnum(text[i - 1]) || text[i - 1] == '_')) {
      continue;
    }
    for (const TokenFormat& f : token_formats) {
      if (text.substr(i, f.prefix.size()) != f.prefix) {
        continue;
      }
      const std::size_t v = i + f.prefix.size();
      std::size_t end = v;
      while (end < text.size() && token_char(text[end], f.upper_only)) {
        ++end;
      }
      const bool fits =
          f.upper_only ? end - v == f.min_length && (end == text.size() || !is_alnum(text[end]))
                       : end - v >= f.min_length;
      if (fits) {
        spans.push_back({v, end, f.kind});
        i = end - 1;
        break;
      }
    }
  }
}

} // namespace

void scan_text(std::string_view text, const ShellMap& map, std::vector<Span>& spans) {
  key_values(text, map, spans);
  spaced_env_line(text, spans);
  url_credentials(text, spans);
  headers(text, map, spans);
  json_values(text, spans);
  known_tokens(text, spans);
}

} // namespace digger::secrets::detail
