#include "digger/inventory/target_json.hpp"

#include <nlohmann/json.hpp>

namespace digger::inventory {

std::string target_json(const ScanTarget& target) {
  using Json = nlohmann::json;
  auto known = [](const std::string& host, int port) {
    return port == 22 ? host : "[" + host + "]:" + std::to_string(port);
  };
  Json hops = Json::array();
  for (const JumpHop& hop : target.jump_hosts) {
    hops.push_back({{"name", hop.name},
                    {"address", hop.address},
                    {"port", hop.port},
                    {"user", hop.user},
                    {"identity_files", hop.identity_files},
                    {"known_hosts", known(hop.known_hosts_host, hop.known_hosts_port)},
                    {"connect_timeout_ms", hop.connect_timeout.count()}});
  }
  Json labels = Json::object();
  for (const auto& [key, value] : target.labels) {
    labels[key] = value;
  }
  Json out = {{"name", target.name},
              {"address", target.address},
              {"port", target.port},
              {"user", target.user},
              {"identity_files", target.identity_files},
              {"identities_only", target.identities_only},
              {"jump_hosts", hops},
              {"proxy_command", target.proxy_command ? Json(*target.proxy_command) : Json()},
              {"known_hosts", known(target.known_hosts_host, target.known_hosts_port)},
              {"user_known_hosts_files", target.user_known_hosts_files},
              {"connect_timeout_ms", target.connect_timeout.count()},
              {"labels", labels},
              {"become", target.become},
              {"source", target.source.str()}};
  // Names and paths come from files we do not control: never let bad UTF-8 stop the listing.
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace digger::inventory
