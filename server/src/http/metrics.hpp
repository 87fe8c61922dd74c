#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "hrs/engine/store.hpp"

namespace hrs::server {

// The server's Prometheus metrics. Thread-safe.
class metrics {
 public:
  metrics();

  // Counts one answered request of a route with its status and time.
  void observe(const std::string& route, unsigned status, std::chrono::steady_clock::duration took);
  void response_stored() { responses_stored_.Increment(); }
  void connection_opened() { connections_.Increment(); }
  void connection_closed() { connections_.Decrement(); }

  // The text exposition format, with the writer's figures brought up to date.
  std::string render(const engine::writer_stats& writer);

 private:
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
  std::mutex render_mutex_;
  engine::writer_stats last_{};
};

}  // namespace hrs::server
