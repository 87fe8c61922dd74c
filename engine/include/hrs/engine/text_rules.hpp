#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace hrs::engine {

// Returns the number of code points if `text` is valid UTF-8 (no overlongs, no
// surrogates), nullopt otherwise.
std::optional<std::size_t> utf8_length(std::string_view text) noexcept;

// True for valid UTF-8 without control characters other than tab, CR and LF.
bool is_clean_text(std::string_view text) noexcept;

// Staff ids, invitation ids and external references: 1..64 of [A-Za-z0-9._-], not
// starting with '.' or '-', so that they are safe in URLs, file names and CSV cells.
bool is_safe_id(std::string_view id, std::size_t max_length = 64) noexcept;

}  // namespace hrs::engine
