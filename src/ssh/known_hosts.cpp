// OpenSSH known_hosts, read the way ssh's hostfile.c reads it: optional marker, host patterns
// (or one hashed name), key type, base64 key, comment. libssh2 1.10's own parser ignores markers
// and patterns and stops at the first odd line, so Digger does not use it.
//
// The low-level SHA1 calls are deprecated in OpenSSL 3, but HMAC() costs ~4 us per call there
// (provider lookups), and a hashed known_hosts file is HMACed once per entry for every host of
// the fleet. With each entry's key schedule computed once, a match costs two SHA-1 blocks.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "digger/ssh/known_hosts.hpp"

#include "digger/util/ascii.hpp"
#include "digger/util/glob.hpp"
#include "digger/util/lines.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <stdexcept>

namespace digger::ssh {
namespace {

constexpr size_t max_line_bytes = 64 * 1024;
constexpr size_t max_entries = 1'000'000;

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view data, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (size_t i = 0; i < data.size(); i += 3) {
    size_t n = std::min<size_t>(3, data.size() - i);
    uint32_t chunk = 0;
    for (size_t j = 0; j < 3; ++j) {
      chunk = (chunk << 8) | (j < n ? static_cast<unsigned char>(data[i + j]) : 0u);
    }
    for (size_t j = 0; j < 4; ++j) {
      if (j <= n) {
        out += base64_alphabet[(chunk >> (18 - 6 * j)) & 0x3f];
      } else if (pad) {
        out += '=';
      }
    }
  }
  return out;
}

// Strict: only the alphabet, '=' only as trailing padding, no bits left over.
std::optional<std::string> base64_decode(std::string_view text) {
  size_t padding = 0;
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
    ++padding;
  }
  if (text.size() % 4 == 1 || padding > 2 || (padding > 0 && (text.size() + padding) % 4 != 0)) {
    return std::nullopt;
  }
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    size_t value = base64_alphabet.find(c);
    if (value == std::string_view::npos) {
      return std::nullopt;
    }
    bits = ((bits << 6) | static_cast<uint32_t>(value)) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  if ((bits & ((1u << count) - 1)) != 0) {
    return std::nullopt; // non-canonical: stray bits in the last character
  }
  return out;
}

// The first SSH "string" of a key blob is its type name ("ssh-ed25519").
std::optional<std::string> blob_type(std::string_view blob) {
  if (blob.size() < 4) {
    return std::nullopt;
  }
  uint32_t length = 0;
  for (int i = 0; i < 4; ++i) {
    length = (length << 8) | static_cast<unsigned char>(blob[i]);
  }
  if (length == 0 || length > 64 || length > blob.size() - 4) {
    return std::nullopt;
  }
  return std::string(blob.substr(4, length));
}

// HMAC-SHA1 with a fixed key (the entry's salt, at most one block long).
class Sha1Hmac {
public:
  explicit Sha1Hmac(std::string_view key) {
    std::array<unsigned char, SHA_CBLOCK> inner_pad{};
    std::array<unsigned char, SHA_CBLOCK> outer_pad{};
    for (size_t i = 0; i < SHA_CBLOCK; ++i) {
      unsigned char byte = i < key.size() ? static_cast<unsigned char>(key[i]) : 0;
      inner_pad[i] = byte ^ 0x36;
      outer_pad[i] = byte ^ 0x5c;
    }
    SHA1_Init(&inner_);
    SHA1_Update(&inner_, inner_pad.data(), inner_pad.size());
    SHA1_Init(&outer_);
    SHA1_Update(&outer_, outer_pad.data(), outer_pad.size());
  }

  using Digest = std::array<unsigned char, SHA_DIGEST_LENGTH>;

  Digest mac(std::string_view data) const {
    Digest digest;
    SHA_CTX context = inner_;
    SHA1_Update(&context, data.data(), data.size());
    SHA1_Final(digest.data(), &context);
    context = outer_;
    SHA1_Update(&context, digest.data(), digest.size());
    SHA1_Final(digest.data(), &context);
    return digest;
  }

private:
  SHA_CTX inner_{};
  SHA_CTX outer_{};
};

// ssh's put_host_port(): the bare name for port 22, "[name]:port" otherwise.
std::string lookup_name(std::string_view host, int port) {
  std::string name = util::lower(host);
  return port <= 0 || port == 22 ? name : fmt::format("[{}]:{}", name, port);
}

std::string key_type_of(const HostKey& key) {
  return blob_type(key.blob).value_or(key.type);
}

// Marker, hosts, type, key: the rest of the line is a comment.
std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < line.size() && fields.size() < 4) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) {
      ++pos;
    }
    size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') {
      ++pos;
    }
    if (pos > start) {
      fields.push_back(line.substr(start, pos - start));
    }
  }
  return fields;
}

struct HostLine {
  enum class Marker { none, revoked, cert_authority };
  Marker marker = Marker::none;
  std::string patterns;         // lowercased pattern list, when not hashed
  std::optional<Sha1Hmac> hmac; // keyed with the salt of a hashed name
  Sha1Hmac::Digest hash{};
  HostKey key;
  std::string location; // "known_hosts:12"

  bool matches(const std::string& name) const {
    if (hmac) {
      return hmac->mac(name) == hash;
    }
    return util::match_pattern_list(name, patterns, false) == util::ListMatch::positive;
  }
};

// The hosts field: "|1|salt|hash" or a pattern list. An error text when unusable.
std::optional<std::string> parse_hosts_field(std::string_view field, HostLine& entry) {
  if (field[0] != '|') {
    entry.patterns = util::lower(field);
    return std::nullopt;
  }
  if (field.rfind("|1|", 0) != 0) {
    return "unknown hashed-name format";
  }
  field.remove_prefix(3);
  size_t bar = field.find('|');
  if (bar == std::string_view::npos) {
    return "bad hashed name";
  }
  auto salt = base64_decode(field.substr(0, bar));
  auto hash = base64_decode(field.substr(bar + 1));
  if (!salt || !hash || salt->size() != SHA_DIGEST_LENGTH || hash->size() != SHA_DIGEST_LENGTH) {
    return "bad hashed name";
  }
  entry.hmac.emplace(*salt);
  std::copy(hash->begin(), hash->end(), entry.hash.begin());
  return std::nullopt;
}

// One line into `entry`; an error text for a line to skip.
std::optional<std::string> parse_entry(std::string_view line, HostLine& entry) {
  auto fields = split_fields(line);
  size_t first = 0;
  if (fields[0][0] == '@') {
    if (fields[0] == "@revoked") {
      entry.marker = HostLine::Marker::revoked;
    } else if (fields[0] == "@cert-authority") {
      entry.marker = HostLine::Marker::cert_authority;
    } else {
      return fmt::format("unknown marker '{}'", fields[0]);
    }
    first = 1;
  }
  if (fields.size() < first + 3) {
    return "missing key";
  }
  if (auto problem = parse_hosts_field(fields[first], entry)) {
    return problem;
  }
  std::string_view type = fields[first + 1];
  if (std::all_of(type.begin(), type.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return "SSH-1 keys are not supported";
  }
  auto blob = base64_decode(fields[first + 2]);
  if (!blob) {
    return "bad base64 key";
  }
  auto embedded = blob_type(*blob);
  if (!embedded || *embedded != type) {
    return fmt::format("key type '{}' does not match the key ('{}')", type,
                       embedded.value_or("unreadable"));
  }
  entry.key = HostKey{std::string(type), std::move(*blob)};
  return std::nullopt;
}

} // namespace

struct KnownHosts::Entry : HostLine {};

std::string fingerprint_sha256(const HostKey& key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(key.blob.data(), key.blob.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return "SHA256:" + base64_encode({reinterpret_cast<const char*>(digest.data()), length}, false);
}

void KnownHosts::add_text(std::string_view text, std::string_view origin) {
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    std::string_view line = util::without_cr(util::take_line(text));
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == '#') {
      continue;
    }
    std::string location = fmt::format("{}:{}", origin, line_number);
    if (entries_.size() >= max_entries) {
      warnings_.push_back(
          fmt::format("{}: more than {} entries; the rest is ignored", location, max_entries));
      return;
    }
    if (line.size() > max_line_bytes) {
      warnings_.push_back(
          fmt::format("{}: line longer than {} bytes; line skipped", location, max_line_bytes));
      continue;
    }
    auto entry = std::make_shared<Entry>();
    if (auto problem = parse_entry(line.substr(start), *entry)) {
      warnings_.push_back(fmt::format("{}: {}; line skipped", location, *problem));
      continue;
    }
    if (entry->marker == Entry::Marker::cert_authority && !cert_authority_warned_) {
      cert_authority_warned_ = true;
      warnings_.push_back(fmt::format("{}: @cert-authority: libssh2 1.10 cannot verify host "
                                      "certificates; hosts known only through a certificate "
                                      "authority are refused (record their own keys)",
                                      location));
    }
    entry->location = std::move(location);
    entries_.push_back(std::move(entry));
  }
}

std::vector<std::string> KnownHosts::key_types_for(std::string_view host, int port) const {
  std::string name = lookup_name(host, port);
  std::vector<std::string> types;
  for (const auto& entry : entries_) {
    if (entry->marker == Entry::Marker::none && entry->matches(name) &&
        std::find(types.begin(), types.end(), entry->key.type) == types.end()) {
      types.push_back(entry->key.type);
    }
  }
  return types;
}

HostKeyCheck KnownHosts::check(std::string_view host, int port, const HostKey& key) const {
  std::string name = lookup_name(host, port);
  std::string type = key_type_of(key);
  const Entry* same = nullptr;
  const Entry* changed = nullptr;
  const Entry* other_type = nullptr;
  const Entry* revoked = nullptr;
  const Entry* authority = nullptr;
  auto keep_first = [](const Entry*& slot, const Entry* entry) {
    slot = slot != nullptr ? slot : entry;
  };
  for (const auto& entry : entries_) {
    if (!entry->matches(name)) {
      continue;
    }
    if (entry->marker == Entry::Marker::cert_authority) {
      keep_first(authority, entry.get());
      continue;
    }
    if (entry->marker == Entry::Marker::revoked) {
      if (entry->key.blob == key.blob) {
        keep_first(revoked, entry.get());
      }
    } else if (entry->key.blob == key.blob) {
      keep_first(same, entry.get());
    } else {
      keep_first(entry->key.type == type ? changed : other_type, entry.get());
    }
  }
  std::string offered = fmt::format("{} {}", type, fingerprint_sha256(key));
  auto recorded = [](const Entry* e) {
    return fmt::format("{} has {} {}", e->location, e->key.type, fingerprint_sha256(e->key));
  };
  if (revoked != nullptr) {
    return {HostKeyVerdict::revoked,
            fmt::format("{} marks {} as @revoked", revoked->location, offered)};
  }
  if (same != nullptr) {
    return {HostKeyVerdict::known, recorded(same)};
  }
  if (changed != nullptr) {
    return {HostKeyVerdict::changed,
            fmt::format("{}; the server sent {}", recorded(changed), fingerprint_sha256(key))};
  }
  if (other_type != nullptr) {
    return {HostKeyVerdict::known_other_type,
            fmt::format("{}; the server sent {}", recorded(other_type), offered)};
  }
  if (authority != nullptr) {
    return {HostKeyVerdict::cert_authority_only,
            fmt::format("{} names a @cert-authority for {}; the server sent {}",
                        authority->location, name, offered)};
  }
  return {HostKeyVerdict::unknown,
          fmt::format("no entry for {}; the server sent {}", name, offered)};
}

std::string KnownHosts::format_entry(std::string_view host, int port, const HostKey& key) {
  bool unsafe = host.empty() || host[0] == '#' || host[0] == '@' || host[0] == '|' ||
                std::any_of(host.begin(), host.end(), [](char c) {
                  unsigned char u = static_cast<unsigned char>(c);
                  return u <= 0x20 || u == 0x7f || c == ',' || c == '*' || c == '?' || c == '!';
                });
  std::string type = key_type_of(key);
  bool bad_type = type.empty() || std::any_of(type.begin(), type.end(), [](char c) {
                    return !std::isgraph(static_cast<unsigned char>(c));
                  });
  if (unsafe || key.blob.empty() || bad_type) {
    throw std::invalid_argument("known_hosts entry for an unusable host name or key");
  }
  return fmt::format("{} {} {}\n", lookup_name(host, port), type, base64_encode(key.blob, true));
}

} // namespace digger::ssh
