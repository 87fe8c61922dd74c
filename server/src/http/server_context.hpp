#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "hrs/engine/store.hpp"
#include "metrics.hpp"
#include "server_config.hpp"

namespace hrs::server {

class session;

// What every connection and handler shares. Outlives all of them.
class server_context {
 public:
  server_context(server_config cfg, engine::store& s)
      : config(std::move(cfg)), store(&s), metrics(config.max_connections) {}

  const server_config config;
  engine::store* const store;
  // Where links in responses point: config.base_url, else the address bound. Set before
  // the I/O threads start; read-only after.
  std::string base_url;
  server::metrics metrics;
  std::atomic<bool> draining{false};  // after SIGTERM: finish in-flight requests, then close

  // Sessions register when they start and leave when destroyed.
  void connection_opened(const std::shared_ptr<session>& s);
  void connection_closed(const session* s);
  std::size_t connections() const;

  // Starts draining: idle connections close now, busy ones after their response;
  // `drained` runs once the last connection has closed (at once if none is open).
  void drain(std::function<void()> drained);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const session*, std::weak_ptr<session>> sessions_;
  std::function<void()> drained_;
};

}  // namespace hrs::server
