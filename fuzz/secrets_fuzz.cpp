// libFuzzer target for secret redaction. Any byte string: no crash, no hang, no sanitizer
// report, an output at most about twice as long as the input, and an unchanged text when
// nothing was found. Generated inputs: a known secret placed in one of the documented
// shapes, after arbitrary context, must never survive in the output.
#include "digger/secrets/secrets.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void require(bool condition) {
  if (!condition) {
    std::abort(); // libFuzzer reports the input that broke an invariant
  }
}

// '!' stands for the secret. A template that starts with '^' must begin its line.
constexpr std::array<std::string_view, 28> shapes = {
    "mysql -uroot -p! db",
    "mysqldump --password=! db",
    "tool --password ! --x",
    "PGPASSWORD=! pg_dump db",
    "FOO_TOKEN='!' run",
    "curl -u user:! https://h/",
    "curl -H 'Authorization: Bearer !' https://h/",
    "psql postgres://app:!@db/app",
    "mongodump --uri mongodb+srv://u:!@c/db",
    "sshpass -p ! ssh h",
    "tool --api-key \"!\"",
    "smbclient //nas/s -U backup%!",
    "curl 'https://h/x?a=1&password=!&b=2'",
    "wget --password=! ftp://h/f",
    "htpasswd -b /etc/htpasswd alice !",
    "su - app -c \"mysql -p! db\"",
    "aws configure set aws_secret_access_key !",
    "^MYSQL_PWD = !",
    "psql \"host=db password=! dbname=x\"",
    "openssl enc -d -pass pass:! -in f",
    "curl -d '{\"user\": \"u\", \"token\": \"!\"}' h",
    "echo ! | sudo -S /usr/sbin/reboot",
    "sudo -S -u app /opt/x <<< !",
    "ipmitool -I lanplus -H bmc -U admin -P ! chassis status",
    "docker login -u ci -p ! registry.example",
    "snmpwalk -v2c -c ! switch01 system",
    "snmpget -v3 -u ops -A ! -X other host oid",
    "python3 -c \"PW='!'; print(len(PW))\"",
};

// Cron hands the text after a line's first '%' to the job on its standard input: the
// secret must be gone from the command and from that input, each redacted on its own.
constexpr std::array<std::string_view, 3> job_shapes = {
    "sudo -S /usr/sbin/service x restart %!%",
    "smbclient //nas/share -U backup%! -c ls",
    "/usr/bin/passwd --stdin app %!",
};

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void check_job_input(std::string_view shape, const std::string& secret,
                     const std::string& context) {
  std::string line;
  for (char c : context) {
    line += std::string_view("%\n\r").find(c) == std::string_view::npos ? std::string(1, c) : "";
  }
  line += " ; ";
  for (char c : shape) {
    line += c == '!' ? secret : std::string(1, c);
  }
  const std::size_t cut = line.find('%');
  const std::string command = line.substr(0, cut), input = line.substr(cut + 1);
  if (command.find(secret) != std::string::npos) {
    return; // the context repeated the secret before the cut
  }
  const auto r = digger::secrets::redact_job_input(command, input);
  require(r.changed());
  require(r.text.find(secret) == std::string::npos);
  require(digger::secrets::redact_secrets(command).text.find(secret) == std::string::npos);
}

// Builds "context ; shape-with-secret" and checks the secret is gone.
void check_generated(std::string_view data) {
  if (data.size() < 2) {
    return;
  }
  const std::string_view shape = shapes[static_cast<unsigned char>(data[0]) % shapes.size()];
  const std::size_t secret_length = 6 + static_cast<unsigned char>(data[1]) % 27;
  data.remove_prefix(2);
  std::string secret, context;
  for (char c : data) {
    if (secret.size() < secret_length && is_alnum(c)) {
      secret += c;
    } else if (std::string_view("'\"\\`$").find(c) == std::string_view::npos) {
      context += c; // quotes and escapes in the context could swallow the shape itself
    }
  }
  if (secret.size() < secret_length) {
    return;
  }
  std::string line;
  const bool line_start = shape[0] == '^';
  for (char c : line_start ? shape.substr(1) : shape) {
    line += c == '!' ? std::string("\x01") : std::string(1, c);
  }
  if (line.find(secret) != std::string::npos || context.find(secret) != std::string::npos) {
    return; // the secret is also ordinary text here
  }
  std::string shaped;
  for (char c : line) {
    shaped += c == '\x01' ? secret : std::string(1, c);
  }
  const std::string text = line_start ? shaped + "\n" + context : context + "\n;" + shaped;
  const digger::secrets::Redaction r = digger::secrets::redact_secrets(text);
  require(r.changed());
  require(r.text.find(secret) == std::string::npos);
  check_job_input(job_shapes[static_cast<unsigned char>(secret[0]) % job_shapes.size()], secret,
                  context);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const digger::secrets::Redaction r = digger::secrets::redact_secrets(text);
  require(r.text.size() <= 2 * text.size() + 1);
  require(r.changed() || r.text == text);
  require(digger::secrets::redact_secrets(r.text).text.size() <= 2 * r.text.size() + 1);
  check_generated(text);
  return 0;
}
