#include "digger/ssh/agent.hpp"

#include "digger/ssh/handles.hpp"
#include "digger/ssh/wire.hpp"

#include <fmt/format.h>
#include <libssh2.h>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>

namespace digger::ssh {
namespace {

using util::Error;
using util::Result;

constexpr unsigned char agent_failure = 5;
constexpr unsigned char agentc_sign_request = 13;
constexpr unsigned char agent_sign_response = 14;
constexpr std::uint32_t max_agent_message = 256 * 1024;
constexpr int agent_timeout_seconds = 10;

Result<UniqueFd> connect_unix(const std::string& path) {
  sockaddr_un address{};
  if (path.size() >= sizeof address.sun_path) {
    return Error{"agent socket path too long"};
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd || ::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return Error{fmt::format("cannot reach ssh-agent: {}", std::strerror(errno))};
  }
  timeval timeout{agent_timeout_seconds, 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  return fd;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

bool read_exact(int fd, char* out, std::size_t size) {
  while (size > 0) {
    ssize_t got = ::recv(fd, out, size, 0);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return false;
    }
    out += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

} // namespace

Result<std::vector<AgentIdentity>> list_agent_identities(const std::string& socket_path) {
  std::vector<AgentIdentity> identities;
  if (socket_path.empty()) {
    return identities;
  }
  // libssh2's agent API needs a session only as an allocator; it is never connected.
  SessionPtr session = make_session();
  AgentPtr agent(session ? libssh2_agent_init(session.get()) : nullptr);
  if (!agent) {
    return Error{"cannot initialise libssh2's agent support"};
  }
  libssh2_agent_set_identity_path(agent.get(), socket_path.c_str());
  if (libssh2_agent_connect(agent.get()) != 0 || libssh2_agent_list_identities(agent.get()) != 0) {
    return Error{fmt::format("cannot list the identities of ssh-agent at {}", socket_path)};
  }
  libssh2_agent_publickey* previous = nullptr;
  libssh2_agent_publickey* current = nullptr;
  while (libssh2_agent_get_identity(agent.get(), &current, previous) == 0) {
    identities.push_back(
        {std::string(reinterpret_cast<const char*>(current->blob), current->blob_len),
         current->comment != nullptr ? current->comment : ""});
    previous = current;
  }
  agent.reset(); // before the session it allocates from
  return identities;
}

std::string agent_sign_request(std::string_view public_blob, std::string_view data,
                               std::uint32_t flags) {
  std::string body;
  body.push_back(static_cast<char>(agentc_sign_request));
  wire::put_string(body, public_blob);
  wire::put_string(body, data);
  wire::put_u32(body, flags); // 0 = the key's default algorithm (ssh-rsa for RSA)
  std::string message;
  wire::put_string(message, body);
  return message;
}

Result<std::string> parse_agent_sign_response(std::string_view message) {
  wire::Reader reader(message);
  auto type = reader.byte();
  if (type && *type == agent_failure) {
    return Error{"ssh-agent refused to sign"};
  }
  auto signature = reader.string();
  if (!type || *type != agent_sign_response || !signature) {
    return Error{"ssh-agent sent a malformed answer"};
  }
  wire::Reader inner(*signature);
  auto algorithm = inner.string();
  auto blob = inner.string();
  if (!algorithm || !blob) {
    return Error{"ssh-agent sent a malformed signature"};
  }
  return std::string(*blob);
}

Result<std::string> AgentConnection::transact(const std::string& request) {
  if (!fd_) {
    auto fd = connect_unix(path_);
    if (!fd) {
      return Error{fd.error()};
    }
    fd_ = std::move(fd).value();
  }
  char header[4];
  if (!write_all(fd_.get(), request) || !read_exact(fd_.get(), header, sizeof header)) {
    fd_.reset(); // reconnect next time
    return Error{"ssh-agent connection failed"};
  }
  auto length = wire::Reader(std::string_view(header, 4)).u32();
  if (!length || *length == 0 || *length > max_agent_message) {
    fd_.reset();
    return Error{"ssh-agent sent an oversized answer"};
  }
  std::string answer(*length, '\0');
  if (!read_exact(fd_.get(), answer.data(), answer.size())) {
    fd_.reset();
    return Error{"ssh-agent connection failed"};
  }
  return answer;
}

Result<std::string> AgentConnection::sign(std::string_view public_blob, std::string_view data,
                                          std::uint32_t flags) {
  auto answer = transact(agent_sign_request(public_blob, data, flags));
  if (!answer) {
    return Error{answer.error()};
  }
  return parse_agent_sign_response(*answer);
}

} // namespace digger::ssh
