#include "ssh_fleet.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace digger::ssh::testing {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void keygen(const std::string& path, const std::string& args) {
  run_shell(fmt::format("ssh-keygen -q {} -C digger-test -f '{}' </dev/null", args, path));
}

} // namespace

std::string run_shell(const std::string& command) {
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) {
    throw std::runtime_error("popen failed: " + command);
  }
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::size_t got = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) {
    out.append(buffer.data(), got);
  }
  int status = pclose(pipe.release());
  if (status != 0) {
    throw std::runtime_error("command failed: " + command);
  }
  return out;
}

Fleet& Fleet::get() {
  static Fleet fleet = [] {
    Fleet f;
    char pattern[] = "/tmp/digger-ssh-test-XXXXXX";
    f.dir = mkdtemp(pattern);
    f.key_ed25519 = f.dir + "/id_ed25519";
    f.key_ecdsa_pem = f.dir + "/id_ecdsa_pem";
    f.key_ecdsa_enc = f.dir + "/id_ecdsa_enc";
    f.key_rsa = f.dir + "/id_rsa";
    f.key_unauthorized = f.dir + "/id_unauthorized";
    keygen(f.key_ed25519, "-t ed25519 -N ''");
    keygen(f.key_ecdsa_pem, "-t ecdsa -b 384 -m PEM -N ''");
    keygen(f.key_ecdsa_enc, fmt::format("-t ecdsa -N '{}'", f.passphrase));
    keygen(f.key_rsa, "-t rsa -b 2048 -N ''");
    keygen(f.key_unauthorized, "-t ed25519 -N ''");
    std::string authorized;
    for (const auto& key : {f.key_ed25519, f.key_ecdsa_pem, f.key_ecdsa_enc, f.key_rsa}) {
      authorized += slurp(key + ".pub");
    }
    std::string authorized_path = f.write_file("authorized_keys", authorized);
    f.address = {
        {"a", "127.0.61.1"}, {"b", "127.0.61.2"}, {"c", "127.0.61.3"}, {"d", "127.0.61.4"}};
    for (const auto& [name, host_address] : f.address) {
      f.pids.push_back(std::stoi(
          run_shell(fmt::format("'{}' start '{}' {} {} {} '{}'", DIGGER_SSH_FIXTURE, f.dir, name,
                                host_address, fleet_port, authorized_path))));
    }
    f.pids.push_back(std::stoi(run_shell(fmt::format("'{}' tarpit '{}' tarpit 127.0.61.9 {}",
                                                     DIGGER_SSH_FIXTURE, f.dir, fleet_port))));
    f.pids.push_back(std::stoi(run_shell(fmt::format("'{}' dropper '{}' dropper 127.0.61.10 {}",
                                                     DIGGER_SSH_FIXTURE, f.dir, fleet_port))));
    return f;
  }();
  return fleet;
}

Fleet::~Fleet() {
  std::string pid_list;
  for (int pid : pids) {
    pid_list += fmt::format(" {}", pid);
  }
  if (!pid_list.empty()) {
    std::system(fmt::format("'{}' stop{}", DIGGER_SSH_FIXTURE, pid_list).c_str());
  }
  if (!dir.empty() && std::getenv("DIGGER_KEEP_SSH_TEST_DIR") == nullptr) {
    std::system(fmt::format("rm -rf '{}'", dir).c_str());
  }
}

std::string Fleet::log_of(const std::string& server) const {
  return slurp(fmt::format("{}/{}/sshd.log", dir, server));
}

std::string Fleet::host_pub(const std::string& server, const std::string& type) const {
  return slurp(fmt::format("{}/{}/ssh_host_{}_key.pub", dir, server, type));
}

std::string Fleet::write_file(const std::string& name, const std::string& text) const {
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

Target target_for(const std::string& address, int port, const std::string& user) {
  Target target;
  target.name = address;
  target.address = address;
  target.port = port;
  target.user = user;
  target.connect_timeout = std::chrono::milliseconds(2000);
  return target;
}

KeyRing key_ring_with(const std::vector<std::string>& files) {
  KeyRingOptions options;
  options.use_agent = false;
  options.default_identity_files = false;
  options.identity_files = files;
  std::string passphrase = Fleet::get().passphrase;
  options.passphrase = [passphrase](const std::string&) -> std::optional<SecretString> {
    return SecretString(passphrase);
  };
  return KeyRing::load(options);
}

Run run(const std::vector<Target>& targets, const std::string& command, const Options& options,
        KeyRing& keys, HostKeyStore& store, const std::atomic<bool>* stop, std::size_t stop_after) {
  Run result;
  result.outcomes.resize(targets.size());
  result.reported.assign(targets.size(), false);
  std::atomic<bool> never{false};
  auto& stop_flag = const_cast<std::atomic<bool>&>(stop != nullptr ? *stop : never);
  std::mutex mutex; // on_done runs on several workers at once
  run_fanout(
      targets, command, options, keys, store,
      [&](std::size_t index, Outcome&& outcome) {
        std::lock_guard lock(mutex);
        if (result.reported[index]) {
          ++result.duplicates; // asserted by the tests: must stay 0
        }
        result.reported[index] = true;
        result.outcomes[index] = std::move(outcome);
        if (++result.count == stop_after) {
          stop_flag.store(true);
        }
      },
      stop_flag);
  return result;
}

} // namespace digger::ssh::testing
