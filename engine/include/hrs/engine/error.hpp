#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hrs::engine {

// The codes are the contract with clients: the HTTP layer maps each to one status and
// sends the name as `error.code`. Enumerators are spelled as on the wire.
enum class errc {
  validation_failed,  // the input is malformed or breaks a rule; details say where
  unauthorized,       // no token or an unknown one
  forbidden,          // the token's role may not do this
  not_found,          // unknown id or token
  conflict,           // e.g. an invitation already answered
  gone,               // e.g. an invitation past its expiry
  too_large,          // a body or file over its limit
  unsupported_media_type,
  too_many_requests,
  unavailable,  // shutting down, or the store cannot take writes now
  internal,     // a bug or an I/O failure; `log` says which
};

// Returns the wire name of a code, e.g. "validation_failed".
std::string_view to_string(errc code) noexcept;

// One problem in the input, located by a JSON pointer (RFC 6901) or, for CSV, by line.
struct detail {
  std::string path;
  std::string message;
  friend bool operator==(const detail&, const detail&) = default;
};

// An error returned to whoever can act on it. `message` and `details` are safe to show
// to the client; `log` may hold paths, SQLite messages or errno and goes to logs only.
struct error {
  errc code = errc::internal;
  std::string message;
  std::vector<detail> details;
  std::string log;
};

template <class T>
using result = std::expected<T, error>;

// libstdc++ 12's std::expected is not [[nodiscard]]; this alias-free helper keeps the
// call sites short: `return fail(errc::conflict, "invitation already answered");`
[[nodiscard]] inline std::unexpected<error> fail(errc code, std::string message,
                                                 std::vector<detail> details = {},
                                                 std::string log = {}) {
  return std::unexpected<error>(
      error{code, std::move(message), std::move(details), std::move(log)});
}

}  // namespace hrs::engine
