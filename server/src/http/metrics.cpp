#include "metrics.hpp"

#include <prometheus/text_serializer.h>

#include <vector>

#include "process_stats.hpp"

namespace hrs::server {

namespace {

// Built once: observe() runs on every request.
const prometheus::Histogram::BucketBoundaries& latency_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  return buckets;
}

}  // namespace

metrics::metrics(std::size_t max_connections)
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
                   .Add({})),
      queue_limit_(prometheus::BuildGauge()
                       .Name("hrsurvey_writer_queue_limit")
                       .Help("Writes that may wait for the writer; more are refused with 503")
                       .Register(*registry_)
                       .Add({})),
      commit_duration_(
          prometheus::BuildHistogram()
              .Name("hrsurvey_writer_commit_duration_seconds")
              .Help("Time of one group transaction, BEGIN IMMEDIATE to COMMIT (fsync included)")
              .Register(*registry_)
              .Add({},
                   prometheus::Histogram::BucketBoundaries(engine::commit_bucket_bounds.begin(),
                                                           engine::commit_bucket_bounds.end()))),
      max_connections_(prometheus::BuildGauge()
                           .Name("hrsurvey_http_max_connections")
                           .Help("Open connections allowed (--max-connections); more get 503")
                           .Register(*registry_)
                           .Add({})),
      cache_bytes_(prometheus::BuildGauge()
                       .Name("hrsurvey_sqlite_cache_bytes")
                       .Help("Heap held by SQLite's page caches, by connection: part of the "
                             "resident memory that grows with the store up to its limits")
                       .Register(*registry_)),
      writer_cache_bytes_(cache_bytes_.Add({{"connection", "writer"}})),
      reader_cache_bytes_(cache_bytes_.Add({{"connection", "readers"}})),
      resident_bytes_(prometheus::BuildGauge()
                          .Name("process_resident_memory_bytes")
                          .Help("Resident memory size in bytes")
                          .Register(*registry_)
                          .Add({})),
      heap_bytes_(prometheus::BuildGauge()
                      .Name("hrsurvey_heap_bytes")
                      .Help("The C library's heap: allocated (in_use) and freed but kept (free)")
                      .Register(*registry_)),
      heap_in_use_(heap_bytes_.Add({{"state", "in_use"}})),
      heap_free_(heap_bytes_.Add({{"state", "free"}})),
      open_fds_(prometheus::BuildGauge()
                    .Name("process_open_fds")
                    .Help("Open file descriptors")
                    .Register(*registry_)
                    .Add({})),
      max_fds_(prometheus::BuildGauge()
                   .Name("process_max_fds")
                   .Help("The most file descriptors the process may open (RLIMIT_NOFILE)")
                   .Register(*registry_)
                   .Add({})),
      start_time_(prometheus::BuildGauge()
                      .Name("process_start_time_seconds")
                      .Help("When the server started, in seconds since the Unix epoch")
                      .Register(*registry_)
                      .Add({})),
      cpu_seconds_(prometheus::BuildCounter()
                       .Name("process_cpu_seconds_total")
                       .Help("User and system CPU time spent, in seconds")
                       .Register(*registry_)
                       .Add({})) {
  max_connections_.Set(static_cast<double>(max_connections));
  start_time_.SetToCurrentTime();
}

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

std::string metrics::render(const engine::writer_stats& writer, std::uint64_t reader_cache_bytes) {
  {
    std::lock_guard lock(render_mutex_);
    queue_depth_.Set(static_cast<double>(writer.queued));
    groups_.Increment(static_cast<double>(writer.groups - last_.groups));
    grouped_writes_.Increment(static_cast<double>(writer.writes - last_.writes));
    folds_.Increment(static_cast<double>(writer.folds - last_.folds));
    largest_group_.Set(static_cast<double>(writer.largest_group));
    queue_limit_.Set(static_cast<double>(writer.queue_limit));
    std::vector<double> commits(writer.commit_buckets.size());
    for (std::size_t i = 0; i < commits.size(); ++i)
      commits[i] = static_cast<double>(writer.commit_buckets[i] - last_.commit_buckets[i]);
    commit_duration_.ObserveMultiple(commits, writer.commit_seconds - last_.commit_seconds);
    last_ = writer;
    writer_cache_bytes_.Set(static_cast<double>(writer.cache_bytes));
    reader_cache_bytes_.Set(static_cast<double>(reader_cache_bytes));

    const auto process = read_process_stats();
    if (process.resident_bytes) resident_bytes_.Set(*process.resident_bytes);
    if (process.heap_in_use_bytes) heap_in_use_.Set(*process.heap_in_use_bytes);
    if (process.heap_free_bytes) heap_free_.Set(*process.heap_free_bytes);
    if (process.open_fds) open_fds_.Set(*process.open_fds);
    if (process.max_fds) max_fds_.Set(*process.max_fds);
    if (process.cpu_seconds && *process.cpu_seconds > cpu_seconds_.Value())
      cpu_seconds_.Increment(*process.cpu_seconds - cpu_seconds_.Value());
  }
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace hrs::server
