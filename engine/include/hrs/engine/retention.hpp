#pragma once

#include <cstdint>

#include "hrs/engine/error.hpp"

namespace hrs::engine {

class store;
struct actor;

// What erase_old_texts did.
struct erased_texts {
  std::int64_t comment_rows = 0;  // rows of response_texts (one per staff member and text)
  std::int64_t responses = 0;     // responses whose text answers were taken out
  // False when a reader kept the WAL from being emptied: the erased texts may then
  // stay in the -wal file until the next checkpoint.
  bool wal_emptied = false;
};

// Erases every text answer (comments) of the responses received more than `keep_days`
// UTC days ago: a response of day D goes once today - D >= keep_days. The ratings,
// choices, aggregates and everything else of those responses stay. The texts are
// overwritten in the file (secure_delete on the write connection) and the WAL is
// checkpointed and truncated, so that the file's bytes no longer hold them.
// keep_days must be at least 1. An erase that took something out is an admin action:
// it is written to the audit log by `by` ("comments.erased") in its own transaction.
[[nodiscard]] result<erased_texts> erase_old_texts(store& s, int keep_days, const actor& by);

}  // namespace hrs::engine
