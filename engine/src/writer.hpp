#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/error.hpp"
#include "hrs/engine/store.hpp"
#include "packed_counts.hpp"
#include "sqlite.hpp"

namespace hrs::engine {

class survey_catalog;

// What a write job sees on the writer thread, inside the group's transaction and its
// own savepoint.
class write_tx {
 public:
  write_tx(sql::connection& db, unix_seconds now) : db_(db), now_(now) {}
  sql::connection& db() noexcept { return db_; }
  unix_seconds now() const noexcept { return now_; }

  // Records the aggregate counts of a response this job stored; they reach the folded
  // aggregates only if the job and its group commit.
  void counted_response(std::int64_t response_id, const packed_ratings& ratings);

 private:
  friend class writer;
  // How much had been counted before a job ran, to forget what it counted if its
  // savepoint rolls back.
  struct counted_mark {
    std::size_t ratings = 0;
    std::int64_t responses = 0, max_response_id = 0;
  };
  counted_mark mark() const noexcept { return {ratings_.size(), responses_, max_response_id_}; }
  void forget_since(const counted_mark& m);

  sql::connection& db_;
  unix_seconds now_;
  // The counts of every job of the group kept so far.
  packed_ratings ratings_;
  std::int64_t responses_ = 0;
  std::int64_t max_response_id_ = 0;
};

struct write_job {
  // Runs on the writer thread. Returns false after a failure that it kept for its
  // caller; the writer then rolls back this job's savepoint alone.
  std::function<bool(write_tx&)> run;
  // Runs after the group committed (nullptr) or failed (the error): through
  // store_options::run_completions, or on the writer thread itself when `finish_inline`.
  std::function<void(const error*)> finish;
  // For callers blocked waiting on the result: their completion only wakes them, and
  // must not depend on threads that may be the ones blocked (an I/O thread waiting for
  // an admin write would otherwise wait for itself).
  bool finish_inline = false;
};

// The one thread that owns the write connection. Jobs queue up; the thread takes all
// that are waiting (up to max_group_size), runs them in one IMMEDIATE transaction with
// a savepoint each, commits once, and only then finishes each job (group commit).
// Under load it first lets a group gather for a moment (let_group_gather).
// New responses are counted in memory and folded into agg_day in bulk, behind the
// high-water mark meta.folded_through_response that moves in the same transaction.
class writer {
 public:
  writer(std::unique_ptr<sql::connection> db, const store_options& options,
         const survey_catalog& catalog, const key_pool& keys);
  ~writer();

  // Queues a job. Fails with errc::unavailable when closing or when the queue is full;
  // the job's finish is then never called.
  [[nodiscard]] result<void> post(write_job job);

  // Folds whatever responses are not folded yet, e.g. those a crash left behind.
  // Writer thread or before start() only.
  [[nodiscard]] result<void> fold_now();

  void start();
  // Refuses new jobs, commits the queued ones, folds, and joins the thread.
  void close();

  sql::connection& connection() noexcept { return *db_; }
  writer_stats stats() const;

 private:
  void loop();
  void let_group_gather(std::unique_lock<std::mutex>& lock);
  void run_group(std::deque<write_job>& group);
  // Counts one committed group's transaction time into commit_buckets_.
  void count_commit(std::chrono::steady_clock::duration took);
  // Completes every job of a group, here or through options_.run_completions.
  void finish_group(std::deque<write_job>& group, std::optional<error> failure);
  enum class fold_in { current_transaction, own_transaction };
  [[nodiscard]] result<void> fold(fold_in where);
  // When idle: copies the WAL into the file and truncates it, without waiting for readers.
  void empty_wal();

  std::unique_ptr<sql::connection> db_;
  store_options options_;
  const survey_catalog& catalog_;
  const key_pool& keys_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<write_job> queue_;
  bool closing_ = false;
  // post() wakes the writer once the queue holds this many jobs: 1, except while a
  // group gathers.
  std::size_t wake_at_ = 1;
  // Writer thread only: the size of the last group; 0 after an idle spell.
  std::size_t last_group_ = 0;
  std::thread thread_;
  std::atomic<std::uint64_t> groups_{0}, writes_{0}, largest_group_{0}, folds_{0};
  // Written by the writer thread, read by stats(): see writer_stats.
  std::array<std::atomic<std::uint64_t>, commit_bucket_bounds.size() + 1> commit_buckets_{};
  std::atomic<std::uint64_t> commit_nanoseconds_{0};
  // Written by the writer thread after each transaction: the connection is not
  // SQLite-mutexed, so no other thread may ask it.
  std::atomic<std::uint64_t> cache_bytes_{0};

  // Writer thread only: the committed responses not folded yet, counted in memory.
  packed_totals pending_;
  std::int64_t pending_responses_ = 0;
  std::int64_t pending_max_id_ = 0;
  // The fold mark as this writer last saw or set it; another process that folds moves
  // it, and then the in-memory counts may describe responses already folded.
  std::int64_t known_mark_ = -1;
  // Commits since the WAL was last emptied: each commit's pages in the WAL show which
  // answered mark and which response it added together.
  bool wal_written_ = false;
};

}  // namespace hrs::engine
