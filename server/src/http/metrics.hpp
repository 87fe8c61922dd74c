#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "hrs/engine/store.hpp"

namespace hrs::server {

// The server's Prometheus metrics. Thread-safe.
class metrics {
 public:
  // `max_connections` is shown as hrsurvey_http_max_connections, for alerts.
  explicit metrics(std::size_t max_connections);

  // Counts one answered request of a route with its status and time.
  void observe(std::string_view route, unsigned status, std::chrono::steady_clock::duration took);
  void response_stored() { responses_stored_.Increment(); }
  void connection_opened() { connections_.Increment(); }
  void connection_closed() { connections_.Decrement(); }
  // Counts a request refused with 429 by the public-endpoint limit or the failed-login one.
  void limited_public() { limited_public_.Increment(); }
  void limited_failed_login() { limited_logins_.Increment(); }
  // Counts a connection closed to make room for a newcomer.
  void connection_evicted() { evicted_.Increment(); }

  // The text exposition format, with the writer's, the page caches' and the process'
  // figures brought up to date.
  std::string render(const engine::writer_stats& writer, std::uint64_t reader_cache_bytes);

 private:
  // The series one (route, status) pair counts into, looked up in the families once:
  // prometheus-cpp hashes the labels and builds a histogram on every Add().
  struct series {
    prometheus::Counter& requests;
    prometheus::Histogram& latency;
  };
  struct series_key {
    std::string_view route;
    unsigned status;
    bool operator==(const series_key&) const = default;
  };
  struct series_key_hash {
    std::size_t operator()(const series_key& k) const noexcept {
      return std::hash<std::string_view>{}(k.route) * 31 + k.status;
    }
  };
  series& series_for(std::string_view route, unsigned status);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Counter& responses_stored_;
  prometheus::Gauge& connections_;
  prometheus::Gauge& queue_depth_;
  prometheus::Counter& groups_;
  prometheus::Counter& grouped_writes_;
  prometheus::Gauge& largest_group_;
  prometheus::Counter& folds_;
  prometheus::Family<prometheus::Counter>& limited_;
  prometheus::Counter& limited_public_;
  prometheus::Counter& limited_logins_;
  prometheus::Counter& evicted_;
  prometheus::Gauge& queue_limit_;
  prometheus::Histogram& commit_duration_;
  prometheus::Gauge& max_connections_;
  prometheus::Family<prometheus::Gauge>& cache_bytes_;
  prometheus::Gauge& writer_cache_bytes_;
  prometheus::Gauge& reader_cache_bytes_;
  prometheus::Gauge& resident_bytes_;
  prometheus::Family<prometheus::Gauge>& heap_bytes_;
  prometheus::Gauge& heap_in_use_;
  prometheus::Gauge& heap_free_;
  prometheus::Gauge& open_fds_;
  prometheus::Gauge& max_fds_;
  prometheus::Gauge& start_time_;
  prometheus::Counter& cpu_seconds_;
  std::mutex series_mutex_;
  // The keys of series_ view these names; a node-based set never moves them.
  std::unordered_set<std::string> route_names_;
  std::unordered_map<series_key, series, series_key_hash> series_;
  std::mutex render_mutex_;
  engine::writer_stats last_{};
};

}  // namespace hrs::server
