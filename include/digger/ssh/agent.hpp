#pragma once

// ssh-agent access. Identities are listed once per scan through libssh2_agent_*; signing
// goes through our own minimal client of the agent protocol, because libssh2 1.10 has no
// libssh2_agent_sign() and its agent handle is bound to one session.

#include "digger/ssh/socket.hpp"
#include "digger/util/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace digger::ssh {

struct AgentIdentity {
  std::string public_blob;
  std::string comment;
};

// Empty when SSH_AUTH_SOCK is unset; an error when the agent cannot be reached.
util::Result<std::vector<AgentIdentity>> list_agent_identities(const std::string& socket_path);

// One connection to the agent, used by one thread. Requests are local and quick, so they are
// made blocking with a timeout (an agent asking for confirmation stalls one worker that long).
class AgentConnection {
public:
  explicit AgentConnection(std::string socket_path) : path_(std::move(socket_path)) {}

  // The signature blob for `data`, without the algorithm-name wrapper. `flags`: 0, or for an
  // RSA key 2 (rsa-sha2-256) or 4 (rsa-sha2-512).
  util::Result<std::string> sign(std::string_view public_blob, std::string_view data,
                                 std::uint32_t flags = 0);

private:
  util::Result<std::string> transact(const std::string& request);
  std::string path_;
  UniqueFd fd_;
};

// Pure helpers, exposed for tests.
std::string agent_sign_request(std::string_view public_blob, std::string_view data,
                               std::uint32_t flags = 0);
util::Result<std::string> parse_agent_sign_response(std::string_view message);

} // namespace digger::ssh
