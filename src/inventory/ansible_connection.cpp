// Ansible's "behavioral inventory parameters" as ssh would receive them from Ansible's ssh
// connection plugin: ansible_host is the host ssh is given, ansible_user / ansible_port /
// ansible_ssh_private_key_file are command-line options, and ansible_ssh_common_args /
// ansible_ssh_extra_args are split like a shell does (shlex).
#include "ansible_connection.hpp"

#include "digger/inventory/ssh_config.hpp"
#include "digger/util/ascii.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace digger::inventory {
namespace {

using util::Error;
using Vars = std::map<std::string, const AnsibleValue*>;

// The first of `keys` that is set, as usable text. Vault values and templates are refused: a
// wrong address or user would be worse than no scan.
util::Result<std::optional<std::string>> text_of(const Vars& vars, const AnsibleHost& host,
                                                 std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    auto it = vars.find(std::string(key));
    if (it == vars.end()) {
      continue;
    }
    const AnsibleValue& value = *it->second;
    if (value.kind == AnsibleValue::Kind::vault) {
      return Error{fmt::format("{}: {}: {} is vault-encrypted; Digger never decrypts vault values "
                               "(give it in clear, or set it in the ssh config)",
                               value.source.str(), host.name, key)};
    }
    if (value.kind == AnsibleValue::Kind::structure) {
      return Error{
          fmt::format("{}: {}: {} must be a single value", value.source.str(), host.name, key)};
    }
    if (value.text.find("{{") != std::string::npos || value.text.find("{%") != std::string::npos) {
      return Error{fmt::format("{}: {}: {} is a Jinja template ('{}'); Digger does not evaluate "
                               "templates",
                               value.source.str(), host.name, key, value.text.substr(0, 80))};
    }
    return std::optional<std::string>(value.text);
  }
  return std::optional<std::string>();
}

void warn_once(ConnectionNotes& notes, const std::string& key, const std::string& message) {
  if (notes.warned.insert(key).second) {
    notes.warnings.push_back(message);
  }
}

// `-J hops`, `-o ProxyJump=hops`, `-o ProxyCommand=...` (first one wins, as in ssh); other
// options are reported once and ignored.
util::Result<bool> apply_ssh_args(const AnsibleValue& value, const std::string& key,
                                  const AnsibleHost& host, InventoryEntry& entry,
                                  ConnectionNotes& notes) {
  auto words = shlex_split(value.text, false);
  if (!words) {
    return Error{fmt::format("{}: {}: {}: {}", value.source.str(), host.name, key, words.error())};
  }
  const std::vector<std::string>& w = *words;
  for (size_t i = 0; i < w.size(); ++i) {
    std::string option;
    std::string argument;
    if (w[i].rfind("-J", 0) == 0 || w[i].rfind("-o", 0) == 0) {
      option = w[i].substr(0, 2);
      argument = w[i].size() > 2 ? w[i].substr(2) : (i + 1 < w.size() ? w[++i] : "");
    } else {
      warn_once(notes, "arg " + w[i],
                fmt::format("{}: {} '{}' is ignored by Digger", value.source.str(), key, w[i]));
      continue;
    }
    std::string name = "proxyjump";
    if (option == "-o") {
      size_t start = argument.find_first_not_of(" \t");
      argument = start == std::string::npos ? "" : argument.substr(start);
      size_t split = argument.find_first_of("= \t");
      name = util::lower(argument.substr(0, split));
      argument = split == std::string::npos ? "" : argument.substr(split + 1);
      argument.erase(0, std::min(argument.find_first_not_of(" \t="), argument.size()));
    }
    if (name != "proxyjump" && name != "proxycommand") {
      warn_once(notes, "option " + name,
                fmt::format("{}: {}: ssh option '{}' is ignored by Digger", value.source.str(), key,
                            name));
      continue;
    }
    if (argument.empty()) {
      return Error{fmt::format("{}: {}: {}: {} needs a value", value.source.str(), host.name, key,
                               name == "proxyjump" ? "ProxyJump" : "ProxyCommand")};
    }
    if (name == "proxyjump" && util::lower(argument) != "none") {
      auto hops = parse_jump_list(argument);
      if (!hops) {
        return Error{
            fmt::format("{}: {}: ProxyJump: {}", value.source.str(), host.name, hops.error())};
      }
    }
    if (entry.proxy_jump || entry.proxy_command) {
      continue; // ssh keeps the first
    }
    (name == "proxyjump" ? entry.proxy_jump : entry.proxy_command) = argument;
    entry.proxy_source = value.source;
  }
  return true;
}

bool reached_over_ssh(const std::string& connection) {
  std::string c = util::lower(connection);
  return c == "ssh" || c == "smart" || c == "paramiko" || c == "paramiko_ssh" ||
         c == "ansible.builtin.ssh" || c == "ansible.builtin.paramiko_ssh";
}

bool is_true(const std::string& text) {
  std::string t = util::lower(text);
  return t == "true" || t == "yes" || t == "1" || t == "on" || t == "y";
}

} // namespace

// Python's shlex.split in POSIX mode: quotes, backslash escapes (inside double quotes only of
// `"` and `\`, as shlex does); with `comments`, '#' at the start of a word ends the text.
util::Result<std::vector<std::string>> shlex_split(std::string_view text, bool comments) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (quote == '"' && c == '\\' && i + 1 < text.size() &&
                 (text[i + 1] == '"' || text[i + 1] == '\\')) {
        word += text[++i];
      } else {
        word += c;
      }
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
    } else if (comments && c == '#' && !in_word) {
      break;
    } else {
      in_word = true;
      if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '\\' && i + 1 < text.size()) {
        word += text[++i];
      } else {
        word += c;
      }
    }
  }
  if (quote != 0) {
    return Error{"unterminated quote"};
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  return words;
}

util::Result<std::optional<InventoryEntry>>
connection_entry(const AnsibleHost& host, const Vars& vars, ConnectionNotes& notes) {
  InventoryEntry entry;
  entry.name = host.name;
  entry.source = host.source;
  entry.port = host.port;
  auto connection = text_of(vars, host, {"ansible_connection"});
  if (!connection) {
    return Error{connection.error()};
  }
  if (*connection && !reached_over_ssh(**connection)) {
    notes.warnings.push_back(fmt::format("{}: {}: ansible_connection={} is not SSH; not scanned",
                                         host.source.str(), host.name, **connection));
    return std::optional<InventoryEntry>();
  }
  auto address = text_of(vars, host, {"ansible_host", "ansible_ssh_host"});
  auto user = text_of(vars, host, {"ansible_user", "ansible_ssh_user"});
  auto port = text_of(vars, host, {"ansible_port", "ansible_ssh_port"});
  auto key = text_of(vars, host, {"ansible_ssh_private_key_file", "ansible_private_key_file"});
  auto become = text_of(vars, host, {"ansible_become"});
  for (const auto* result : {&address, &user, &port, &key, &become}) {
    if (!*result) {
      return Error{result->error()};
    }
  }
  if (*address && !(*address)->empty()) {
    entry.address = **address;
  }
  if (*user && !(*user)->empty()) {
    entry.user = **user;
  }
  if (*port && !host.port) { // `host:port` is a host variable: it beats group vars
    const std::string& p = **port;
    bool digits = !p.empty() && p.size() <= 5 && std::all_of(p.begin(), p.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (!digits || std::stoi(p) < 1 || std::stoi(p) > 65535) {
      return Error{fmt::format(
          "{}: {}: bad ansible_port '{}'",
          vars.at(vars.count("ansible_port") ? "ansible_port" : "ansible_ssh_port")->source.str(),
          host.name, p.substr(0, 40))};
    }
    entry.port = std::stoi(p);
  }
  if (*key && !(*key)->empty()) {
    entry.identity_files.push_back(**key);
  }
  entry.become = *become && is_true(**become);
  for (const char* args : {"ansible_ssh_common_args", "ansible_ssh_extra_args"}) {
    auto it = vars.find(args);
    if (it == vars.end()) {
      continue;
    }
    auto text = text_of(vars, host, {args});
    if (!text) {
      return Error{text.error()};
    }
    auto applied = apply_ssh_args(*it->second, args, host, entry, notes);
    if (!applied) {
      return Error{applied.error()};
    }
  }
  for (const char* secret : {"ansible_password", "ansible_ssh_pass", "ansible_ssh_password",
                             "ansible_become_password", "ansible_become_pass"}) {
    if (vars.count(secret) != 0) {
      warn_once(notes, secret,
                fmt::format("{}: {} is not used: Digger logs in with keys and runs sudo -n",
                            vars.at(secret)->source.str(), secret));
    }
  }
  return std::optional<InventoryEntry>(std::move(entry));
}

} // namespace digger::inventory
