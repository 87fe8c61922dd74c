#pragma once

// Thin RAII over the SQLite C API: connections, cached prepared statements and
// transaction guards. Private to the engine.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hrs/engine/error.hpp"

namespace hrs::engine::sql {

struct close_db {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct finalize_stmt {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};

class connection;

// A prepared statement borrowed from a connection's cache. Resets and clears its
// bindings when destroyed, so the next borrower starts clean.
class statement {
 public:
  statement(sqlite3_stmt* stmt, connection& conn) noexcept : stmt_(stmt), conn_(&conn) {}
  statement(statement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)), conn_(other.conn_) {}
  statement& operator=(statement&&) = delete;
  ~statement();

  statement& bind(int index, std::int64_t value);
  statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, double value);
  statement& bind(int index, std::string_view text);
  statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  statement& bind_blob(int index, const void* data, std::size_t size);
  statement& bind_null(int index);
  statement& bind(int index, const std::optional<std::string>& text);

  // Makes the statement ready to bind and run again (bindings are kept until rebound).
  void reset() noexcept { sqlite3_reset(stmt_); }

  // Steps once. Returns true when a row is available, false when done; an error result
  // carries sqlite3_errmsg in `log`.
  [[nodiscard]] result<bool> step();
  // Steps to completion, for statements that return no rows.
  [[nodiscard]] result<void> run();

  std::int64_t column_int(int index) const noexcept;
  double column_double(int index) const noexcept;
  std::string column_text(int index) const;
  std::string_view column_view(int index) const noexcept;
  bool column_is_null(int index) const noexcept;

 private:
  sqlite3_stmt* stmt_;
  connection* conn_;
};

enum class access { read_write, read_only };

// How long a connection waits for another's lock: writers wait for each other (the CLI
// beside a running server) instead of failing.
inline constexpr int busy_timeout_ms = 5000;

// One SQLite connection and its statement cache. Not thread-safe: one thread at a time.
class connection {
 public:
  // Opens (creating when read_write) the file; applies the connection pragmas.
  [[nodiscard]] static result<std::unique_ptr<connection>> open(const std::filesystem::path& file,
                                                                access mode);

  sqlite3* handle() const noexcept { return db_.get(); }

  // Returns a cached statement for `sql`, preparing it on first use.
  [[nodiscard]] result<statement> prepare(std::string_view sql);
  // Runs one or more statements that take no parameters.
  [[nodiscard]] result<void> exec(std::string_view sql);

  std::int64_t changes() const noexcept { return sqlite3_changes64(db_.get()); }
  std::int64_t last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_.get()); }
  // The heap its page cache holds now (SQLITE_DBSTATUS_CACHE_USED). Only on the thread
  // that uses the connection: it is opened without SQLite's mutex.
  std::uint64_t cache_bytes() const noexcept;

  // Returns an internal error whose log names the failing operation and SQLite's message.
  error failure(std::string_view what) const;

 private:
  explicit connection(sqlite3* db) : db_(db) {}
  // Declared after db_ so that the statements are finalized before the connection closes.
  std::unique_ptr<sqlite3, close_db> db_;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, finalize_stmt>> cache_;
};

// BEGIN [IMMEDIATE] ... COMMIT; rolls back in the destructor unless committed.
class transaction {
 public:
  enum class kind { deferred, immediate };
  [[nodiscard]] static result<transaction> begin(connection& conn, kind k);
  transaction(transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
  transaction& operator=(transaction&&) = delete;
  ~transaction();
  [[nodiscard]] result<void> commit();

 private:
  explicit transaction(connection& conn) : conn_(&conn) {}
  connection* conn_;
};

}  // namespace hrs::engine::sql
