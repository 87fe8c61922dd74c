#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace hrs::server {

rate_limiter::bucket& rate_limiter::refill(const client_key& client, clock::time_point now) {
  if (auto it = buckets_.find(client); it != buckets_.end()) {
    auto& b = it->second;
    const double minutes = std::chrono::duration<double, std::ratio<60>>(now - b.updated).count();
    if (minutes > 0) {
      b.tokens = std::min(settings_.burst, b.tokens + minutes * settings_.per_minute);
      b.updated = now;
    }
    recent_.splice(recent_.begin(), recent_, b.recent);
    return b;
  }
  if (buckets_.size() >= std::max<std::size_t>(settings_.max_clients, 1)) {
    buckets_.erase(recent_.back());
    recent_.pop_back();
  }
  recent_.push_front(client);
  return buckets_.emplace(client, bucket{settings_.burst, now, recent_.begin()}).first->second;
}

std::chrono::seconds rate_limiter::until_one(const bucket& b) const {
  const double seconds = (1.0 - b.tokens) * 60.0 / settings_.per_minute;
  // Rounded up (a client that comes back when told is let in), less what rounding
  // errors of the refill add: 59 s of a minute's refill leave 1 s, not 2.
  return std::chrono::seconds(
      std::max<long long>(1, static_cast<long long>(std::ceil(seconds - 1e-6))));
}

std::optional<std::chrono::seconds> rate_limiter::take(const client_key& client,
                                                       clock::time_point now) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto& b = refill(client, now);
  if (b.tokens < 1.0) return until_one(b);
  b.tokens -= 1.0;
  return std::nullopt;
}

std::optional<std::chrono::seconds> rate_limiter::wait(const client_key& client,
                                                       clock::time_point now) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mutex_);
  // Only a client that has spent something has a bucket worth keeping.
  if (!buckets_.contains(client)) return std::nullopt;
  auto& b = refill(client, now);
  if (b.tokens < 1.0) return until_one(b);
  return std::nullopt;
}

std::size_t rate_limiter::tracked() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace hrs::server
