#include "hrs/engine/surveys.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "audit_record.hpp"
#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/store.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

namespace {

result<bool> version_in_use(sql::connection& db, const survey& d) {
  auto stmt = db.prepare(
      "SELECT EXISTS (SELECT 1 FROM responses WHERE survey = ?1 AND version = ?2) OR "
      "EXISTS (SELECT 1 FROM invitations WHERE survey = ?1 AND version = ?2)");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, std::string_view(d.id)).bind(2, d.version);
  if (auto row = stmt->step(); !row) return std::unexpected(row.error());
  return stmt->column_int(0) != 0;
}

result<registration> store_version(sql::connection& db, const survey& d, const std::string& text,
                                   unix_seconds now) {
  auto find = db.prepare("SELECT definition FROM surveys WHERE id = ?1 AND version = ?2");
  if (!find) return std::unexpected(find.error());
  find->bind(1, std::string_view(d.id)).bind(2, d.version);
  auto row = find->step();
  if (!row) return std::unexpected(row.error());
  if (*row) {
    if (find->column_view(0) == text) return registration::unchanged;
    find->reset();
    auto used = version_in_use(db, d);
    if (!used) return std::unexpected(used.error());
    if (*used) {
      return fail(
          errc::conflict,
          fmt::format("{} version {} already has invitations or responses and cannot change; "
                      "save the change as version {}",
                      d.id, d.version, d.version + 1),
          {{"/version", "this version is in use"}});
    }
    auto update = db.prepare("UPDATE surveys SET definition = ?3 WHERE id = ?1 AND version = ?2");
    if (!update) return std::unexpected(update.error());
    update->bind(1, std::string_view(d.id)).bind(2, d.version).bind(3, std::string_view(text));
    if (auto ok = update->run(); !ok) return std::unexpected(ok.error());
    return registration::replaced;
  }
  auto insert = db.prepare(
      "INSERT INTO surveys (id, version, definition, created_at) VALUES (?1, ?2, ?3, ?4)");
  if (!insert) return std::unexpected(insert.error());
  insert->bind(1, std::string_view(d.id))
      .bind(2, d.version)
      .bind(3, std::string_view(text))
      .bind(4, now);
  if (auto ok = insert->run(); !ok) return std::unexpected(ok.error());
  return registration::created;
}

}  // namespace

result<registration> register_survey(store& s, const survey& definition, const actor& by) {
  const std::string text = to_json_document(definition).dump();
  auto outcome = s.impl().write_and_wait<registration>([&](write_tx& tx) -> result<registration> {
    auto stored = store_version(tx.db(), definition, text, tx.now());
    if (!stored || *stored == registration::unchanged) return stored;
    const nlohmann::json details = {
        {"version", definition.version},
        {"outcome", *stored == registration::created ? "created" : "replaced"}};
    if (auto ok = record_audit(tx, by, "survey.stored", definition.id, details); !ok)
      return std::unexpected(ok.error());
    return stored;
  });
  if (outcome) s.impl().catalog.remember(std::make_shared<const survey>(definition));
  return outcome;
}

result<std::vector<survey_version_summary>> list_survey_versions(store& s) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare(
      "SELECT s.id, s.version, (SELECT count(*) FROM responses r WHERE r.survey = s.id AND "
      "r.version = s.version) FROM surveys s ORDER BY s.id, s.version");
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<survey_version_summary> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    out.push_back(
        {stmt->column_text(0), static_cast<int>(stmt->column_int(1)), stmt->column_int(2)});
  }
}

result<std::shared_ptr<const survey>> find_active_survey(store& s, std::string_view id) {
  auto found = s.impl().catalog.active(id);
  if (!found) return found;
  if (!*found) return fail(errc::not_found, "no survey has this id");
  return found;
}

result<std::shared_ptr<const survey>> find_survey(store& s, std::string_view id, int version) {
  auto found = s.impl().catalog.find(id, version);
  if (!found) return found;
  if (!*found) return fail(errc::not_found, "no survey has this id and version");
  return found;
}

definitions_sync sync_definitions(store& s, const std::filesystem::path& folder, const actor& by) {
  definitions_sync sync;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && !name.ends_with(".schema.json"))
      files.push_back(entry.path());
  }
  if (ec) {
    sync.ok = false;
    sync.lines.push_back(
        fmt::format("{}: cannot read the folder: {}", folder.string(), ec.message()));
    return sync;
  }
  std::ranges::sort(files);
  for (const auto& file : files) {
    auto loaded = load_definition_file(file);
    if (!loaded) {
      sync.ok = false;
      for (auto& line : format_problems(file, loaded.error()))
        sync.lines.push_back(std::move(line));
      continue;
    }
    auto registered = register_survey(s, *loaded, by);
    if (!registered) {
      sync.ok = false;
      sync.lines.push_back(
          fmt::format("{}: {}", file.filename().string(), registered.error().message));
      continue;
    }
    constexpr std::string_view words[] = {"stored", "unchanged",
                                          "replaced (it had no responses yet)"};
    sync.lines.push_back(fmt::format("{}: {} version {} {}", file.filename().string(), loaded->id,
                                     loaded->version, words[static_cast<int>(*registered)]));
  }
  return sync;
}

}  // namespace hrs::engine
