#include "server_context.hpp"

#include <vector>

#include "session.hpp"

namespace hrs::server {

void server_context::connection_opened(const std::shared_ptr<session>& s) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(s.get(), s);
  metrics.connection_opened();
}

void server_context::connection_closed(const session* s) {
  std::function<void()> drained;
  {
    std::lock_guard lock(mutex_);
    if (sessions_.erase(s) == 0) return;
    metrics.connection_closed();
    if (draining && sessions_.empty()) drained = std::exchange(drained_, nullptr);
  }
  if (drained) drained();
}

std::size_t server_context::connections() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void server_context::drain(std::function<void()> drained) {
  std::vector<std::shared_ptr<session>> open;
  {
    std::lock_guard lock(mutex_);
    draining = true;
    if (sessions_.empty()) {
      drained();
      return;
    }
    drained_ = std::move(drained);
    for (auto& [raw, weak] : sessions_)
      if (auto s = weak.lock()) open.push_back(std::move(s));
  }
  for (auto& s : open)
    s->close_if_idle();
}

}  // namespace hrs::server
