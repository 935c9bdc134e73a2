#include "digger/ssh/bcrypt_pbkdf.hpp"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>

namespace digger::ssh {
namespace {

constexpr std::size_t p_words = 18;
constexpr std::size_t s_words = 4 * 256;
constexpr std::size_t state_words = p_words + s_words;

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

// atan(1/x) * 2^bits, by its Taylor series.
Bn arctan_inverse(BN_ULONG x, int bits) {
  Bn sum(BN_new());
  Bn term(BN_new());
  Bn part(BN_new());
  BN_zero(sum.get());
  BN_one(term.get());
  BN_lshift(term.get(), term.get(), bits);
  BN_div_word(term.get(), x); // term = 2^bits / x^(2k+1)
  for (BN_ULONG k = 0; !BN_is_zero(term.get()); ++k) {
    BN_copy(part.get(), term.get());
    BN_div_word(part.get(), 2 * k + 1);
    if (k % 2 == 0) {
      BN_add(sum.get(), sum.get(), part.get());
    } else {
      BN_sub(sum.get(), sum.get(), part.get());
    }
    BN_div_word(term.get(), x * x);
  }
  return sum;
}

// The first 32 * state_words bits of pi's fractional part (Machin's formula).
std::array<std::uint32_t, state_words> compute_pi_words() {
  constexpr int wanted = 32 * static_cast<int>(state_words);
  constexpr int guard = 64;
  Bn a = arctan_inverse(5, wanted + guard);
  Bn b = arctan_inverse(239, wanted + guard);
  BN_mul_word(a.get(), 16);
  BN_mul_word(b.get(), 4);
  Bn pi(BN_new());
  BN_sub(pi.get(), a.get(), b.get());
  BN_rshift(pi.get(), pi.get(), guard);
  BN_mask_bits(pi.get(), wanted); // drop the integer part, 3
  std::array<unsigned char, state_words * 4> bytes{};
  BN_bn2binpad(pi.get(), bytes.data(), static_cast<int>(bytes.size()));
  std::array<std::uint32_t, state_words> words{};
  for (std::size_t i = 0; i < state_words; ++i) {
    words[i] = static_cast<std::uint32_t>(bytes[4 * i]) << 24 | bytes[4 * i + 1] << 16 |
               bytes[4 * i + 2] << 8 | bytes[4 * i + 3];
  }
  return words;
}

const std::array<std::uint32_t, state_words>& pi_words() {
  static std::once_flag once;
  static std::array<std::uint32_t, state_words> words;
  std::call_once(once, [] { words = compute_pi_words(); });
  return words;
}

struct Blowfish {
  std::array<std::uint32_t, p_words> p;
  std::array<std::array<std::uint32_t, 256>, 4> s;

  Blowfish() {
    const auto& words = pi_words();
    std::copy_n(words.begin(), p_words, p.begin());
    for (std::size_t box = 0; box < 4; ++box) {
      std::copy_n(words.begin() + p_words + 256 * box, 256, s[box].begin());
    }
  }
  ~Blowfish() { OPENSSL_cleanse(this, sizeof *this); }

  std::uint32_t f(std::uint32_t x) const {
    return ((s[0][x >> 24] + s[1][(x >> 16) & 0xff]) ^ s[2][(x >> 8) & 0xff]) + s[3][x & 0xff];
  }

  void encrypt(std::uint32_t& left, std::uint32_t& right) const {
    std::uint32_t l = left;
    std::uint32_t r = right;
    l ^= p[0];
    for (std::size_t i = 1; i <= 16; i += 2) {
      r ^= f(l) ^ p[i];
      l ^= f(r) ^ p[i + 1];
    }
    left = r ^ p[17];
    right = l;
  }

  // Next 32 bits of `data`, cycling, as Blowfish_stream2word does.
  static std::uint32_t stream_word(std::string_view data, std::size_t& position) {
    std::uint32_t word = 0;
    for (int i = 0; i < 4; ++i) {
      if (position >= data.size()) {
        position = 0;
      }
      word = (word << 8) | static_cast<unsigned char>(data[position++]);
    }
    return word;
  }

  // Blowfish_expandstate (salt non-empty) and Blowfish_expand0state (salt empty).
  void expand(std::string_view salt, std::string_view key) {
    std::size_t key_position = 0;
    for (auto& word : p) {
      word ^= stream_word(key, key_position);
    }
    std::size_t salt_position = 0;
    std::uint32_t left = 0;
    std::uint32_t right = 0;
    auto mix = [&](std::uint32_t& out_left, std::uint32_t& out_right) {
      if (!salt.empty()) {
        left ^= stream_word(salt, salt_position);
        right ^= stream_word(salt, salt_position);
      }
      encrypt(left, right);
      out_left = left;
      out_right = right;
    };
    for (std::size_t i = 0; i < p_words; i += 2) {
      mix(p[i], p[i + 1]);
    }
    for (auto& box : s) {
      for (std::size_t i = 0; i < 256; i += 2) {
        mix(box[i], box[i + 1]);
      }
    }
  }
};

constexpr std::size_t hash_size = 32; // BCRYPT_HASHSIZE

// OpenBSD's bcrypt_hash: 64 rounds of the expensive key schedule, then encrypt a constant.
void bcrypt_hash(const unsigned char* sha2_pass, const unsigned char* sha2_salt,
                 unsigned char* out) {
  std::string_view pass(reinterpret_cast<const char*>(sha2_pass), SHA512_DIGEST_LENGTH);
  std::string_view salt(reinterpret_cast<const char*>(sha2_salt), SHA512_DIGEST_LENGTH);
  Blowfish state;
  state.expand(salt, pass);
  for (int i = 0; i < 64; ++i) {
    state.expand({}, salt);
    state.expand({}, pass);
  }
  constexpr std::string_view magic = "OxychromaticBlowfishSwatDynamite";
  std::array<std::uint32_t, 8> data{};
  std::size_t position = 0;
  for (auto& word : data) {
    word = Blowfish::stream_word(magic, position);
  }
  for (int i = 0; i < 64; ++i) {
    for (std::size_t j = 0; j < data.size(); j += 2) {
      state.encrypt(data[j], data[j + 1]);
    }
  }
  for (std::size_t i = 0; i < data.size(); ++i) { // little-endian, as OpenBSD does
    for (std::size_t b = 0; b < 4; ++b) {
      out[4 * i + b] = static_cast<unsigned char>(data[i] >> (8 * b));
    }
  }
  OPENSSL_cleanse(data.data(), sizeof data);
}

} // namespace

std::uint32_t blowfish_initial_word(std::size_t i) {
  return pi_words().at(i);
}

std::string bcrypt_pbkdf(std::string_view passphrase, std::string_view salt, std::size_t length,
                         unsigned rounds) {
  if (rounds < 1 || length == 0 || length > hash_size * hash_size || salt.empty() ||
      salt.size() > (1u << 20)) {
    return {};
  }
  std::size_t stride = (length + hash_size - 1) / hash_size;
  std::size_t amount = (length + stride - 1) / stride;
  unsigned char sha2_pass[SHA512_DIGEST_LENGTH];
  unsigned char sha2_salt[SHA512_DIGEST_LENGTH];
  unsigned char block[hash_size];
  unsigned char accumulated[hash_size];
  SHA512(reinterpret_cast<const unsigned char*>(passphrase.data()), passphrase.size(), sha2_pass);
  std::string key(length, '\0');
  std::string counted_salt(salt);
  counted_salt.append(4, '\0');
  std::size_t remaining = length;
  for (std::uint32_t count = 1; remaining > 0; ++count) {
    for (int i = 0; i < 4; ++i) {
      counted_salt[salt.size() + static_cast<std::size_t>(i)] =
          static_cast<char>((count >> (24 - 8 * i)) & 0xff);
    }
    SHA512(reinterpret_cast<const unsigned char*>(counted_salt.data()), counted_salt.size(),
           sha2_salt);
    bcrypt_hash(sha2_pass, sha2_salt, block);
    std::copy(std::begin(block), std::end(block), accumulated);
    for (unsigned round = 1; round < rounds; ++round) {
      SHA512(block, sizeof block, sha2_salt);
      bcrypt_hash(sha2_pass, sha2_salt, block);
      for (std::size_t i = 0; i < hash_size; ++i) {
        accumulated[i] ^= block[i];
      }
    }
    // Output bytes are spread with a stride so that every block matters for every part.
    amount = std::min(amount, remaining);
    std::size_t i = 0;
    for (; i < amount; ++i) {
      std::size_t destination = i * stride + (count - 1);
      if (destination >= length) {
        break;
      }
      key[destination] = static_cast<char>(accumulated[i]);
    }
    remaining -= i;
  }
  OPENSSL_cleanse(sha2_pass, sizeof sha2_pass);
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(accumulated, sizeof accumulated);
  return key;
}

} // namespace digger::ssh
