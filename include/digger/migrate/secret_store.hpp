#pragma once

// Where an exported definition reads the values the scan removed (JobFacts::secrets): one
// store per target, one name per job and variable, so the migration report can say exactly
// what to create. The definitions hold references only, never a value, `***` or a placeholder.

#include "digger/migrate/job_facts.hpp"

#include <string>
#include <string_view>

namespace digger::migrate {

// "/digger/<job>/<VARIABLE>": the SSM SecureString parameter (AWS targets), and the file name
// stem of the systemd credential.
std::string secret_parameter(const JobFacts& facts, std::string_view variable);

// The ARN of that parameter, with the export's usual placeholders for region and account.
std::string secret_parameter_arn(const JobFacts& facts, std::string_view variable);

// "digger-<job>-<VARIABLE>": a Jenkins credential id (secret text).
std::string jenkins_credential_id(const JobFacts& facts, std::string_view variable);

// "/etc/credstore/digger.<job>.<VARIABLE>": the file LoadCredential= reads for a systemd unit.
std::string systemd_credential_path(const JobFacts& facts, std::string_view variable);

// Shell lines that set and export every secret variable from SSM on the host itself (the
// EventBridge targets run the job through SSM Run Command), failing the run when one is
// missing; "" when the job has none.
std::string fetch_secrets_from_ssm(const JobFacts& facts);

// Shell lines that set and export every secret variable from the unit's credentials
// ($CREDENTIALS_DIRECTORY); "" when the job has none.
std::string read_systemd_credentials(const JobFacts& facts);

} // namespace digger::migrate
