#include "metrics.hpp"

#include <prometheus/text_serializer.h>

namespace hrs::server {

namespace {

// Built once: observe() runs on every request.
const prometheus::Histogram::BucketBoundaries& latency_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  return buckets;
}

}  // namespace

metrics::metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("hrsurvey_http_requests_total")
                    .Help("HTTP requests answered, by route and status")
                    .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("hrsurvey_http_request_duration_seconds")
                   .Help("Time from a whole request read to its response ready, by route")
                   .Register(*registry_)),
      responses_stored_(prometheus::BuildCounter()
                            .Name("hrsurvey_responses_stored_total")
                            .Help("Survey responses committed to the store by this process")
                            .Register(*registry_)
                            .Add({})),
      connections_(prometheus::BuildGauge()
                       .Name("hrsurvey_http_connections")
                       .Help("Open client connections")
                       .Register(*registry_)
                       .Add({})),
      queue_depth_(prometheus::BuildGauge()
                       .Name("hrsurvey_writer_queue_depth")
                       .Help("Writes waiting for the writer thread")
                       .Register(*registry_)
                       .Add({})),
      groups_(prometheus::BuildCounter()
                  .Name("hrsurvey_writer_groups_total")
                  .Help("Transactions the writer committed (group commit)")
                  .Register(*registry_)
                  .Add({})),
      grouped_writes_(
          prometheus::BuildCounter()
              .Name("hrsurvey_writer_writes_total")
              .Help("Writes the writer committed; divided by groups, the mean group size")
              .Register(*registry_)
              .Add({})),
      largest_group_(prometheus::BuildGauge()
                         .Name("hrsurvey_writer_largest_group")
                         .Help("The most writes one transaction held since start")
                         .Register(*registry_)
                         .Add({})),
      folds_(prometheus::BuildCounter()
                 .Name("hrsurvey_aggregate_folds_total")
                 .Help("Bulk folds of responses into the aggregates")
                 .Register(*registry_)
                 .Add({})),
      limited_(prometheus::BuildCounter()
                   .Name("hrsurvey_http_rate_limited_total")
                   .Help("Requests refused with 429, by the limit they were over")
                   .Register(*registry_)),
      limited_public_(limited_.Add({{"limit", "public"}})),
      limited_logins_(limited_.Add({{"limit", "failed_logins"}})),
      evicted_(prometheus::BuildCounter()
                   .Name("hrsurvey_http_connections_evicted_total")
                   .Help("Idle or unfinished connections closed to make room for new ones")
                   .Register(*registry_)
                   .Add({})) {}

metrics::series& metrics::series_for(std::string_view route, unsigned status) {
  std::lock_guard lock(series_mutex_);
  if (auto it = series_.find({route, status}); it != series_.end()) return it->second;
  const std::string& name = *route_names_.emplace(route).first;
  auto& requests = requests_.Add({{"route", name}, {"status", std::to_string(status)}});
  auto& latency = latency_.Add({{"route", name}}, latency_buckets());
  return series_.emplace(series_key{name, status}, series{requests, latency}).first->second;
}

void metrics::observe(std::string_view route, unsigned status,
                      std::chrono::steady_clock::duration took) {
  auto& s = series_for(route, status);
  s.requests.Increment();
  s.latency.Observe(std::chrono::duration<double>(took).count());
}

std::string metrics::render(const engine::writer_stats& writer) {
  {
    std::lock_guard lock(render_mutex_);
    queue_depth_.Set(static_cast<double>(writer.queued));
    groups_.Increment(static_cast<double>(writer.groups - last_.groups));
    grouped_writes_.Increment(static_cast<double>(writer.writes - last_.writes));
    folds_.Increment(static_cast<double>(writer.folds - last_.folds));
    largest_group_.Set(static_cast<double>(writer.largest_group));
    last_ = writer;
  }
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace hrs::server
