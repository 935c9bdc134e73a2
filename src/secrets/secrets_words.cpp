// Secrets that only the program's own option syntax reveals: `mysql -pSECRET` (but `-p`
// alone prompts, and `-p` means a port for most other programs), `curl -u user:pass`,
// `smbclient -U user%pass`, `sshpass -p pass`, `htpasswd -b file user pass`, and options
// such as `--token VALUE` whose name says they take a secret.
#include "digger/command/wrappers.hpp"
#include "digger/secrets/secrets.hpp"

#include <array>
#include <optional>

#include "secrets_detail.hpp"

namespace digger::secrets::detail {
namespace {

enum class Program {
  other,
  mysql,    // -pSECRET attached only; --password takes no separate value
  sshpass,  // -p SECRET, -pSECRET
  mongo,    // -p SECRET
  redis,    // -a SECRET
  ldap,     // -w SECRET
  zip,      // -P SECRET
  sevenzip, // -pSECRET
  mssql,    // -P SECRET
  mosquitto,
  curl,  // -u / -U / --user / --proxy-user  user:SECRET
  samba, // -U / --user  user%SECRET
  lftp,  // -u user,SECRET
  htpasswd,
  aws,
  ipmitool, // -P SECRET, -PSECRET
  snmp,     // -c COMMUNITY, -A AUTHPASS, -X PRIVPASS (net-snmp's clients)
  docker,   // login -p SECRET (podman, nerdctl, buildah, skopeo alike)
};

struct Named {
  std::string_view name;
  Program program;
};

constexpr std::array<Named, 43> programs = {{
    {"mysql", Program::mysql},
    {"mysqldump", Program::mysql},
    {"mysqladmin", Program::mysql},
    {"mysqlimport", Program::mysql},
    {"mysqlcheck", Program::mysql},
    {"mysqlpump", Program::mysql},
    {"mysqlshow", Program::mysql},
    {"mysqlslap", Program::mysql},
    {"mysqlbinlog", Program::mysql},
    {"mysql_upgrade", Program::mysql},
    {"mariadb", Program::mysql},
    {"mariadb-dump", Program::mysql},
    {"mariadb-admin", Program::mysql},
    {"mariadb-import", Program::mysql},
    {"mariadb-check", Program::mysql},
    {"mariadb-show", Program::mysql},
    {"mariadb-binlog", Program::mysql},
    {"mariadb-upgrade", Program::mysql},
    {"sshpass", Program::sshpass},
    {"mongo", Program::mongo},
    {"mongosh", Program::mongo},
    {"mongodump", Program::mongo},
    {"mongorestore", Program::mongo},
    {"mongoexport", Program::mongo},
    {"mongoimport", Program::mongo},
    {"redis-cli", Program::redis},
    {"ldapsearch", Program::ldap},
    {"ldapadd", Program::ldap},
    {"ldapmodify", Program::ldap},
    {"ldapdelete", Program::ldap},
    {"zip", Program::zip},
    {"unzip", Program::zip},
    {"7z", Program::sevenzip},
    {"7za", Program::sevenzip},
    {"sqlcmd", Program::mssql},
    {"bcp", Program::mssql},
    {"mosquitto_pub", Program::mosquitto},
    {"mosquitto_sub", Program::mosquitto},
    {"curl", Program::curl},
    {"smbclient", Program::samba},
    {"lftp", Program::lftp},
    {"htpasswd", Program::htpasswd},
    {"aws", Program::aws},
}};

// Samba's other clients share smbclient's -U user%password.
Program program_of(std::string_view word) {
  const std::string_view name = command::base_name(word);
  if (name == "rpcclient" || name == "smbcacls" || name == "smbget" || name == "net") {
    return Program::samba;
  }
  if (name == "ldappasswd" || name == "ldapwhoami") {
    return Program::ldap;
  }
  if (name == "ncftp" || name == "ncftpput" || name == "ncftpget" || name == "ncftpls") {
    return Program::mongo; // -p PASSWORD as a separate word, like mongo's
  }
  if (name == "ipmitool") {
    return Program::ipmitool;
  }
  // snmpwalk, snmpget, snmpbulkwalk, ...; not the daemons, whose -c names a config file.
  if (name.substr(0, 4) == "snmp" && name != "snmpd" && name != "snmptrapd" && name != "snmpconf") {
    return Program::snmp;
  }
  if (name == "docker" || name == "podman" || name == "nerdctl" || name == "buildah" ||
      name == "skopeo") {
    return Program::docker;
  }
  for (const Named& p : programs) {
    if (p.name == name) {
      return p.program;
    }
  }
  return Program::other;
}

// How a program's password option is written: the letter, whether `-xVALUE` and
// `-x VALUE` are accepted, and what separates the user from the secret ('\0': none).
struct ShortOption {
  char letter;
  bool attached;
  bool separate;
  char after;
};

std::optional<ShortOption> short_option(Program p) {
  switch (p) {
  case Program::mysql:
    return ShortOption{'p', true, false, '\0'};
  case Program::sshpass:
  case Program::mongo:
    return ShortOption{'p', true, true, '\0'};
  case Program::redis:
    return ShortOption{'a', false, true, '\0'};
  case Program::ldap:
    return ShortOption{'w', true, true, '\0'};
  case Program::zip:
  case Program::mssql:
  case Program::mosquitto:
    return ShortOption{'P', false, true, '\0'};
  case Program::sevenzip:
    return ShortOption{'p', true, false, '\0'};
  case Program::curl:
    return ShortOption{'u', true, true, ':'};
  case Program::samba:
    return ShortOption{'U', true, true, '%'};
  case Program::lftp:
    return ShortOption{'u', false, true, ','};
  case Program::ipmitool:
    return ShortOption{'P', true, true, '\0'};
  case Program::docker: // only after `login`: `docker run -p 80:80` publishes a port
    return ShortOption{'p', true, true, '\0'};
  default:
    return std::nullopt;
  }
}

class CommandWords {
public:
  CommandWords(std::string_view text, std::vector<Word> words, std::vector<Span>& spans)
      : text_(text), words_(std::move(words)), spans_(spans) {}

  void scan() {
    Program program = Program::other;
    std::size_t program_index = 0;
    for (std::size_t i = 0; i < words_.size(); ++i) {
      if (const Program p = program_of(raw(i)); p != Program::other) {
        program = p;
        program_index = i;
        if (p == Program::htpasswd) {
          htpasswd(i + 1);
        }
        continue;
      }
      // `-pS3cretPass users`: once the program's own option took the word, its letters must
      // not be read again as a secret-named option whose value is the next word.
      if (program != Program::other && i > program_index && program_option(i, program)) {
        continue;
      }
      named_option(i, program);
    }
  }

private:
  std::string_view raw(std::size_t i) const {
    return text_.substr(words_[i].begin, words_[i].end - words_[i].begin);
  }

  bool has_value_word(std::size_t i) const {
    return i + 1 < words_.size() && !raw(i + 1).empty() && raw(i + 1)[0] != '-';
  }

  // The secret part of [begin, end): after `after` when the program writes user<sep>secret.
  void add(std::size_t begin, std::size_t end, char after, const char* kind) {
    if (after != '\0') {
      std::size_t b = begin, e = end;
      if (text_[b] == '\'' || text_[b] == '"') {
        if (quote_end(text_, b) == e) {
          ++b;
          --e;
        }
      }
      const std::size_t sep = text_.substr(b, e - b).find(after);
      if (sep == npos) {
        return; // only a user name: the program will prompt for the secret
      }
      add_value(text_, b + sep + 1, e, kind, spans_);
      return;
    }
    add_value(text_, begin, end, kind, spans_);
  }

  // --password VALUE, --api-key VALUE, -token VALUE (the `=` forms are found by scan_text).
  void named_option(std::size_t i, Program program) {
    const std::string_view w = raw(i);
    if (w.size() < 2 || w[0] != '-' || w.find('=') != npos) {
      return;
    }
    const std::size_t dashes = w[1] == '-' ? 2 : 1;
    const std::string_view name = w.substr(dashes);
    if ((dashes == 1 && name.size() < 3) || !is_secret_option(name) || !has_value_word(i)) {
      return;
    }
    if (program == Program::mysql && (name == "password" || name == "pass")) {
      return; // mysql's --password has an optional value: `--password db` prompts
    }
    const Word& value = words_[i + 1];
    const std::string_view v = raw(i + 1);
    // openssl's -pass/-passin/-passout: pass:SECRET, or where to read it (env:, file:, fd:).
    if (v.substr(0, 5) == "pass:") {
      add(value.begin + 5, value.end, '\0', "password-option");
    } else if (v.substr(0, 4) != "env:" && v.substr(0, 5) != "file:" && v.substr(0, 3) != "fd:" &&
               v != "stdin") {
      add(value.begin, value.end, '\0', "password-option");
    }
  }

  // True when the word was the program's password option (its value is handled).
  bool program_option(std::size_t i, Program program) {
    const std::string_view w = raw(i);
    if (program == Program::aws) {
      aws_configure(i);
      return false;
    }
    if (program == Program::snmp) {
      return snmp_option(i);
    }
    if (program == Program::docker && !login_) {
      login_ = w == "login";
      return false;
    }
    if ((program == Program::curl && (w == "--user" || w == "--proxy-user")) ||
        (program == Program::samba && w == "--user")) {
      if (has_value_word(i)) {
        add(words_[i + 1].begin, words_[i + 1].end, program == Program::curl ? ':' : '%',
            "password-option");
      }
      return true;
    }
    if (program == Program::samba && w.substr(0, 7) == "--user=") {
      add(words_[i].begin + 7, words_[i].end, '%', "password-option");
      return true;
    }
    const auto option = short_option(program);
    const bool curl_proxy = program == Program::curl && w.size() >= 2 && w[1] == 'U';
    if (!option || w.size() < 2 || w[0] != '-' || (w[1] != option->letter && !curl_proxy)) {
      return false;
    }
    if (w.size() == 2 && option->separate && has_value_word(i)) {
      add(words_[i + 1].begin, words_[i + 1].end, option->after, "password-option");
      return true;
    }
    if (w.size() > 2 && option->attached && w[2] != '-') {
      add(words_[i].begin + 2, words_[i].end, option->after, "password-option");
      return true;
    }
    return false;
  }

  // -c COMMUNITY (SNMP v1/v2c: the community is the password), -A / -X (v3 pass phrases).
  bool snmp_option(std::size_t i) {
    const std::string_view w = raw(i);
    if (w.size() < 2 || w[0] != '-' || (w[1] != 'c' && w[1] != 'A' && w[1] != 'X')) {
      return false;
    }
    const char* kind = w[1] == 'c' ? "snmp-community" : "password-option";
    if (w.size() > 2) {
      add(words_[i].begin + 2, words_[i].end, '\0', kind);
    } else if (i + 1 < words_.size()) {
      add(words_[i + 1].begin, words_[i + 1].end, '\0', kind);
    }
    return true;
  }

  // htpasswd -b[other flags] FILE USER PASSWORD, htpasswd -nb USER PASSWORD.
  void htpasswd(std::size_t from) {
    bool batch = false, no_file = false;
    std::vector<std::size_t> positional;
    for (std::size_t i = from; i < words_.size() && positional.size() < 3; ++i) {
      const std::string_view w = raw(i);
      if (w.size() > 1 && w[0] == '-' && positional.empty()) {
        batch = batch || w.find('b') != npos;
        no_file = no_file || w.find('n') != npos;
        i += (w.back() == 'C' || w.back() == 'r') ? 1 : 0; // -C COST, -r ROUNDS end a cluster
      } else {
        positional.push_back(i);
      }
    }
    const std::size_t index = no_file ? 1 : 2;
    if (batch && positional.size() > index) {
      const Word& word = words_[positional[index]];
      add(word.begin, word.end, '\0', "password-argument");
    }
  }

  // aws configure set aws_secret_access_key VALUE (also profile.NAME.aws_session_token).
  void aws_configure(std::size_t i) {
    if (raw(i) != "set" || i < 1 || raw(i - 1) != "configure" || i + 2 >= words_.size()) {
      return;
    }
    std::string_view key = raw(i + 1);
    key = key.substr(key.rfind('.') == npos ? 0 : key.rfind('.') + 1);
    if (is_secret_name(key)) {
      add(words_[i + 2].begin, words_[i + 2].end, '\0', "aws-key");
    }
  }

  std::string_view text_;
  std::vector<Word> words_;
  std::vector<Span>& spans_;
  bool login_ = false; // docker & co.: `login` seen, so -p is a password
};

} // namespace

void scan_words(std::string_view text, const ShellMap& map, std::size_t offset, int depth,
                std::vector<Span>& spans) {
  std::vector<Span> found;
  for (std::size_t first = 0; first < map.words.size();) {
    std::size_t last = first;
    while (last < map.words.size() && map.words[last].command == map.words[first].command) {
      ++last;
    }
    CommandWords(text,
                 std::vector<Word>(map.words.begin() + static_cast<std::ptrdiff_t>(first),
                                   map.words.begin() + static_cast<std::ptrdiff_t>(last)),
                 found)
        .scan();
    first = last;
  }
  for (Span& s : found) {
    spans.push_back({s.begin + offset, s.end + offset, s.kind});
  }
  if (depth <= 0) {
    return;
  }
  // sh -c '...', su -c "...", ssh host '...': a quoted string with blanks may be a command.
  for (const auto& [open, close] : map.quoted) {
    const std::string_view inner = text.substr(open + 1, close - open - 1);
    if (inner.find_first_of(" \t\n") != std::string_view::npos) {
      scan_words(inner, map_shell(inner), offset + open + 1, depth - 1, spans);
    }
  }
}

} // namespace digger::secrets::detail
