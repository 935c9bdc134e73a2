#include "digger/judge/fingerprint.hpp"

#include "digger/util/ascii.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace digger::judge {
namespace {

struct DigestContextFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;

// Each part is length-prefixed so that ("ab", "c") and ("a", "bc") cannot hash alike.
void add_part(EVP_MD_CTX* ctx, std::string_view part) {
  const std::string length = std::to_string(part.size()) + ":";
  if (EVP_DigestUpdate(ctx, length.data(), length.size()) != 1 ||
      EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) {
    throw std::runtime_error("SHA-256 update failed");
  }
}

} // namespace

std::string collapse_command_blanks(std::string_view command) {
  std::string out;
  out.reserve(command.size());
  char quote = '\0';
  bool pending_space = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote == '\0' && util::is_blank(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
    if (c == '\\' && quote != '\'' && i + 1 < command.size()) {
      out.push_back(command[++i]); // an escaped blank or quote is text
    } else if (quote == '\0' && (c == '\'' || c == '"')) {
      quote = c;
    } else if (c == quote) {
      quote = '\0';
    }
  }
  return out;
}

std::string job_fingerprint(std::string_view owner, const crontab::Schedule& schedule,
                            std::string_view command) {
  DigestContext ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 is not available");
  }
  add_part(ctx.get(), "digger-job-v1");
  add_part(ctx.get(), owner);
  add_part(ctx.get(), schedule.normalized());
  add_part(ctx.get(), collapse_command_blanks(command));
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &size) != 1 || size < 8) {
    throw std::runtime_error("SHA-256 final failed");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  for (unsigned int i = 0; i < 8; ++i) {
    id.push_back(hex[digest[i] >> 4]);
    id.push_back(hex[digest[i] & 0x0f]);
  }
  return id;
}

} // namespace digger::judge
