#include "hrs/engine/aggregates.hpp"

#include <fmt/format.h>

#include <vector>

#include "counting.hpp"
#include "hrs/engine/store.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

namespace {

enum class bucket { day, month };

// A run of buckets to add (sign 1) or to take away (sign -1).
struct piece {
  bucket table = bucket::day;
  day_number first = 0;  // for months: the first day of the first month
  day_number last = 0;   // for months: the first day of the last month
  int sign = 1;
};

// Splits [from, to] into runs of whole months and of days. A month mostly inside the
// period is read as its bucket minus the days outside it (days after today have no rows,
// so "up to today" costs nothing there); a month mostly outside as its days.
std::vector<piece> pieces_of(day_number from, day_number to) {
  std::vector<piece> out;
  for (day_number d = from; d <= to;) {
    const day_number month = first_of_month(d);
    const day_number month_end = first_of_next_month(d) - 1;
    const day_number end = std::min(month_end, to);
    const day_number inside = end - d + 1;
    const day_number outside = (d - month) + (month_end - end);
    if (outside < inside) {
      if (!out.empty() && out.back().table == bucket::month && out.back().sign == 1 &&
          first_of_next_month(out.back().last) == month) {
        out.back().last = month;
      } else {
        out.push_back({bucket::month, month, month, 1});
      }
      if (d > month) out.push_back({bucket::day, month, d - 1, -1});
      if (end < month_end) out.push_back({bucket::day, end + 1, month_end, -1});
    } else {
      out.push_back({bucket::day, d, end, 1});
    }
    d = end + 1;
  }
  return out;
}

// The rows of one table in [first, last] that the query asks for. The WHERE clause
// follows the table's keys: (staff, day) by the staff index, (segment, day, ...) by the
// primary key when only the all-segments counts are wanted.
std::string select_sql(bucket table, const count_query& query) {
  const char* name = table == bucket::day ? "agg_day" : "agg_month";
  const char* column = table == bucket::day ? "day" : "month";
  std::string where;
  if (query.staff) {
    where = fmt::format("staff = ?4 AND {0} BETWEEN ?1 AND ?2", column);
    if (!query.segments) where += " AND segment = ''";
  } else if (!query.segments) {
    where = fmt::format("segment = '' AND {0} BETWEEN ?1 AND ?2", column);
  } else {
    where = fmt::format("{0} BETWEEN ?1 AND ?2", column);
  }
  return fmt::format(
      "SELECT survey, {0}, staff, dimension, segment, c1, c2, c3, c4, c5 FROM {1} "
      "WHERE {2} AND (?3 IS NULL OR survey = ?3)",
      column, name, where);
}

struct row_view {
  std::string_view survey;
  day_number day = 0;  // the month's first day for month rows
  std::string_view staff;
  std::string_view dimension;
  std::string_view segment;
  histogram counts{};
};

template <typename OnRow>
result<void> for_each_row(sql::connection& db, bucket table, day_number first, day_number last,
                          const count_query& query, OnRow&& on_row) {
  auto stmt = db.prepare(select_sql(table, query));
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, first).bind(2, last);
  if (query.survey) stmt->bind(3, std::string_view(*query.survey));
  if (query.staff) stmt->bind(4, std::string_view(*query.staff));
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    row_view r{stmt->column_view(0), static_cast<day_number>(stmt->column_int(1)),
               stmt->column_view(2), stmt->column_view(3), stmt->column_view(4)};
    for (std::size_t i = 0; i < r.counts.size(); ++i)
      r.counts[i] = stmt->column_int(5 + static_cast<int>(i));
    on_row(r);
  }
}

bool wanted(const count_query& query, const aggregate_key& key) {
  return (!query.staff || key.staff == *query.staff) &&
         (query.segments || key.segment == all_segments);
}

// Reads the fold's mark and the responses after it: the tail that the buckets do not
// hold yet. Must run in the snapshot that reads the buckets, so that nothing the fold
// moves is counted twice or missed.
result<aggregate_counts> read_tail(store& s, sql::connection& db, const count_query& query) {
  auto mark = db.prepare("SELECT value FROM meta WHERE key = 'folded_through_response'");
  if (!mark) return std::unexpected(mark.error());
  auto mark_row = mark->step();
  if (!mark_row) return std::unexpected(mark_row.error());
  const std::int64_t folded_through = *mark_row ? mark->column_int(0) : 0;
  aggregate_counts tail;
  auto counted = count_stored_responses(db, s.impl().catalog, folded_through, query, tail);
  if (!counted) return std::unexpected(counted.error());
  std::erase_if(tail, [&](const auto& entry) { return !wanted(query, entry.first); });
  return tail;
}

void add_into(histogram& into, const histogram& counts, int sign = 1) {
  for (std::size_t i = 0; i < into.size(); ++i)
    into[i] += sign * counts[i];
}

// Runs `read(db)` in one read transaction, so that the mark, the buckets and the tail it
// reads are one snapshot.
template <typename Read>
auto in_snapshot(store& s, Read&& read) -> decltype(read(std::declval<sql::connection&>())) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto& db = reader->db();
  auto tx = sql::transaction::begin(db, sql::transaction::kind::deferred);
  if (!tx) return std::unexpected(tx.error());
  return read(db);
}

result<aggregate_counts> counts_in(store& s, sql::connection& db, const count_query& query) {
  auto out = read_tail(s, db, query);
  if (!out) return std::unexpected(out.error());
  auto read = for_each_row(db, bucket::day, query.from, query.to, query, [&](const row_view& r) {
    add_into((*out)[aggregate_key{std::string(r.survey), r.day, std::string(r.staff),
                                  std::string(r.dimension), std::string(r.segment)}],
             r.counts);
  });
  if (!read) return std::unexpected(read.error());
  return out;
}

result<aggregate_totals> totals_in(store& s, sql::connection& db, const count_query& query) {
  auto tail = read_tail(s, db, query);
  if (!tail) return std::unexpected(tail.error());
  aggregate_totals out;
  for (const auto& [key, counts] : *tail)
    add_into(out[total_key{key.staff, key.dimension, key.segment}], counts);

  // Consecutive rows often share a key (one per template or month): look it up once then.
  histogram* current = nullptr;
  total_key current_key;
  for (const auto& p : pieces_of(query.from, query.to)) {
    auto read = for_each_row(db, p.table, p.first, p.last, query, [&](const row_view& r) {
      if (!current || current_key.staff != r.staff || current_key.dimension != r.dimension ||
          current_key.segment != r.segment) {
        current_key = {std::string(r.staff), std::string(r.dimension), std::string(r.segment)};
        current = &out[current_key];
      }
      add_into(*current, r.counts, p.sign);
    });
    if (!read) return std::unexpected(read.error());
  }
  return out;
}

}  // namespace

result<aggregate_counts> read_counts(store& s, const count_query& query) {
  return in_snapshot(s, [&](sql::connection& db) { return counts_in(s, db, query); });
}

result<aggregate_totals> read_totals(store& s, const count_query& query) {
  return in_snapshot(s, [&](sql::connection& db) { return totals_in(s, db, query); });
}

result<aggregate_counts> recount_from_responses(store& s, const count_query& query) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  aggregate_counts out;
  auto counted = count_stored_responses(reader->db(), s.impl().catalog, 0, query, out);
  if (!counted) return std::unexpected(counted.error());
  std::erase_if(out, [&](const auto& entry) { return !wanted(query, entry.first); });
  return out;
}

}  // namespace hrs::engine
