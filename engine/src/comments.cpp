#include "hrs/engine/comments.hpp"

#include <nlohmann/json.hpp>

#include "hrs/engine/store.hpp"
#include "store_impl.hpp"
#include "survey_catalog.hpp"

namespace hrs::engine {

namespace {

// The mean of the ratings of `answers` given to questions with a dimension.
std::optional<double> mean_of_dimension_ratings(const survey& s, std::string_view answers) {
  const auto parsed = nlohmann::json::parse(answers, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  double sum = 0;
  int count = 0;
  for (const auto& q : s.questions) {
    if (!q.dimension) continue;
    auto it = parsed.find(q.id);
    if (it == parsed.end() || !it->is_number_integer()) continue;
    sum += it->get<double>();
    ++count;
  }
  if (count == 0) return std::nullopt;
  return sum / count;
}

}  // namespace

result<std::vector<written_answer>> list_written_answers(store& s,
                                                         const written_answers_query& query) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare(
      "SELECT t.response_id, t.received_at, t.question, t.locale, t.text, r.survey, r.version, "
      "r.answers FROM response_texts t LEFT JOIN responses r ON r.id = t.response_id "
      "WHERE t.staff = ?1 AND t.day BETWEEN ?2 AND ?3 AND (?6 IS NULL OR t.survey = ?6) "
      "ORDER BY t.day DESC, t.response_id DESC, t.question "
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
    written_answer answer{stmt->column_int(0),  stmt->column_int(1),  stmt->column_text(2),
                          stmt->column_text(3), stmt->column_text(4), std::nullopt};
    auto definition = s.impl().catalog.find(stmt->column_view(5),
                                            static_cast<int>(stmt->column_int(6)), &reader->db());
    if (!definition) return std::unexpected(definition.error());
    if (*definition)
      answer.rating_mean = mean_of_dimension_ratings(**definition, stmt->column_view(7));
    out.push_back(std::move(answer));
  }
}

}  // namespace hrs::engine
