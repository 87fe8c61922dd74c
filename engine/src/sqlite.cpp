#include "sqlite.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace hrs::engine::sql {

statement::~statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

statement& statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
statement& statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
statement& statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
statement& statement::bind_blob(int index, const void* data, std::size_t size) {
  sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT);
  return *this;
}
statement& statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}
statement& statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

result<bool> statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(conn_->failure(sqlite3_sql(stmt_)));
}

result<void> statement::run() {
  for (;;) {
    auto more = step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
  }
}

std::int64_t statement::column_int(int index) const noexcept {
  return sqlite3_column_int64(stmt_, index);
}
double statement::column_double(int index) const noexcept {
  return sqlite3_column_double(stmt_, index);
}
std::string statement::column_text(int index) const {
  return std::string(column_view(index));
}
std::string_view statement::column_view(int index) const noexcept {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
}
bool statement::column_is_null(int index) const noexcept {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

result<std::unique_ptr<connection>> connection::open(const std::filesystem::path& file,
                                                     access mode) {
  // SQLite's memory statistics take a global mutex on every allocation, which the
  // writer and the readers would then contend for; nothing here reads them. This only
  // takes effect if it runs before SQLite initializes, so it is done at the first open.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  sqlite3* raw = nullptr;
  const int flags = (mode == access::read_only ? SQLITE_OPEN_READONLY
                                               : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  std::unique_ptr<connection> conn(new connection(raw));
  if (rc != SQLITE_OK) {
    return fail(errc::internal, "the store cannot be opened", {},
                fmt::format("sqlite3_open_v2({}): {}", file.string(),
                            raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  // secure_delete: what a write removes (erased comments, dropped tables) is overwritten
  // with zeros, not left in free space for someone reading the file's bytes.
  const char* pragmas = mode == access::read_only
                            ? "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                              "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144; "
                              "PRAGMA secure_delete=ON;";
  if (auto ok = conn->exec(pragmas); !ok) return std::unexpected(ok.error());
  return conn;
}

std::uint64_t connection::cache_bytes() const noexcept {
  int current = 0, highest = 0;
  if (sqlite3_db_status(db_.get(), SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0) != SQLITE_OK)
    return 0;
  return static_cast<std::uint64_t>(current);
}

result<statement> connection::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(raw);
      return std::unexpected(failure(sql));
    }
    it = cache_.emplace(std::string(sql), raw).first;
  }
  return statement(it->second.get(), *this);
}

result<void> connection::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string log = fmt::format("{}: {}", text, message ? message : "unknown error");
    sqlite3_free(message);
    return fail(errc::internal, "the store failed", {}, std::move(log));
  }
  return {};
}

error connection::failure(std::string_view what) const {
  const int code = sqlite3_extended_errcode(db_.get());
  // A full disk or a locked file is a state the operator must fix, not a bug.
  const errc kind = (code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_BUSY ? errc::unavailable
                                                                                 : errc::internal;
  return error{kind,
               kind == errc::unavailable ? "the store cannot take writes now" : "the store failed",
               {},
               fmt::format("{}: {} ({})", what, sqlite3_errmsg(db_.get()), code)};
}

result<transaction> transaction::begin(connection& conn, kind k) {
  if (auto ok = conn.exec(k == kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN"); !ok)
    return std::unexpected(ok.error());
  return transaction(conn);
}

transaction::~transaction() {
  if (conn_ == nullptr) return;
  if (auto ok = conn_->exec("ROLLBACK"); !ok) spdlog::error("rollback failed: {}", ok.error().log);
}

result<void> transaction::commit() {
  auto ok = conn_->exec("COMMIT");
  if (ok) conn_ = nullptr;
  return ok;
}

}  // namespace hrs::engine::sql
