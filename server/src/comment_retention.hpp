#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "hrs/engine/error.hpp"

namespace hrs::engine {
class store;
}

namespace hrs::server {

// `serve --comment-retention-days N`: erases the text answers of responses N or more
// days old when the server starts, then once a day while it runs.
class comment_retention {
 public:
  comment_retention(engine::store& store, int keep_days) : store_(store), keep_days_(keep_days) {}
  comment_retention(const comment_retention&) = delete;
  comment_retention& operator=(const comment_retention&) = delete;

  // Erases once, now, and logs what it erased.
  [[nodiscard]] engine::result<void> erase_now();
  // Starts the thread that erases once a day.
  void start_daily();

 private:
  engine::store& store_;
  int keep_days_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  // Last, so that it stops (its wait ends at the stop request) and joins first.
  std::jthread daily_;
};

}  // namespace hrs::server
