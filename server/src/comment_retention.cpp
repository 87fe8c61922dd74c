#include "comment_retention.hpp"

#include <spdlog/spdlog.h>

#include <pthread.h>
#include <chrono>

#include "hrs/engine/audit.hpp"
#include "hrs/engine/retention.hpp"

namespace hrs::server {

engine::result<void> comment_retention::erase_now() {
  auto erased = engine::erase_old_texts(
      store_, keep_days_, engine::command_line_actor("serve --comment-retention-days"));
  if (!erased) return std::unexpected(erased.error());
  spdlog::info("comment retention ({} days): erased {} comment rows, texts of {} responses",
               keep_days_, erased->comment_rows, erased->responses);
  if (!erased->wal_emptied)
    spdlog::warn("comment retention: the WAL could not be emptied yet; the idle writer will");
  return {};
}

void comment_retention::start_daily() {
  daily_ = std::jthread([this](std::stop_token stop) {
    pthread_setname_np(pthread_self(), "hrs-retention");
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        // Woken early only to stop: the predicate is the stop request itself.
        if (wake_.wait_for(lock, stop, std::chrono::hours(24), [] { return false; }) ||
            stop.stop_requested())
          return;
      }
      if (auto ok = erase_now(); !ok) spdlog::error("comment retention failed: {}", ok.error().log);
    }
  });
}

}  // namespace hrs::server
