#include "hrs/engine/store.hpp"

#include <fmt/format.h>

#include "migrations.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

store::store(std::unique_ptr<detail_store::store_impl> impl) : impl_(std::move(impl)) {}

store::~store() {
  close();
}

result<std::unique_ptr<store>> store::open(store_options options) {
  if (options.file.empty()) return fail(errc::validation_failed, "no store file given");
  if (options.max_group_size == 0) options.max_group_size = 1;
  if (options.reader_connections == 0) options.reader_connections = 1;
  auto db = sql::connection::open(options.file, sql::access::read_write);
  if (!db) return std::unexpected(db.error());
  if (auto ok = apply_migrations(**db, current_schema_version()); !ok)
    return std::unexpected(ok.error());

  auto impl = std::make_unique<detail_store::store_impl>(std::move(options));
  impl->writer = std::make_unique<writer>(std::move(*db), impl->options, impl->catalog, impl->keys);
  // Responses committed before a crash but not folded yet are folded now, so reports
  // only ever add a small tail.
  if (auto ok = impl->writer->fold_now(); !ok) return std::unexpected(ok.error());
  impl->writer->start();
  return std::unique_ptr<store>(new store(std::move(impl)));
}

void store::close() {
  if (impl_ && impl_->writer) impl_->writer->close();
}

unix_seconds store::now() const {
  return impl_->options.clock();
}

writer_stats store::stats() const {
  return impl_->writer->stats();
}

std::uint64_t store::reader_cache_bytes() const {
  return impl_->readers.cache_bytes();
}

result<void> store::backup(const std::filesystem::path& target) {
  auto reader = impl_->read();
  if (!reader) return std::unexpected(reader.error());
  sqlite3* dest = nullptr;
  const int rc =
      sqlite3_open_v2(target.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, sql::close_db> dest_guard(dest);
  if (rc != SQLITE_OK)
    return fail(errc::validation_failed,
                fmt::format("cannot create the backup file {}", target.string()), {},
                dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", reader->db().handle(), "main");
  if (backup == nullptr)
    return fail(errc::internal, "the backup could not start", {}, sqlite3_errmsg(dest));
  // One step copies everything from one read snapshot: WAL readers do not block the
  // writer, and the copy is consistent.
  const int step = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE)
    return fail(errc::internal, "the backup failed", {},
                fmt::format("sqlite3_backup_step: {}", sqlite3_errstr(step)));
  return {};
}

result<void> migrate_store_file(const std::filesystem::path& file, int up_to) {
  auto db = sql::connection::open(file, sql::access::read_write);
  if (!db) return std::unexpected(db.error());
  return apply_migrations(**db, up_to);
}

}  // namespace hrs::engine
