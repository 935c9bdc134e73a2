#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace digger::secrets {

// A command, crontab line or environment value with its secrets replaced by "***". Every
// byte that is not part of a secret is kept exactly (see docs/hidden-batches.md, "Secrets").
struct Redaction {
  std::string text;
  // What was found, in order of first appearance, each kind once: "password-option",
  // "password-argument", "url-credentials", "url-query", "env-assignment", "key-value",
  // "bearer-token", "authorization-header", "secret-header", "aws-key", "api-token",
  // "snmp-community", "stdin-secret".
  std::vector<std::string> kinds;

  bool changed() const { return !kinds.empty(); }
};

// Never throws; linear in the input's length (hand-written scanning, no regular expressions).
// Quoted values ('...' and "...") are redacted whole and keep their quotes; a value that is
// only a variable or command substitution ($PASS, "${PASS}", $(cat f)) is not a secret.
Redaction redact_secrets(std::string_view command_or_line);

// Whether the command hands its standard input to a program as a password: sudo -S,
// passwd --stdin, chpasswd, smbpasswd -s, htpasswd -i, ... --password-stdin, -passin stdin.
bool reads_secret_from_stdin(std::string_view command);

// The standard input cron gives a job (the text after the line's first unescaped '%'),
// redacted with its command in view: whole when the command reads a secret from it (sudo -S
// cmd %PW%), and the part of a secret that the '%' cut off (smbclient -U user%PW).
Redaction redact_job_input(std::string_view command, std::string_view input);

// One environment line of a crontab, split by the parser: the whole value is redacted when
// `name` looks secret, otherwise the value goes through redact_secrets (DSN credentials).
Redaction redact_env_value(std::string_view name, std::string_view value);

// PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN, CREDENTIAL(S), APIKEY anywhere in the name
// (PGPASSWORD, DBPASS_WORD...); PASS, PWD, KEY, CREDS, AUTH, BEARER as a whole word part
// (parts split at '_', '-', '.' and lower-to-upper case changes). Case-insensitive. Not
// secret: "PWD" and "OLDPWD" themselves (the shell's working directories), and names whose
// last part says where a secret is rather than what it is (..._FILE, _PATH, _DIR, _FD, _CMD,
// _COMMAND, _ID, _NAME, _TYPE, _METHOD, _PROMPT, _LENGTH, _POLICY): MYSQL_PWD_FILE, KEY_ID.
bool is_secret_name(std::string_view env_name);

} // namespace digger::secrets
