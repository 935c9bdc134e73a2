#include "digger/ssh/base64.hpp"

#include <openssl/evp.h>

namespace digger::ssh {
namespace {

const unsigned char* as_bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

} // namespace

std::string base64_decode(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
      clean.push_back(c);
    }
  }
  if (clean.size() % 4 != 0) {
    return {};
  }
  std::string out(clean.size() / 4 * 3, '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), as_bytes(clean),
                               static_cast<int>(clean.size()));
  if (length < 0) {
    return {};
  }
  std::size_t padding = 0;
  for (auto it = clean.rbegin(); it != clean.rend() && *it == '=' && padding < 2; ++it) {
    ++padding;
  }
  out.resize(static_cast<std::size_t>(length) - padding);
  return out;
}

std::string base64_encode(std::string_view bytes, bool pad) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), as_bytes(bytes),
                               static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  while (!pad && !out.empty() && out.back() == '=') {
    out.pop_back();
  }
  return out;
}

} // namespace digger::ssh
