#include <fmt/format.h>

#include "audit_record.hpp"
#include "hrs/engine/access_tokens.hpp"
#include "hrs/engine/store.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

actor token_actor(const access_token& grant) {
  return {grant.id, grant.label};
}

actor command_line_actor(std::string_view command) {
  return {"cli", fmt::format("hrsurvey {}", command)};
}

result<void> record_audit(write_tx& tx, const actor& by, std::string_view action,
                          std::string_view target, const nlohmann::json& details) {
  auto stmt = tx.db().prepare(
      "INSERT INTO audit_log (at, actor_id, actor_label, action, target, details) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) return std::unexpected(stmt.error());
  const auto text = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  stmt->bind(1, tx.now())
      .bind(2, std::string_view(by.id))
      .bind(3, std::string_view(by.label))
      .bind(4, action)
      .bind(5, target)
      .bind(6, std::string_view(text));
  return stmt->run();
}

result<std::vector<audit_entry>> read_audit_log(store& s, const audit_query& query) {
  if (query.limit == 0 || query.limit > max_audit_page)
    return fail(errc::validation_failed, "the query is invalid",
                {{"limit", fmt::format("must be 1 to {}", max_audit_page)}});
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  // Unset bounds are NULL; the id order is the time order (one writer appends).
  auto stmt = reader->db().prepare(
      "SELECT id, at, actor_id, actor_label, action, target, details FROM audit_log "
      "WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) AND (?3 IS NULL OR id < ?3) "
      "ORDER BY id DESC LIMIT ?4");
  if (!stmt) return std::unexpected(stmt.error());
  if (query.from) stmt->bind(1, std::int64_t{*query.from} * seconds_per_day);
  if (query.to) stmt->bind(2, (std::int64_t{*query.to} + 1) * seconds_per_day);
  if (query.before) stmt->bind(3, *query.before);
  stmt->bind(4, static_cast<std::int64_t>(query.limit));
  std::vector<audit_entry> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    audit_entry e;
    e.id = stmt->column_int(0);
    e.at = stmt->column_int(1);
    e.by = {stmt->column_text(2), stmt->column_text(3)};
    e.action = stmt->column_text(4);
    e.target = stmt->column_text(5);
    e.details = nlohmann::json::parse(stmt->column_view(6), nullptr, false);
    if (e.details.is_discarded()) e.details = nlohmann::json::object();
    out.push_back(std::move(e));
  }
}

}  // namespace hrs::engine
