#include "writer.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "counting.hpp"
#include "survey_catalog.hpp"

namespace hrs::engine {

namespace {

constexpr std::string_view read_mark_sql =
    "SELECT value FROM meta WHERE key = 'folded_through_response'";
constexpr std::string_view write_mark_sql =
    "UPDATE meta SET value = ?1 WHERE key = 'folded_through_response'";

result<std::int64_t> read_mark(sql::connection& db) {
  auto stmt = db.prepare(read_mark_sql);
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  return *row ? stmt->column_int(0) : 0;
}

// A group gathers (let_group_gather) only after a group of at least this many writes.
// With 4 clients, gathering after groups of 4 cost 8% of the rate: every group then
// waited for the slowest of the four.
constexpr std::size_t gather_after_group = 8;
// The longest a group gathers: about one commit's fsync here, the time in which a
// group fills by itself.
constexpr std::chrono::microseconds gather_at_most{500};

// Savepoints run once per job: prepared once rather than parsed each time.
result<void> run_cached(sql::connection& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return std::unexpected(stmt.error());
  return stmt->run();
}

}  // namespace

void write_tx::counted_response(std::int64_t response_id, const packed_ratings& ratings) {
  ratings_.insert(ratings_.end(), ratings.begin(), ratings.end());
  ++responses_;
  max_response_id_ = std::max(max_response_id_, response_id);
}

void write_tx::forget_since(const counted_mark& m) {
  ratings_.resize(m.ratings);
  responses_ = m.responses;
  max_response_id_ = m.max_response_id;
}

writer::writer(std::unique_ptr<sql::connection> db, const store_options& options,
               const survey_catalog& catalog, const key_pool& keys)
    : db_(std::move(db)), options_(options), catalog_(catalog), keys_(keys) {}

writer::~writer() {
  close();
}

void writer::start() {
  thread_ = std::thread([this] { loop(); });
  // Named so that top -H, perf and gdb show which thread is the writer.
  pthread_setname_np(thread_.native_handle(), "hrs-writer");
}

result<void> writer::post(write_job job) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (closing_) return fail(errc::unavailable, "the store is shutting down");
    if (queue_.size() >= options_.max_queued_writes)
      return fail(errc::unavailable, "the store is busy; try again shortly");
    queue_.push_back(std::move(job));
    wake = queue_.size() >= wake_at_;
  }
  if (wake) wake_.notify_one();
  return {};
}

void writer::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_ && !thread_.joinable()) return;
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void writer::loop() {
  std::deque<write_job> group;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      const bool woken =
          wake_.wait_for(lock, options_.fold_idle, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) {
        last_group_ = 0;
        lock.unlock();
        // Idle (or closing with nothing queued): a good moment to fold.
        if (pending_responses_ > 0) {
          if (auto ok = fold(fold_in::own_transaction); !ok)
            spdlog::error("folding aggregates failed: {}", ok.error().log);
        }
        if (wal_written_) empty_wal();
        cache_bytes_.store(db_->cache_bytes(), std::memory_order_relaxed);
        if (woken && closing_) return;
        continue;
      }
      let_group_gather(lock);
      const std::size_t take = std::min(queue_.size(), options_.max_group_size);
      for (std::size_t i = 0; i < take; ++i) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      last_group_ = take;
    }
    run_group(group);
    group.clear();
    cache_bytes_.store(db_->cache_bytes(), std::memory_order_relaxed);
  }
}

// Under load, waits until as many jobs are queued as the last group held, or
// gather_at_most. The commit, its fsync above all, costs the writer about as much CPU
// as the writes of a dozen responses, and left alone a group holds only the writes
// that arrived during the previous commit: about 10 at 30,000 responses/s here, with
// 64 clients waiting. Gathering, groups hold most of the clients, and with the rate
// up their latency goes down (docs/PERFORMANCE.md has the figures). After a group of
// fewer than gather_after_group, or an idle spell, nothing waits: one or a few clients
// at a time would only be delayed.
void writer::let_group_gather(std::unique_lock<std::mutex>& lock) {
  if (last_group_ < gather_after_group || queue_.size() >= last_group_ || closing_) return;
  wake_at_ = last_group_;
  wake_.wait_for(lock, gather_at_most, [&] { return closing_ || queue_.size() >= wake_at_; });
  wake_at_ = 1;
}

void writer::finish_group(std::deque<write_job>& group, std::optional<error> failure) {
  // One throwing completion must not keep the others of its group from running.
  const auto finish = [](std::function<void(const error*)>& f, const std::optional<error>& err) {
    try {
      f(err ? &*err : nullptr);
    } catch (const std::exception& e) {
      spdlog::error("a write completion failed: {}", e.what());
    } catch (...) {
      spdlog::error("a write completion failed");
    }
  };
  auto elsewhere = std::make_shared<std::vector<std::function<void(const error*)>>>();
  elsewhere->reserve(group.size());
  for (auto& job : group) {
    if (job.finish_inline || !options_.run_completions) {
      finish(job.finish, failure);
    } else {
      elsewhere->push_back(std::move(job.finish));
    }
  }
  if (elsewhere->empty()) return;
  options_.run_completions([elsewhere, failure = std::move(failure), finish] {
    for (auto& f : *elsewhere)
      finish(f, failure);
  });
}

void writer::run_group(std::deque<write_job>& group) {
  const auto fail_all = [&](const error& err) {
    spdlog::error("write group of {} failed: {}", group.size(), err.log);
    finish_group(group, err);
  };
  // Fold before the group when enough is pending, so the fold shares its commit.
  const bool fold_first =
      pending_responses_ >= static_cast<std::int64_t>(options_.fold_after_responses);

  const auto began = std::chrono::steady_clock::now();
  auto tx = sql::transaction::begin(*db_, sql::transaction::kind::immediate);
  if (!tx) return fail_all(tx.error());
  packed_totals folded_before_group;
  std::int64_t folded_responses = 0;
  // The fold has a savepoint of its own: if it fails, the writes of the group still go
  // through, the counts stay pending (reports add the unfolded tail, so they stay
  // exact) and the next group tries again.
  bool folded = false;
  if (fold_first) {
    if (auto ok = run_cached(*db_, "SAVEPOINT fold"); !ok) return fail_all(ok.error());
    if (auto ok = fold(fold_in::current_transaction); ok) {
      if (auto released = run_cached(*db_, "RELEASE fold"); !released)
        return fail_all(released.error());
      folded = true;
      folded_before_group = std::move(pending_);
      folded_responses = pending_responses_;
      pending_.clear();
      pending_responses_ = 0;
    } else {
      spdlog::error("folding aggregates failed; the writes go on: {}", ok.error().log);
      if (auto undone = db_->exec("ROLLBACK TO fold; RELEASE fold"); !undone)
        return fail_all(undone.error());
    }
  }
  const auto restore_pending = [&] {
    if (!folded) return;
    pending_ = std::move(folded_before_group);
    pending_responses_ = folded_responses;
  };

  // The kept jobs' counts gather in ctx as one list, added to the pending totals once
  // the group commits: one hash update per rating, where summing each group in a map
  // of its own first took two.
  write_tx ctx(*db_, options_.clock());
  for (auto& job : group) {
    if (auto ok = run_cached(*db_, "SAVEPOINT job"); !ok) {
      restore_pending();
      return fail_all(ok.error());
    }
    const auto counted_before = ctx.mark();
    const bool kept = job.run(ctx);
    auto ok = kept ? run_cached(*db_, "RELEASE job") : db_->exec("ROLLBACK TO job; RELEASE job");
    if (!ok) {
      restore_pending();
      return fail_all(ok.error());
    }
    if (!kept) ctx.forget_since(counted_before);
  }
  if (auto ok = tx->commit(); !ok) {
    restore_pending();
    return fail_all(ok.error());
  }
  wal_written_ = true;
  count_commit(std::chrono::steady_clock::now() - began);
  groups_.fetch_add(1, std::memory_order_relaxed);
  writes_.fetch_add(group.size(), std::memory_order_relaxed);
  if (group.size() > largest_group_.load(std::memory_order_relaxed))
    largest_group_.store(group.size(), std::memory_order_relaxed);
  add(pending_, ctx.ratings_);
  pending_responses_ += ctx.responses_;
  pending_max_id_ = std::max(pending_max_id_, ctx.max_response_id_);
  finish_group(group, std::nullopt);
}

// The WAL keeps each commit's pages in order: until it is overwritten, its frames pair the
// answered mark and the response that one commit added, which the file itself no longer
// does (see migration 5). So once the writer is idle the WAL is checkpointed and cut to
// nothing. Under load the writer is never idle and nothing changes; at a trickle of
// responses each pair lasts in the WAL about fold_idle. Readers are not waited for (a
// busy timeout of 0): if one holds an old snapshot, the next idle spell tries again.
void writer::empty_wal() {
  sqlite3_busy_timeout(db_->handle(), 0);
  int logged = -1, copied = -1;
  const int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                           &logged, &copied);
  sqlite3_busy_timeout(db_->handle(), sql::busy_timeout_ms);
  if (rc == SQLITE_OK) wal_written_ = false;
}

void writer::count_commit(std::chrono::steady_clock::duration took) {
  const double seconds = std::chrono::duration<double>(took).count();
  const auto bucket = static_cast<std::size_t>(
      std::ranges::lower_bound(commit_bucket_bounds, seconds) - commit_bucket_bounds.begin());
  commit_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  commit_nanoseconds_.fetch_add(
      static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()),
      std::memory_order_relaxed);
}

writer_stats writer::stats() const {
  writer_stats out{groups_.load(), writes_.load(), largest_group_.load(), 0, folds_.load()};
  out.queue_limit = options_.max_queued_writes;
  for (std::size_t i = 0; i < commit_buckets_.size(); ++i)
    out.commit_buckets[i] = commit_buckets_[i].load(std::memory_order_relaxed);
  out.commit_seconds = static_cast<double>(commit_nanoseconds_.load()) / 1e9;
  out.cache_bytes = cache_bytes_.load(std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  out.queued = queue_.size();
  return out;
}

result<void> writer::fold_now() {
  auto tx = sql::transaction::begin(*db_, sql::transaction::kind::immediate);
  if (!tx) return std::unexpected(tx.error());
  if (auto ok = fold(fold_in::current_transaction); !ok) return ok;
  if (auto ok = tx->commit(); !ok) return ok;
  pending_.clear();
  pending_responses_ = 0;
  return {};
}

// Moves the unfolded responses into agg_day and the mark past them, in the caller's
// transaction or in one of its own. The in-memory
// counts are used only if the store shows exactly the responses they describe: another
// process (the CLI beside a server) may have written or folded responses meanwhile.
result<void> writer::fold(fold_in where) {
  std::optional<sql::transaction> own;
  if (where == fold_in::own_transaction) {
    auto tx = sql::transaction::begin(*db_, sql::transaction::kind::immediate);
    if (!tx) return std::unexpected(tx.error());
    own.emplace(std::move(*tx));
  }
  auto mark = read_mark(*db_);
  if (!mark) return std::unexpected(mark.error());

  auto tail = db_->prepare("SELECT count(*), coalesce(max(id), 0) FROM responses WHERE id > ?1");
  if (!tail) return std::unexpected(tail.error());
  tail->bind(1, *mark);
  if (auto row = tail->step(); !row) return std::unexpected(row.error());
  const std::int64_t tail_count = tail->column_int(0), tail_max = tail->column_int(1);
  tail->reset();
  if (tail_count == 0) {
    known_mark_ = *mark;
    if (own) {
      if (auto ok = own->commit(); !ok) return ok;
      pending_.clear();
      pending_responses_ = 0;
    }
    return {};
  }

  const bool pending_matches =
      *mark == known_mark_ && tail_count == pending_responses_ && tail_max == pending_max_id_;
  aggregate_counts recounted;
  if (!pending_matches) {
    auto counted = count_stored_responses(*db_, catalog_, *mark, std::nullopt, recounted);
    if (!counted) return std::unexpected(counted.error());
  }
  if (auto ok = pending_matches ? add_to_aggregates(*db_, pending_, keys_)
                                : add_to_aggregates(*db_, recounted);
      !ok)
    return ok;
  auto update = db_->prepare(write_mark_sql);
  if (!update) return std::unexpected(update.error());
  update->bind(1, tail_max);
  if (auto ok = update->run(); !ok) return ok;
  folds_.fetch_add(1, std::memory_order_relaxed);
  // Set before the commit: if it fails, the mark in the store differs and the next fold
  // recounts from the rows, which is always right.
  known_mark_ = tail_max;
  if (own) {
    if (auto ok = own->commit(); !ok) return ok;
    pending_.clear();
    pending_responses_ = 0;
  }
  return {};
}

}  // namespace hrs::engine
