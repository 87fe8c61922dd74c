#include "hrs/engine/roster.hpp"

#include <fmt/format.h>

#include "audit_record.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/text_rules.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

namespace {

void check_label(std::string_view value, std::string_view path, std::size_t max,
                 std::vector<detail>& problems) {
  const auto length = utf8_length(value);
  if (!length || !is_clean_text(value)) {
    problems.push_back({std::string(path), "must be UTF-8 text without control characters"});
  } else if (*length == 0 || value.find_first_not_of(" \t") == std::string_view::npos) {
    problems.push_back({std::string(path), "must not be empty"});
  } else if (*length > max) {
    problems.push_back({std::string(path), fmt::format("must be at most {} characters", max)});
  }
}

result<put_outcome> upsert(sql::connection& db, const staff_member& m, unix_seconds now) {
  auto find = db.prepare("SELECT name, team FROM staff WHERE id = ?1");
  if (!find) return std::unexpected(find.error());
  find->bind(1, std::string_view(m.id));
  auto row = find->step();
  if (!row) return std::unexpected(row.error());
  put_outcome outcome = put_outcome::created;
  if (*row) {
    if (find->column_view(0) == m.name && find->column_view(1) == m.team)
      return put_outcome::unchanged;
    outcome = put_outcome::updated;
  }
  auto write = db.prepare(
      "INSERT INTO staff (id, name, team, updated_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, team = excluded.team, "
      "updated_at = excluded.updated_at");
  if (!write) return std::unexpected(write.error());
  write->bind(1, std::string_view(m.id))
      .bind(2, std::string_view(m.name))
      .bind(3, std::string_view(m.team))
      .bind(4, now);
  if (auto ok = write->run(); !ok) return std::unexpected(ok.error());
  return outcome;
}

}  // namespace

result<void> validate_staff(const staff_member& m) {
  std::vector<detail> problems;
  if (!is_safe_id(m.id))
    problems.push_back(
        {"/id", "must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'"});
  check_label(m.name, "/name", 200, problems);
  check_label(m.team, "/team", 100, problems);
  if (!problems.empty())
    return fail(errc::validation_failed, "the staff entry is invalid", std::move(problems));
  return {};
}

result<put_outcome> put_staff(store& s, const staff_member& member, const actor& by) {
  if (auto ok = validate_staff(member); !ok) return std::unexpected(ok.error());
  return s.impl().write_and_wait<put_outcome>([&](write_tx& tx) -> result<put_outcome> {
    auto outcome = upsert(tx.db(), member, tx.now());
    if (!outcome || *outcome == put_outcome::unchanged) return outcome;
    const auto* word = *outcome == put_outcome::created ? "created" : "updated";
    if (auto ok = record_audit(tx, by, "staff.put", member.id, {{"outcome", word}}); !ok)
      return std::unexpected(ok.error());
    return outcome;
  });
}

result<std::vector<staff_member>> list_staff(store& s) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare("SELECT id, name, team FROM staff ORDER BY team, name, id");
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<staff_member> roster;
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return roster;
    roster.push_back({stmt->column_text(0), stmt->column_text(1), stmt->column_text(2)});
  }
}

result<staff_member> find_staff(store& s, std::string_view id) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare("SELECT id, name, team FROM staff WHERE id = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, id);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(errc::not_found, "no staff member has this id");
  return staff_member{stmt->column_text(0), stmt->column_text(1), stmt->column_text(2)};
}

result<import_summary> import_staff(store& s, const std::vector<staff_member>& roster,
                                    const actor& by) {
  std::vector<detail> problems;
  for (std::size_t i = 0; i < roster.size(); ++i) {
    if (auto ok = validate_staff(roster[i]); !ok) {
      for (const auto& d : ok.error().details)
        problems.push_back({fmt::format("/{}{}", i, d.path), d.message});
    }
  }
  if (!problems.empty())
    return fail(errc::validation_failed, "the roster is invalid", std::move(problems));
  return s.impl().write_and_wait<import_summary>([&](write_tx& tx) -> result<import_summary> {
    import_summary summary;
    for (const auto& member : roster) {
      auto outcome = upsert(tx.db(), member, tx.now());
      if (!outcome) return std::unexpected(outcome.error());
      switch (*outcome) {
        case put_outcome::created:
          ++summary.created;
          break;
        case put_outcome::updated:
          ++summary.updated;
          break;
        case put_outcome::unchanged:
          ++summary.unchanged;
          break;
      }
    }
    if (summary.created + summary.updated == 0) return summary;
    const nlohmann::json counts = {{"created", summary.created},
                                   {"updated", summary.updated},
                                   {"unchanged", summary.unchanged}};
    if (auto ok = record_audit(tx, by, "staff.imported", "roster", counts); !ok)
      return std::unexpected(ok.error());
    return summary;
  });
}

}  // namespace hrs::engine
