#include "crypto.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <vector>

namespace hrs::engine::crypto {

namespace {
constexpr std::string_view base64url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

result<std::string> random_token(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    return fail(errc::internal, "no random token could be made", {}, "RAND_bytes failed");
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char byte : raw) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(base64url[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(base64url[(acc << (6 - bits)) & 0x3f]);
  return out;
}

digest sha256(std::string_view text) noexcept {
  digest out{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), out.data(), &size, EVP_sha256(), nullptr);
  return out;
}

bool looks_like_token(std::string_view text) noexcept {
  return text.size() == 22 && std::ranges::all_of(text, [](char c) {
           return base64url.find(c) != std::string_view::npos;
         });
}

}  // namespace hrs::engine::crypto
