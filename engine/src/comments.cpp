#include "hrs/engine/comments.hpp"

#include "hrs/engine/store.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

result<std::vector<written_answer>> list_written_answers(store& s,
                                                         const written_answers_query& query) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare(
      "SELECT response_id, received_at, question, locale, text FROM response_texts "
      "WHERE staff = ?1 AND day BETWEEN ?2 AND ?3 AND (?6 IS NULL OR survey = ?6) "
      "ORDER BY day DESC, response_id DESC, question "
      "LIMIT ?4 OFFSET ?5");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, std::string_view(query.staff)).bind(2, query.from).bind(3, query.to);
  stmt->bind(4, static_cast<std::int64_t>(query.limit))
      .bind(5, static_cast<std::int64_t>(query.offset))
      .bind(6, query.survey);
  std::vector<written_answer> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    out.push_back({stmt->column_int(0), stmt->column_int(1), stmt->column_text(2),
                   stmt->column_text(3), stmt->column_text(4)});
  }
}

}  // namespace hrs::engine
