#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "client_address.hpp"

namespace hrs::server {

// A token bucket per client: `burst` requests at once, then `per_minute` on average.
// Memory is bounded: at most `max_clients` buckets are kept, and the client seen least
// recently is forgotten first. Forgetting costs nothing but leniency: a forgotten
// client starts again with a full bucket, which is also what a client whose bucket has
// refilled has. Thread-safe.
class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;
  struct settings {
    double per_minute = 0;  // 0: no limit
    double burst = 1;
    std::size_t max_clients = 65536;
  };

  explicit rate_limiter(settings s) : settings_(s) {}

  bool enabled() const noexcept { return settings_.per_minute > 0; }
  // Spends one request of `client`'s budget; returns nullopt when it was there, else
  // how long until it is (whole seconds, at least 1) and spends nothing.
  std::optional<std::chrono::seconds> take(const client_key& client, clock::time_point now);
  // Returns how long until `client` may spend one request, or nullopt when it may now;
  // spends nothing.
  std::optional<std::chrono::seconds> wait(const client_key& client, clock::time_point now);
  // Spends one request of `client`'s budget, or nothing when it is empty.
  void charge(const client_key& client, clock::time_point now) { (void)take(client, now); }
  // How many clients have a bucket (tests and metrics).
  std::size_t tracked() const;

 private:
  struct bucket {
    double tokens;
    clock::time_point updated;
    std::list<client_key>::iterator recent;  // its place in recent_
  };
  // The client's bucket refilled up to `now`, made (full) if new.
  bucket& refill(const client_key& client, clock::time_point now);
  std::chrono::seconds until_one(const bucket& b) const;

  const settings settings_;
  mutable std::mutex mutex_;
  std::unordered_map<client_key, bucket, client_key_hash> buckets_;
  std::list<client_key> recent_;  // most recently seen first
};

}  // namespace hrs::server
