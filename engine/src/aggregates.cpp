#include "hrs/engine/aggregates.hpp"

#include "counting.hpp"
#include "hrs/engine/store.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

result<aggregate_counts> read_counts(store& s, const count_query& query) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto& db = reader->db();
  // One snapshot for the mark, the folded rows and the tail: the fold moves the mark in
  // the transaction that adds the counts, so nothing is counted twice or missed.
  auto tx = sql::transaction::begin(db, sql::transaction::kind::deferred);
  if (!tx) return std::unexpected(tx.error());

  auto mark = db.prepare("SELECT value FROM meta WHERE key = 'folded_through_response'");
  if (!mark) return std::unexpected(mark.error());
  auto mark_row = mark->step();
  if (!mark_row) return std::unexpected(mark_row.error());
  const std::int64_t folded_through = *mark_row ? mark->column_int(0) : 0;

  aggregate_counts out;
  auto stmt = db.prepare(
      "SELECT survey, day, staff, dimension, segment, c1, c2, c3, c4, c5 FROM agg_day "
      "WHERE (?3 IS NULL OR survey = ?3) AND day BETWEEN ?1 AND ?2");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, query.from).bind(2, query.to);
  if (query.survey) stmt->bind(3, std::string_view(*query.survey));
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto& hist =
        out[aggregate_key{stmt->column_text(0), static_cast<day_number>(stmt->column_int(1)),
                          stmt->column_text(2), stmt->column_text(3), stmt->column_text(4)}];
    for (int i = 0; i < 5; ++i)
      hist[static_cast<std::size_t>(i)] += stmt->column_int(5 + i);
  }
  auto tail = count_stored_responses(db, s.impl().catalog, folded_through, query, out);
  if (!tail) return std::unexpected(tail.error());
  return out;
}

result<aggregate_counts> recount_from_responses(store& s, const count_query& query) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  aggregate_counts out;
  auto counted = count_stored_responses(reader->db(), s.impl().catalog, 0, query, out);
  if (!counted) return std::unexpected(counted.error());
  return out;
}

}  // namespace hrs::engine
