#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hrs/engine/error.hpp"

namespace hrs::server::web {

// A signed-in browser of the dashboard, kept in server memory only.
struct web_session {
  // The access token pasted at sign-in. It is authenticated again on every request, so
  // that revoking it ends the session at once. Never logged, never sent back.
  std::string token;
  // The value every POST form of the session carries in its `_csrf` field.
  std::string csrf;
  std::chrono::steady_clock::time_point created;
  std::chrono::steady_clock::time_point last_seen;
};

// The sessions of the dashboard: random ids (256 bits from OpenSSL's RAND_bytes) mapped
// to what they stand for. A session ends when signed out, after `idle_limit` without a
// request or `lifetime_limit` after sign-in, and with the process. Thread-safe.
class session_store {
 public:
  static constexpr std::chrono::hours idle_limit{8};
  static constexpr std::chrono::hours lifetime_limit{12};
  // Beyond this many sessions the least recently used one is ended first.
  static constexpr std::size_t max_sessions = 10'000;

  struct opened {
    std::string id;
    std::string csrf;
  };

  // Starts a session for `token` (already authenticated by the caller); errc::internal
  // when no random bytes could be had.
  [[nodiscard]] engine::result<opened> open(std::string token);
  // Returns the live session with this id and marks it used, or nullopt (unknown,
  // expired: then it is forgotten).
  std::optional<web_session> find(std::string_view id);
  // Ends the session; nothing happens for an unknown id.
  void close(std::string_view id);

 private:
  using clock = std::chrono::steady_clock;
  bool expired(const web_session& s, clock::time_point now) const;

  std::mutex mutex_;
  std::unordered_map<std::string, web_session> sessions_;
};

// True when `sent` equals `expected`, in time that does not depend on where they differ.
bool same_secret(std::string_view sent, std::string_view expected) noexcept;

}  // namespace hrs::server::web
