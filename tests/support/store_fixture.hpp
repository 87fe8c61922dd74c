#pragma once

// Shared setup for the engine tests: a store on a real SQLite file in a temp dir, with
// the shipped templates, a small roster and a clock the test moves; plus helpers that
// look at the file with the SQLite C API directly, as someone holding the file would.

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/time.hpp"
#include "temp_dir.hpp"

namespace hrs::testing {

// 2026-01-01T10:00:00Z: the fixture clock's start.
inline constexpr engine::unix_seconds fixture_start = 1'767'261'600;

// The paths of an error's details, in order: what tests compare.
std::vector<std::string> paths_of(const std::vector<engine::detail>& details);

// The roster the fixture puts in the store: s-101..s-106 in three teams.
const std::vector<engine::staff_member>& fixture_roster();

// Answers to hr-service that pass validation in invitation mode.
nlohmann::json good_answers();

struct fixture_options {
  bool templates = true;  // sync_definitions(survey_defs)
  bool roster = true;     // put fixture_roster()
  std::size_t fold_after_responses = engine::store_options{}.fold_after_responses;
  std::chrono::milliseconds fold_idle = engine::store_options{}.fold_idle;
};

// A time source shared by the fixture and every store it opens; copies share the time.
class manual_clock {
 public:
  manual_clock() : now_(std::make_shared<std::atomic<engine::unix_seconds>>(fixture_start)) {}
  engine::unix_seconds now() const { return now_->load(); }
  void set(engine::unix_seconds t) { now_->store(t); }
  void advance(engine::unix_seconds seconds) { now_->fetch_add(seconds); }
  // A function for store_options::clock.
  std::function<engine::unix_seconds()> function() const {
    return [now = now_] { return now->load(); };
  }

 private:
  std::shared_ptr<std::atomic<engine::unix_seconds>> now_;
};

// A store in a fresh temp dir ("store.db"). Throws std::runtime_error when setup fails.
class store_fixture {
 public:
  explicit store_fixture(fixture_options options = {});
  ~store_fixture();
  store_fixture(const store_fixture&) = delete;
  store_fixture& operator=(const store_fixture&) = delete;

  engine::store& store() { return *store_; }
  const std::filesystem::path& file() const noexcept { return file_; }
  const temp_dir& dir() const noexcept { return dir_; }
  manual_clock& clock() noexcept { return clock_; }
  // The options the fixture opens its store with (its file and clock); for a second store.
  engine::store_options options() const;

  // Closes the store and opens it again on the same file.
  void reopen();
  // Closes and destroys the store; store() must not be used until reopen().
  void close();

  // Creates an invitation to hr-service for `staff`; throws when that fails.
  engine::invitation invite(std::vector<std::string> staff = {"s-101"},
                            std::optional<std::string> external_ref = std::nullopt);

 private:
  temp_dir dir_;
  std::filesystem::path file_;
  fixture_options fixture_options_;
  manual_clock clock_;
  std::unique_ptr<engine::store> store_;
};

// A connection of its own to a store file, through the SQLite C API.
class raw_db {
 public:
  enum class mode { read_only, read_write };
  explicit raw_db(const std::filesystem::path& file, mode m = mode::read_only);
  sqlite3* handle() const noexcept { return db_.get(); }

  // Runs statements without parameters; throws on error.
  void exec(std::string_view sql);
  // The first column of the first row as an integer or text; throws on error or no row.
  std::int64_t integer(std::string_view sql, std::optional<std::int64_t> param = std::nullopt);
  std::string text(std::string_view sql);
  std::int64_t count(std::string_view table);
  std::vector<std::string> tables();
  std::vector<std::string> columns(std::string_view table);
  // Every row of a table, each column rendered as text (blobs in hex), by rowid or key.
  std::vector<std::vector<std::string>> rows(std::string_view table);
  // The "table.column" of every text or blob value that contains `needle`.
  std::vector<std::string> find_text(std::string_view needle);
  // PRAGMA integrity_check's first line: "ok" when the file is sound.
  std::string integrity();

 private:
  struct closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, closer> db_;
};

// True when the bytes of the file (and of its -wal file, if any) contain `needle`.
bool file_bytes_contain(const std::filesystem::path& file, std::string_view needle);

// Returns "" when both hold the same counts, else the first differences, for messages.
std::string counts_difference(const engine::aggregate_counts& expected,
                              const engine::aggregate_counts& actual);

// The query that covers every day the tests use: fixture_start -/+ 400 days.
engine::count_query whole_range();

// Checks that read_counts and recount_from_responses agree over the whole range (and a
// few sub-ranges and per survey); returns counts_difference of the first disagreement.
std::string counts_disagreement(engine::store& s);

}  // namespace hrs::testing
