#include "web_sessions.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>

namespace hrs::server::web {

namespace {

// 256 random bits as 64 hex digits.
engine::result<std::string> random_hex() {
  std::array<unsigned char, 32> raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    return engine::fail(engine::errc::internal, "no session could be started", {},
                        "RAND_bytes failed");
  std::string out;
  out.reserve(raw.size() * 2);
  for (const auto byte : raw)
    out += fmt::format("{:02x}", byte);
  return out;
}

}  // namespace

bool session_store::expired(const web_session& s, clock::time_point now) const {
  return now - s.last_seen > idle_limit || now - s.created > lifetime_limit;
}

engine::result<session_store::opened> session_store::open(std::string token) {
  auto id = random_hex();
  if (!id) return std::unexpected(id.error());
  auto csrf = random_hex();
  if (!csrf) return std::unexpected(csrf.error());
  const auto now = clock::now();
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& entry) { return expired(entry.second, now); });
  if (sessions_.size() >= max_sessions) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    sessions_.erase(oldest);
  }
  sessions_[*id] = web_session{std::move(token), *csrf, now, now};
  return opened{std::move(*id), std::move(*csrf)};
}

std::optional<web_session> session_store::find(std::string_view id) {
  const auto now = clock::now();
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(std::string(id));
  if (it == sessions_.end()) return std::nullopt;
  if (expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void session_store::close(std::string_view id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(std::string(id));
}

bool same_secret(std::string_view sent, std::string_view expected) noexcept {
  return sent.size() == expected.size() && !expected.empty() &&
         CRYPTO_memcmp(sent.data(), expected.data(), expected.size()) == 0;
}

}  // namespace hrs::server::web
