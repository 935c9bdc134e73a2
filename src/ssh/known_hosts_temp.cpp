// TEMPORARY stand-in for src/ssh/known_hosts.cpp (written by another helper): plain names,
// "[host]:port", comma lists and @revoked only. Deleted before the branch is handed over.
#include "digger/ssh/known_hosts.hpp"
#include "digger/ssh/private_key.hpp"
#include "digger/ssh/wire.hpp"

#include <fmt/format.h>
#include <openssl/sha.h>

#include <sstream>

namespace digger::ssh {

struct KnownHosts::Entry {
  std::vector<std::string> hosts;
  bool revoked = false;
  HostKey key;
  std::string where;
};

namespace {
std::string host_form(std::string_view host, int port) {
  return port == 22 ? std::string(host) : fmt::format("[{}]:{}", host, port);
}
} // namespace

std::string fingerprint_sha256(const HostKey& key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.blob.data()), key.blob.size(), digest);
  return "SHA256:" +
         base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest),
                       false);
}

void KnownHosts::add_text(std::string_view text, std::string_view origin) {
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::istringstream words(line);
    std::string first, type, base64;
    if (!(words >> first) || first[0] == '#') {
      continue;
    }
    auto entry = std::make_shared<Entry>();
    std::string hosts = first;
    if (first[0] == '@') {
      entry->revoked = first == "@revoked";
      if (!entry->revoked || !(words >> hosts)) {
        continue;
      }
    }
    if (!(words >> type >> base64)) {
      warnings_.push_back(fmt::format("{}:{}: malformed line", origin, number));
      continue;
    }
    std::istringstream list(hosts);
    for (std::string host; std::getline(list, host, ',');) {
      entry->hosts.push_back(host);
    }
    entry->key = {type, base64_decode(base64)};
    entry->where = fmt::format("{}:{}", origin, number);
    entries_.push_back(std::move(entry));
  }
}

std::vector<std::string> KnownHosts::key_types_for(std::string_view host, int port) const {
  std::vector<std::string> types;
  std::string wanted = host_form(host, port);
  for (const auto& entry : entries_) {
    for (const auto& name : entry->hosts) {
      if (name == wanted && !entry->revoked) {
        types.push_back(entry->key.type);
      }
    }
  }
  return types;
}

HostKeyCheck KnownHosts::check(std::string_view host, int port, const HostKey& key) const {
  std::string wanted = host_form(host, port);
  HostKeyCheck result;
  for (const auto& entry : entries_) {
    if (entry->revoked && entry->key.blob == key.blob) {
      return {HostKeyVerdict::revoked, entry->where};
    }
  }
  for (const auto& entry : entries_) {
    bool named = false;
    for (const auto& name : entry->hosts) {
      named = named || name == wanted;
    }
    if (!named || entry->revoked) {
      continue;
    }
    std::string detail =
        fmt::format("{} has {} {}", entry->where, entry->key.type, fingerprint_sha256(entry->key));
    if (entry->key.type == key.type && entry->key.blob == key.blob) {
      return {HostKeyVerdict::known, detail};
    }
    if (entry->key.type == key.type) {
      result = {HostKeyVerdict::changed, detail};
    } else if (result.verdict == HostKeyVerdict::unknown) {
      result = {HostKeyVerdict::known_other_type, detail};
    }
  }
  return result;
}

std::string KnownHosts::format_entry(std::string_view host, int port, const HostKey& key) {
  return fmt::format("{} {} {}\n", host_form(host, port), key.type, base64_encode(key.blob, true));
}

} // namespace digger::ssh
