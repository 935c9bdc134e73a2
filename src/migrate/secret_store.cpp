#include "digger/migrate/secret_store.hpp"

#include <fmt/format.h>

namespace digger::migrate {
namespace {

// The job's part of every name: base_name (host, user, program: from the host, untrusted)
// reduced to [A-Za-z0-9._-], at most 100 bytes, so it is safe in a shell word, a unit file,
// an SSM parameter name and a Jenkins id alike.
std::string job_stem(const JobFacts& facts) {
  std::string stem;
  for (char c : facts.base_name.substr(0, 100)) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    stem += safe ? c : '-';
  }
  return stem.empty() || stem.front() == '.' ? "job" + stem : stem;
}

} // namespace

std::string secret_parameter(const JobFacts& facts, std::string_view variable) {
  return fmt::format("/digger/{}/{}", job_stem(facts), variable);
}

std::string secret_parameter_arn(const JobFacts& facts, std::string_view variable) {
  return "arn:aws:ssm:<REGION>:<ACCOUNT_ID>:parameter" + secret_parameter(facts, variable);
}

std::string jenkins_credential_id(const JobFacts& facts, std::string_view variable) {
  return fmt::format("digger-{}-{}", job_stem(facts), variable);
}

std::string systemd_credential_path(const JobFacts& facts, std::string_view variable) {
  return fmt::format("/etc/credstore/digger.{}.{}", job_stem(facts), variable);
}

// Names are [A-Za-z0-9._/-] (job_stem) and shell identifiers (variables): nothing to quote.
std::string fetch_secrets_from_ssm(const JobFacts& facts) {
  std::string out;
  for (const auto& variable : facts.secrets) {
    out += fmt::format("{}=$(aws ssm get-parameter --with-decryption --name {} --query "
                       "Parameter.Value --output text) || exit 1; export {}; ",
                       variable, secret_parameter(facts, variable), variable);
  }
  return out;
}

std::string read_systemd_credentials(const JobFacts& facts) {
  std::string out;
  for (const auto& variable : facts.secrets) {
    out += fmt::format("{}=$(cat \"$CREDENTIALS_DIRECTORY/{}\") || exit 1; export {}; ", variable,
                       variable, variable);
  }
  return out;
}

} // namespace digger::migrate
