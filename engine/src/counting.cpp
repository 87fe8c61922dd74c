#include "counting.hpp"

#include <fmt/format.h>

#include <limits>

#include "survey_catalog.hpp"

namespace hrs::engine {

namespace {

std::string segment_value(const question& q, const nlohmann::json& answer) {
  if (answer.is_string()) return fmt::format("{}={}", q.id, answer.get_ref<const std::string&>());
  return fmt::format("{}={}", q.id, answer.dump());
}

std::vector<std::string> staff_from_json(std::string_view text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> staff;
  if (!parsed.is_array()) return staff;
  for (const auto& id : parsed)
    if (id.is_string()) staff.push_back(id.get<std::string>());
  return staff;
}

}  // namespace

void for_each_count(
    const survey& s, const std::vector<std::string>& staff, const nlohmann::json& answers,
    const std::function<void(std::string_view, std::string_view, std::string_view, int)>& emit) {
  std::vector<std::string> segments{all_segments};
  for (const auto& q : s.questions) {
    if (!q.segment) continue;
    if (auto it = answers.find(q.id); it != answers.end())
      segments.push_back(segment_value(q, *it));
  }
  for (const auto& q : s.questions) {
    if (!q.dimension) continue;
    auto it = answers.find(q.id);
    if (it == answers.end() || !it->is_number_integer()) continue;
    const auto score = it->get<std::int64_t>();
    if (score < 1 || score > 5) continue;
    for (const auto& segment : segments) {
      emit(department, *q.dimension, segment, static_cast<int>(score));
      for (const auto& who : staff)
        emit(who, *q.dimension, segment, static_cast<int>(score));
    }
  }
}

void count_response(const survey& s, day_number day, const std::vector<std::string>& staff,
                    const nlohmann::json& answers, aggregate_counts& out) {
  for_each_count(
      s, staff, answers,
      [&](std::string_view who, std::string_view dimension, std::string_view segment, int score) {
        auto& counts = out[aggregate_key{s.id, day, std::string(who), std::string(dimension),
                                         std::string(segment)}];
        ++counts[static_cast<std::size_t>(score - 1)];
      });
}

packed_ratings pack_response(const survey& s, day_number day, const std::vector<std::string>& staff,
                             const nlohmann::json& answers, key_pool& keys) {
  packed_ratings out;
  const auto survey_id = keys.id(s.id);
  for_each_count(
      s, staff, answers,
      [&](std::string_view who, std::string_view dimension, std::string_view segment, int score) {
        out.push_back(
            {{survey_id, keys.id(who), keys.id(dimension), keys.id(segment), day}, score});
      });
  return out;
}

result<void> count_stored_responses(sql::connection& db, const survey_catalog& catalog,
                                    std::int64_t after_id, const std::optional<count_query>& query,
                                    aggregate_counts& out) {
  auto stmt = db.prepare(
      "SELECT id, survey, version, received_at, staff, answers FROM responses "
      "WHERE id > ?1 AND received_at >= ?2 AND received_at < ?3 AND (?4 IS NULL OR survey = ?4) "
      "ORDER BY id");
  if (!stmt) return std::unexpected(stmt.error());
  const auto from = query ? static_cast<std::int64_t>(query->from) * seconds_per_day
                          : std::numeric_limits<std::int64_t>::min();
  const auto to = query ? (static_cast<std::int64_t>(query->to) + 1) * seconds_per_day
                        : std::numeric_limits<std::int64_t>::max();
  stmt->bind(1, after_id).bind(2, from).bind(3, to);
  if (query && query->survey) stmt->bind(4, std::string_view(*query->survey));

  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    const auto id = stmt->column_int(0);
    auto definition =
        catalog.find(stmt->column_view(1), static_cast<int>(stmt->column_int(2)), &db);
    if (!definition) return std::unexpected(definition.error());
    if (!*definition) {
      return fail(
          errc::internal, "a stored response names an unknown template", {},
          fmt::format("response {} names {} v{}", id, stmt->column_view(1), stmt->column_int(2)));
    }
    auto answers = nlohmann::json::parse(stmt->column_view(5), nullptr, false);
    count_response(**definition, day_of(stmt->column_int(3)), staff_from_json(stmt->column_view(4)),
                   answers, out);
  }
  return {};
}

namespace {

constexpr std::string_view upsert_day_sql =
    "INSERT INTO agg_day (survey, day, staff, dimension, segment, c1, c2, c3, c4, c5) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (segment, day, staff, dimension, survey) DO UPDATE SET "
    "c1 = c1 + excluded.c1, c2 = c2 + excluded.c2, c3 = c3 + excluded.c3, "
    "c4 = c4 + excluded.c4, c5 = c5 + excluded.c5";

constexpr std::string_view upsert_month_sql =
    "INSERT INTO agg_month (survey, month, staff, dimension, segment, c1, c2, c3, c4, c5) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (segment, month, staff, dimension, survey) DO UPDATE SET "
    "c1 = c1 + excluded.c1, c2 = c2 + excluded.c2, c3 = c3 + excluded.c3, "
    "c4 = c4 + excluded.c4, c5 = c5 + excluded.c5";

result<void> upsert(sql::statement& stmt, std::string_view survey, day_number bucket,
                    std::string_view staff, std::string_view dimension, std::string_view segment,
                    const histogram& hist) {
  stmt.bind(1, survey).bind(2, bucket).bind(3, staff).bind(4, dimension).bind(5, segment);
  for (int i = 0; i < 5; ++i)
    stmt.bind(6 + i, hist[static_cast<std::size_t>(i)]);
  auto ok = stmt.run();
  stmt.reset();
  return ok;
}

// Adds each count to its day and to its month: the month buckets always equal the sum
// of their days, which read_totals relies on when it subtracts days from a month.
template <typename Counts, typename Text>
result<void> add_to_day_and_month(sql::connection& db, const Counts& counts, Text text) {
  auto day_stmt = db.prepare(upsert_day_sql);
  if (!day_stmt) return std::unexpected(day_stmt.error());
  auto month_stmt = db.prepare(upsert_month_sql);
  if (!month_stmt) return std::unexpected(month_stmt.error());
  for (const auto& [k, hist] : counts) {
    const auto &survey = text(k.survey), &staff = text(k.staff), &dimension = text(k.dimension),
               &segment = text(k.segment);
    if (auto ok = upsert(*day_stmt, survey, k.day, staff, dimension, segment, hist); !ok) return ok;
    if (auto ok =
            upsert(*month_stmt, survey, first_of_month(k.day), staff, dimension, segment, hist);
        !ok)
      return ok;
  }
  return {};
}

}  // namespace

result<void> add_to_aggregates(sql::connection& db, const aggregate_counts& counts) {
  return add_to_day_and_month(db, counts,
                              [](const std::string& text) -> std::string_view { return text; });
}

result<void> add_to_aggregates(sql::connection& db, const packed_totals& counts,
                               const key_pool& keys) {
  return add_to_day_and_month(
      db, counts, [&](std::uint32_t id) -> const std::string& { return keys.text(id); });
}

}  // namespace hrs::engine
