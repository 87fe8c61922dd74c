#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "hrs/engine/error.hpp"
#include "hrs/engine/time.hpp"

namespace hrs::engine {

struct store_options {
  std::filesystem::path file;
  // Read-only connections kept for concurrent readers; more readers wait for one.
  std::size_t reader_connections = 4;
  // Writes waiting for the writer beyond this are refused with errc::unavailable.
  std::size_t max_queued_writes = 65536;
  // At most this many writes share one transaction (group commit).
  std::size_t max_group_size = 512;
  // Responses are folded into the aggregates once this many are pending, or when the
  // writer has been idle for fold_idle; reports add the unfolded tail meanwhile.
  std::size_t fold_after_responses = 8192;
  std::chrono::milliseconds fold_idle{200};
  // Where the writer hands the completions of each committed group, as one task. Unset,
  // the writer thread runs them itself; a server passes its I/O executor, so that the
  // writer thread only writes while responses are built and sent elsewhere.
  std::function<void(std::function<void()>)> run_completions = {};
  // The time source, replaceable by tests (expiry) and the demo generator.
  std::function<unix_seconds()> clock = now_seconds;
};

// The upper bounds, in seconds, of writer_stats::commit_buckets: a group's transaction
// is one fsync of the WAL (about a millisecond on a quiet SSD) plus its writes, and a
// busy or failing disk shows as seconds.
inline constexpr std::array<double, 12> commit_bucket_bounds{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

// Counters of the writer since the store opened, for metrics and benchmarks.
struct writer_stats {
  std::uint64_t groups = 0;  // transactions committed for queued writes
  std::uint64_t writes = 0;  // writes those transactions held
  std::uint64_t largest_group = 0;
  std::uint64_t queued = 0;       // writes waiting now
  std::uint64_t folds = 0;        // bulk folds of responses into the aggregates
  std::uint64_t queue_limit = 0;  // store_options::max_queued_writes
  // The committed groups by the time from BEGIN IMMEDIATE to COMMIT returned (the
  // fsync included, the time a write waits in the queue not): [i] counts those up to
  // commit_bucket_bounds[i] and above the bound before it, the last those above all.
  std::array<std::uint64_t, commit_bucket_bounds.size() + 1> commit_buckets = {};
  double commit_seconds = 0;  // their sum
  // The heap the write connection's page cache held after its last transaction.
  std::uint64_t cache_bytes = 0;
};

namespace detail_store {
class store_impl;
}

// The SQLite store: one file in WAL mode, migrated when opened. Writes go through one
// writer thread that commits queued writes in groups; reads use read-only connections.
// Thread-safe: every member may be called from any thread.
class store {
 public:
  // Opens or creates the file, applies pending migrations, folds responses left
  // unfolded by a crash into the aggregates, and starts the writer thread.
  [[nodiscard]] static result<std::unique_ptr<store>> open(store_options options);
  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  // Refuses new writes, waits for queued ones to commit, folds the aggregates and stops
  // the writer. Idempotent; the destructor calls it.
  void close();

  // Writes a consistent copy of the store to `target` with SQLite's online backup,
  // while writes go on.
  [[nodiscard]] result<void> backup(const std::filesystem::path& target);

  unix_seconds now() const;
  writer_stats stats() const;
  // The heap the read connections' page caches held when each was last given back.
  std::uint64_t reader_cache_bytes() const;
  detail_store::store_impl& impl() noexcept { return *impl_; }

 private:
  explicit store(std::unique_ptr<detail_store::store_impl> impl);
  std::unique_ptr<detail_store::store_impl> impl_;
};

// The schema version this build creates and understands.
int current_schema_version() noexcept;

// Applies migrations 1..up_to to a store file without starting a writer; for tests of
// upgrades from older schemas.
[[nodiscard]] result<void> migrate_store_file(const std::filesystem::path& file, int up_to);

}  // namespace hrs::engine
