#include "hrs/engine/retention.hpp"

#include <string>
#include <tuple>
#include <vector>

#include "audit_record.hpp"
#include "hrs/engine/audit.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/survey.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

namespace {

using text_question_list = std::vector<std::tuple<std::string, int, std::string>>;

// (survey, version, question id) of every text question of the stored template versions:
// the answers to take out of the responses' JSON.
result<text_question_list> text_questions(store& s) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare("SELECT id, version FROM surveys ORDER BY id, version");
  if (!stmt) return std::unexpected(stmt.error());
  text_question_list out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    const auto version = static_cast<int>(stmt->column_int(1));
    auto definition = s.impl().catalog.find(stmt->column_view(0), version, &reader->db());
    if (!definition) return std::unexpected(definition.error());
    if (!*definition) continue;
    for (const auto& q : (*definition)->questions)
      if (q.type == question_type::text) out.emplace_back((*definition)->id, version, q.id);
  }
}

result<erased_texts> erase_in(write_tx& tx, day_number first_kept,
                              const text_question_list& questions) {
  erased_texts out;
  auto texts = tx.db().prepare("DELETE FROM response_texts WHERE day < ?1");
  if (!texts) return std::unexpected(texts.error());
  texts->bind(1, first_kept);
  if (auto ok = texts->run(); !ok) return std::unexpected(ok.error());
  out.comment_rows = tx.db().changes();

  // Question ids are [A-Za-z0-9._-], so quoting them makes a sound JSON path.
  auto answers = tx.db().prepare(
      "UPDATE responses SET answers = json_remove(answers, '$.\"' || ?3 || '\"') "
      "WHERE survey = ?1 AND version = ?2 AND received_at < ?4 "
      "AND json_type(answers, '$.\"' || ?3 || '\"') IS NOT NULL");
  if (!answers) return std::unexpected(answers.error());
  for (const auto& [survey, version, question] : questions) {
    answers->bind(1, std::string_view(survey)).bind(2, version).bind(3, std::string_view(question));
    answers->bind(4, static_cast<unix_seconds>(first_kept) * seconds_per_day);
    if (auto ok = answers->run(); !ok) return std::unexpected(ok.error());
    out.responses += tx.db().changes();
    answers->reset();
  }
  return out;
}

}  // namespace

result<erased_texts> erase_old_texts(store& s, int keep_days, const actor& by) {
  if (keep_days < 1)
    return fail(errc::validation_failed, "the retention period is too short",
                {{"/older_than_days", "must be at least 1"}});
  auto questions = text_questions(s);
  if (!questions) return std::unexpected(questions.error());
  const day_number first_kept = day_of(s.now()) - keep_days + 1;
  auto erased = s.impl().write_and_wait<erased_texts>([&](write_tx& tx) -> result<erased_texts> {
    auto out = erase_in(tx, first_kept, *questions);
    if (!out || (out->comment_rows == 0 && out->responses == 0)) return out;
    auto logged = record_audit(tx, by, "comments.erased", "responses",
                               {{"older_than_days", keep_days},
                                {"comment_rows", out->comment_rows},
                                {"responses", out->responses}});
    if (!logged) return std::unexpected(logged.error());
    return out;
  });
  if (!erased) return erased;

  // The committed pages still sit in the WAL beside older copies holding the texts:
  // copy them into the file and cut the WAL to nothing.
  auto db = sql::connection::open(s.impl().options.file, sql::access::read_write);
  if (!db) return std::unexpected(db.error());
  auto checkpoint = (*db)->prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  if (!checkpoint) return std::unexpected(checkpoint.error());
  auto row = checkpoint->step();
  if (!row) return std::unexpected(row.error());
  erased->wal_emptied = *row && checkpoint->column_int(0) == 0;
  return erased;
}

}  // namespace hrs::engine
