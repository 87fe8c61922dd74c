#include "survey_catalog.hpp"

#include <fmt/format.h>

#include <mutex>
#include <optional>

#include "hrs/engine/definition_loader.hpp"

namespace hrs::engine {

result<std::shared_ptr<const survey>> survey_catalog::find(std::string_view id, int version,
                                                           sql::connection* db) const {
  const std::pair<std::string, int> key(id, version);
  {
    std::shared_lock lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  std::optional<reader_lease> reader;
  if (db == nullptr) {
    auto lease = readers_.acquire();
    if (!lease) return std::unexpected(lease.error());
    reader.emplace(std::move(*lease));
    db = &reader->db();
  }
  auto stmt = db->prepare("SELECT definition FROM surveys WHERE id = ?1 AND version = ?2");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, id).bind(2, version);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::shared_ptr<const survey>{};
  auto parsed = parse_definition(stmt->column_view(0));
  if (!parsed) {
    return fail(errc::internal, "a stored survey template is unreadable", {},
                fmt::format("survey {} version {} in the store does not validate", id, version));
  }
  auto shared = std::make_shared<const survey>(std::move(*parsed));
  std::unique_lock lock(mutex_);
  return cache_.try_emplace(key, std::move(shared)).first->second;
}

result<std::shared_ptr<const survey>> survey_catalog::active(std::string_view id) const {
  int version = 0;
  {
    auto reader = readers_.acquire();
    if (!reader) return std::unexpected(reader.error());
    auto stmt = reader->db().prepare("SELECT max(version) FROM surveys WHERE id = ?1");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (stmt->column_is_null(0)) return std::shared_ptr<const survey>{};
    version = static_cast<int>(stmt->column_int(0));
  }
  return find(id, version);
}

void survey_catalog::remember(std::shared_ptr<const survey> s) {
  std::pair<std::string, int> key(s->id, s->version);
  std::unique_lock lock(mutex_);
  cache_.insert_or_assign(std::move(key), std::move(s));
}

}  // namespace hrs::engine
