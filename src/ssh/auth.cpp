#include "digger/ssh/auth.hpp"

#include "digger/ssh/openssh_key.hpp"
#include "digger/ssh/wire.hpp"

#include <fmt/format.h>
#include <libssh2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <sstream>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace digger::ssh {
namespace {

using util::Error;
using util::Result;

constexpr std::size_t max_key_file_bytes = 64 * 1024;

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : fallback;
}

bool file_exists(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

// OpenSSH's rule (sshkey_perm_ok): a key file of ours that group or others may access may
// already be someone else's key too. Checked on the opened descriptor, not on the name.
std::optional<std::string> unprotected_key(int fd, const std::string& path) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_uid != ::geteuid() || (info.st_mode & 077) == 0) {
    return std::nullopt;
  }
  return fmt::format("UNPROTECTED PRIVATE KEY FILE: permissions {:04o} for '{}' are too open "
                     "(it must not be accessible by group or others: chmod 600); key ignored",
                     info.st_mode & 07777, path);
}

Result<SecretString> read_key_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return Error{fmt::format("cannot read identity file {}", path)};
  }
  if (auto refusal = unprotected_key(fd, path)) {
    ::close(fd);
    return Error{*refusal};
  }
  std::string text(max_key_file_bytes + 1, '\0');
  std::size_t got = 0;
  ssize_t n = 0;
  while (got < text.size() && (n = ::read(fd, text.data() + got, text.size() - got)) > 0) {
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  SecretString secret(std::move(text));
  if (n < 0) {
    return Error{fmt::format("cannot read identity file {}", path)};
  }
  if (secret.get().size() > max_key_file_bytes) {
    return Error{fmt::format("identity file {} is too large to be a key", path)};
  }
  return secret;
}

// Reads one line from /dev/tty with echo off. Nothing when there is no terminal.
std::optional<SecretString> prompt_on_tty(const std::string& key_path) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return std::nullopt;
  }
  termios saved{};
  bool have_termios = tcgetattr(fd, &saved) == 0;
  if (have_termios) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string prompt = fmt::format("Enter passphrase for key '{}': ", key_path);
  [[maybe_unused]] auto written = ::write(fd, prompt.data(), prompt.size());
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n' && line.size() < 4096) {
    line.push_back(c);
  }
  if (have_termios) {
    tcsetattr(fd, TCSAFLUSH, &saved);
  }
  [[maybe_unused]] auto newline = ::write(fd, "\n", 1);
  ::close(fd);
  SecretString secret(std::move(line));
  OPENSSL_cleanse(&c, sizeof c);
  return secret;
}

bool is_rsa(const std::string& type) {
  return type == "ssh-rsa";
}

// PKCS#1 v1.5 over the hash the algorithm names (RFC 8332): ssh-rsa is SHA-1.
Result<std::string> sign_rsa(const PrivateKey& key, std::string_view data,
                             const std::string& algorithm) {
  const EVP_MD* digest = algorithm == "rsa-sha2-512"   ? EVP_sha512()
                         : algorithm == "rsa-sha2-256" ? EVP_sha256()
                                                       : EVP_sha1();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
  std::size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (!context || EVP_DigestSignInit(context.get(), nullptr, digest, nullptr, key.key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, bytes, data.size()) != 1) {
    return Error{"RSA signing failed"};
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     bytes, data.size()) != 1) {
    return Error{"RSA signing failed"};
  }
  signature.resize(length);
  return signature;
}

// ssh-agent's sign flags for an RSA key (draft-miller-ssh-agent, 4.5.1).
std::uint32_t agent_flags_for(const std::string& algorithm) {
  if (algorithm == "rsa-sha2-512") {
    return 4; // SSH_AGENT_RSA_SHA2_512
  }
  return algorithm == "rsa-sha2-256" ? 2 : 0; // SSH_AGENT_RSA_SHA2_256; 0 = ssh-rsa
}

} // namespace

PassphraseProvider default_passphrase_provider() {
  // Read once and removed from the environment (and wiped there): no child process, core
  // file or /proc/PID/environ reader sees it afterwards. Call before any thread starts.
  std::shared_ptr<const SecretString> from_env;
  if (char* value = std::getenv("DIGGER_KEY_PASSPHRASE"); value != nullptr) {
    from_env = std::make_shared<const SecretString>(std::string(value));
    OPENSSL_cleanse(value, std::strlen(value));
    ::unsetenv("DIGGER_KEY_PASSPHRASE");
  }
  return [from_env](const std::string& key_path) -> std::optional<SecretString> {
    if (from_env) {
      return SecretString(from_env->get());
    }
    return prompt_on_tty(key_path);
  };
}

KeyRing KeyRing::load(const KeyRingOptions& options) {
  KeyRing ring;
  ring.options_ = options;
  if (options.use_agent) {
    ring.agent_socket_ = options.agent_socket.value_or(env_or("SSH_AUTH_SOCK", ""));
    auto listed = list_agent_identities(ring.agent_socket_);
    if (!listed) {
      ring.warnings_.push_back(listed.error());
    } else {
      for (auto& found : *listed) {
        auto identity = std::make_unique<Identity>();
        identity->kind = Identity::Kind::agent;
        identity->origin = fmt::format("ssh-agent: {}", found.comment);
        identity->type = wire::key_type_of_blob(found.public_blob);
        identity->public_blob = std::move(found.public_blob);
        ring.agent_identities_.push_back(std::move(identity));
      }
    }
  }
  for (const auto& path : options.identity_files) {
    ring.add_file(path, true, true);
  }
  if (options.default_identity_files) {
    std::string home = options.home.value_or(env_or("HOME", ""));
    for (const char* name : {"id_ed25519", "id_ecdsa", "id_rsa"}) {
      std::string path = fmt::format("{}/.ssh/{}", home, name);
      if (!home.empty() && file_exists(path)) {
        ring.add_file(path, false, true);
      }
    }
  }
  return ring;
}

void KeyRing::add_identity_file(const std::string& path) {
  add_file(path, true, false);
}

void KeyRing::add_file(const std::string& path, bool explicitly_given, bool for_every_target) {
  for (auto& entry : files_) {
    if (entry.path == path) {
      entry.for_every_target = entry.for_every_target || for_every_target;
      return;
    }
  }
  files_.push_back({path, load_file(path, explicitly_given), for_every_target});
}

std::unique_ptr<Identity> KeyRing::load_file(const std::string& path, bool explicitly_given) {
  auto text = read_key_file(path);
  if (!text) {
    // A default key too: OpenSSH says so for every key it ignores for its permissions.
    if (explicitly_given || text.error().rfind("UNPROTECTED", 0) == 0) {
      warnings_.push_back(text.error());
    }
    return nullptr;
  }
  const std::string& pem = text->get();
  auto identity = std::make_unique<Identity>();
  identity->origin = path;
  if (detect_key_encoding(pem) == KeyEncoding::openssh) {
    auto blob = openssh_public_blob(pem); // readable without the passphrase
    if (!blob) {
      warnings_.push_back(fmt::format("{}: {}", path, blob.error()));
      return nullptr;
    }
    identity->public_blob = std::move(blob).value();
    identity->type = wire::key_type_of_blob(identity->public_blob);
  }
  SecretString passphrase;
  if (key_is_encrypted(pem)) {
    auto given = options_.passphrase ? options_.passphrase(path) : std::nullopt;
    if (!given) {
      warnings_.push_back(fmt::format("{}: encrypted key skipped (no passphrase: set "
                                      "DIGGER_KEY_PASSPHRASE or run from a terminal)",
                                      path));
      return nullptr;
    }
    passphrase = std::move(*given);
  }
  auto parsed = parse_private_key(pem, passphrase.get());
  if (!parsed && !identity->public_blob.empty() && parsed.error().rfind("unsupported", 0) == 0) {
    // An openssh file we cannot parse (RSA, another cipher): libssh2 reads it at each
    // authentication instead, at about 0.6 ms of CPU per host more.
    identity->kind = Identity::Kind::libssh2_file;
    identity->pem = std::make_shared<const SecretString>(std::move(text).value());
    identity->passphrase = std::make_shared<const SecretString>(std::move(passphrase));
    return identity;
  }
  if (!parsed) {
    warnings_.push_back(fmt::format("{}: {}", path, parsed.error()));
    return nullptr;
  }
  identity->kind = Identity::Kind::parsed_key;
  identity->type = parsed->type;
  identity->public_blob = parsed->public_blob;
  identity->key = std::make_shared<const PrivateKey>(std::move(parsed).value());
  return identity;
}

std::vector<const Identity*> KeyRing::identities_for(const std::vector<std::string>& files,
                                                     bool identities_only) const {
  std::vector<const Identity*> wanted_files;
  for (const auto& entry : files_) {
    bool wanted = files.empty() ? entry.for_every_target
                                : std::find(files.begin(), files.end(), entry.path) != files.end();
    if (wanted && entry.identity != nullptr) {
      wanted_files.push_back(entry.identity.get());
    }
  }
  std::vector<const Identity*> chosen;
  std::vector<const Identity*> rsa_last;
  auto take = [&](const Identity* identity) {
    auto same_key = [&](const Identity* other) {
      return other->public_blob == identity->public_blob;
    };
    if (std::any_of(chosen.begin(), chosen.end(), same_key) ||
        std::any_of(rsa_last.begin(), rsa_last.end(), same_key)) {
      return;
    }
    if (is_rsa(identity->type)) {
      rsa_last.push_back(
          identity); // with libssh2 1.10, refused by OpenSSH >= 8.8: try others first
      return;
    }
    chosen.push_back(identity);
  };
  for (const auto& identity : agent_identities_) {
    // IdentitiesOnly (ssh_config(5)): the agent may sign, but only for the configured files.
    bool allowed = !identities_only ||
                   std::any_of(wanted_files.begin(), wanted_files.end(), [&](const Identity* file) {
                     return file->public_blob == identity->public_blob;
                   });
    if (allowed) {
      take(identity.get());
    }
  }
  for (const Identity* identity : wanted_files) {
    take(identity);
  }
  chosen.insert(chosen.end(), rsa_last.begin(), rsa_last.end());
  return chosen;
}

Result<std::string> sign_with(const Identity& identity, std::string_view data,
                              AgentConnection& agent) {
  if (is_rsa(identity.type)) {
    std::string algorithm = signature_algorithm(data);
    if (identity.kind == Identity::Kind::agent) {
      return agent.sign(identity.public_blob, data, agent_flags_for(algorithm));
    }
    if (identity.kind == Identity::Kind::parsed_key) {
      return sign_rsa(*identity.key, data, algorithm);
    }
  }
  switch (identity.kind) {
  case Identity::Kind::agent:
    return agent.sign(identity.public_blob, data);
  case Identity::Kind::parsed_key:
    return sign_data(*identity.key, data);
  case Identity::Kind::libssh2_file:
    break;
  }
  return Error{"this identity is signed by libssh2 itself"};
}

} // namespace digger::ssh

namespace digger::ssh {

std::string signature_algorithm(std::string_view signed_data) {
  wire::Reader reader(signed_data);
  auto session_id = reader.string();
  auto type = reader.byte();
  auto user = reader.string();
  auto service = reader.string();
  auto method = reader.string();
  auto has_signature = reader.byte();
  auto algorithm = reader.string();
  constexpr std::uint8_t userauth_request = 50;
  if (!session_id || !type || *type != userauth_request || !user || !service || !method ||
      *method != "publickey" || !has_signature || !algorithm) {
    return {};
  }
  return std::string(*algorithm);
}

std::optional<std::pair<int, int>> openssh_version(std::string_view banner) {
  constexpr std::string_view tag = "OpenSSH_";
  auto at = banner.find(tag);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  int major = 0;
  int minor = 0;
  if (std::sscanf(std::string(banner.substr(at + tag.size(), 16)).c_str(), "%d.%d", &major,
                  &minor) != 2) {
    return std::nullopt;
  }
  return std::make_pair(major, minor);
}

std::string refused_reason(const std::string& user, const std::vector<std::string>& tried,
                           const Identity* last_tried, std::string_view server_banner) {
  std::string list;
  for (const auto& entry : tried) {
    list += list.empty() ? entry : "; " + entry;
  }
  std::string refused = fmt::format("public key refused for user {} (tried: {})", user, list);
#ifndef DIGGER_LIBSSH2_SIGN_ALGO
  // libssh2 1.10 offered the RSA key as ssh-rsa: OpenSSH >= 8.8 refuses that by default.
  auto version = openssh_version(server_banner);
  if (last_tried != nullptr && is_rsa(last_tried->type) && version &&
      *version >= std::make_pair(8, 8)) {
    return fmt::format("server refuses ssh-rsa (SHA-1) signatures (OpenSSH >= 8.8); use an "
                       "Ed25519/ECDSA key for it; {}",
                       refused);
  }
#else
  (void)last_tried;
  (void)server_banner;
#endif
  return refused;
}

void prefer_rsa_sha2([[maybe_unused]] LIBSSH2_SESSION* session) {
#ifdef DIGGER_LIBSSH2_SIGN_ALGO
  // libssh2 >= 1.11: upgrade RSA keys to SHA-2 when the server lists them (server-sig-algs).
  libssh2_session_method_pref(session, LIBSSH2_METHOD_SIGN_ALGO,
                              "rsa-sha2-512,rsa-sha2-256,ssh-rsa");
#endif
}

} // namespace digger::ssh
