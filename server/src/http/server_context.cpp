#include "server_context.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "session.hpp"

namespace hrs::server {

namespace net = boost::asio;

namespace {

std::vector<net::ip::address> parse_addresses(const std::vector<std::string>& texts) {
  std::vector<net::ip::address> addresses;
  for (const auto& text : texts) {
    boost::system::error_code ec;
    addresses.push_back(net::ip::make_address(text, ec));
    if (ec) throw std::invalid_argument("--trusted-proxy " + text + " is not an IP address");
  }
  return addresses;
}

rate_limiter::settings limit(double per_minute, double burst, std::size_t max_clients) {
  return {per_minute, burst, max_clients};
}

}  // namespace

server_context::server_context(server_config cfg, engine::store& s)
    : config(std::move(cfg)),
      store(&s),
      metrics(config.max_connections),
      trusted_proxies(parse_addresses(config.trusted_proxies)),
      public_requests(limit(config.rate_public_per_minute, config.rate_public_burst,
                            config.rate_max_addresses)),
      failed_logins(limit(config.rate_failed_logins_per_minute, config.rate_failed_logins_burst,
                          config.rate_max_addresses)) {}

std::optional<std::chrono::seconds> server_context::token_checks_refused(
    const net::ip::address& client) {
  auto wait = failed_logins.wait(key_of(client), rate_limiter::clock::now());
  if (wait) metrics.limited_failed_login();
  return wait;
}

void server_context::token_check_failed(const net::ip::address& client) {
  failed_logins.charge(key_of(client), rate_limiter::clock::now());
}

std::shared_ptr<session> server_context::take_victim(const client_key* client,
                                                     std::vector<std::shared_ptr<session>>& seen) {
  std::shared_ptr<session> victim;
  tracked* victim_entry = nullptr;
  // One on its way out first: closing it harms nobody. Then the one that has waited
  // longest for a whole request: a browser's request arrives at once and an idle
  // kept-alive connection's wait starts again with each request, while a connection
  // that sends nothing or drips its headers only grows older.
  auto rank = [](session::phase p) { return p == session::phase::closing ? 0 : 1; };
  for (auto& [raw, entry] : sessions_) {
    if (!entry.counted || (client && !(entry.capped && entry.client == *client))) continue;
    auto s = entry.s.lock();
    if (!s) continue;
    // Kept until the lock is released: the last owner's destructor takes the lock.
    seen.push_back(s);
    const auto p = s->current_phase();
    if (p == session::phase::busy) continue;
    if (victim) {
      const auto vp = victim->current_phase();
      if (rank(p) > rank(vp)) continue;
      if (rank(p) == rank(vp) && s->phase_since() >= victim->phase_since()) continue;
    }
    victim = std::move(s);
    victim_entry = &entry;
  }
  if (!victim) return nullptr;
  victim_entry->counted = false;
  --counted_;
  if (victim_entry->capped) {
    auto per = per_client_.find(victim_entry->client);
    if (per != per_client_.end() && --per->second == 0) per_client_.erase(per);
  }
  metrics.connection_evicted();
  return victim;
}

bool server_context::make_room(const net::ip::address& peer) {
  std::vector<std::shared_ptr<session>> victims;
  std::vector<std::shared_ptr<session>> seen;
  bool room = true;
  {
    std::lock_guard lock(mutex_);
    const auto client = key_of(peer);
    const bool capped =
        config.max_connections_per_address > 0 &&
        std::find(trusted_proxies.begin(), trusted_proxies.end(), peer) == trusted_proxies.end();
    if (capped) {
      auto it = per_client_.find(client);
      if (it != per_client_.end() && it->second >= config.max_connections_per_address) {
        if (auto v = take_victim(&client, seen))
          victims.push_back(std::move(v));
        else
          room = false;
      }
    }
    if (room && counted_ >= config.max_connections) {
      if (auto v = take_victim(nullptr, seen))
        victims.push_back(std::move(v));
      else
        room = false;
    }
  }
  for (auto& v : victims)
    v->make_way();
  return room;
}

void server_context::connection_opened(const std::shared_ptr<session>& s,
                                       const net::ip::address& peer) {
  std::lock_guard lock(mutex_);
  const bool capped =
      std::find(trusted_proxies.begin(), trusted_proxies.end(), peer) == trusted_proxies.end();
  const auto client = key_of(peer);
  sessions_.emplace(s.get(), tracked{s, client, capped, true});
  ++counted_;
  if (capped) ++per_client_[client];
  metrics.connection_opened();
}

void server_context::connection_closed(const session* s) {
  std::function<void()> drained;
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(s);
    if (it == sessions_.end()) return;
    if (it->second.counted) {
      --counted_;
      if (it->second.capped) {
        auto per = per_client_.find(it->second.client);
        if (per != per_client_.end() && --per->second == 0) per_client_.erase(per);
      }
    }
    sessions_.erase(it);
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
    for (auto& [raw, entry] : sessions_)
      if (auto s = entry.s.lock()) open.push_back(std::move(s));
  }
  for (auto& s : open)
    s->close_if_idle();
}

}  // namespace hrs::server
