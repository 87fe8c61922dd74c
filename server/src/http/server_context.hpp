#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <optional>
#include <vector>

#include "client_address.hpp"
#include "hrs/engine/store.hpp"
#include "metrics.hpp"
#include "rate_limiter.hpp"
#include "server_config.hpp"

namespace hrs::server {

class session;

// What every connection and handler shares. Outlives all of them.
class server_context {
 public:
  // Throws std::invalid_argument when a trusted proxy is not an IP address.
  server_context(server_config cfg, engine::store& s);

  const server_config config;
  engine::store* const store;
  // Where links in responses point: config.base_url, else the address bound. Set before
  // the I/O threads start; read-only after.
  std::string base_url;
  server::metrics metrics;
  std::atomic<bool> draining{false};  // after SIGTERM: finish in-flight requests, then close
  const std::vector<boost::asio::ip::address> trusted_proxies;
  // Per client address: requests to the public survey endpoints, and failed token checks.
  rate_limiter public_requests;
  rate_limiter failed_logins;

  // Returns how long `client` must wait before a token of theirs is checked again
  // (counted in the metrics), or nullopt when it may be checked now.
  std::optional<std::chrono::seconds> token_checks_refused(const boost::asio::ip::address& client);
  // Counts a token check of `client` that failed (unknown or revoked token).
  void token_check_failed(const boost::asio::ip::address& client);

  // Decides whether a connection from `peer` may open, before its session exists: yes
  // under both connection caps; when a cap is reached, yes if a connection that waits
  // for a request or is still receiving its headers can be closed to make room (the
  // oldest such of the same address for the per-address cap, else of any); else no.
  // Called by the listener only, one connection at a time.
  bool make_room(const boost::asio::ip::address& peer);
  // Sessions register when they start and leave when destroyed.
  void connection_opened(const std::shared_ptr<session>& s, const boost::asio::ip::address& peer);
  void connection_closed(const session* s);
  // Open connections, including those being closed.
  std::size_t connections() const;

  // Starts draining: idle connections close now, busy ones after their response;
  // `drained` runs once the last connection has closed (at once if none is open).
  void drain(std::function<void()> drained);

 private:
  struct tracked {
    std::weak_ptr<session> s;
    client_key client;
    bool capped = true;   // counts against the per-address cap (its peer is no proxy)
    bool counted = true;  // false once chosen to make room: it is on its way out
  };
  // The open session of `client` (or of anyone when null) that is closing already, else
  // the one that has waited longest for a whole request, marked as no longer counted;
  // null when every one is busy. Every session looked at is added to `seen`, for the
  // caller to release after the lock.
  std::shared_ptr<session> take_victim(const client_key* client,
                                       std::vector<std::shared_ptr<session>>& seen);

  mutable std::mutex mutex_;
  std::unordered_map<const session*, tracked> sessions_;
  std::unordered_map<client_key, std::size_t, client_key_hash> per_client_;
  std::size_t counted_ = 0;
  std::function<void()> drained_;
};

}  // namespace hrs::server
