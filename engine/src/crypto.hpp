#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "hrs/engine/error.hpp"

namespace hrs::engine::crypto {

using digest = std::array<std::uint8_t, 32>;

// Returns `bytes` random bytes from the OS CSPRNG (via libcrypto), base64url without
// padding: 16 bytes give 22 characters.
[[nodiscard]] result<std::string> random_token(std::size_t bytes = 16);

// SHA-256 of the token text; tokens are stored only as this.
digest sha256(std::string_view text) noexcept;

// True when `text` has the shape random_token(16) produces, so that lookups of garbage
// never reach the store.
bool looks_like_token(std::string_view text) noexcept;

}  // namespace hrs::engine::crypto
