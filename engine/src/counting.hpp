#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/survey.hpp"
#include "packed_counts.hpp"
#include "sqlite.hpp"

namespace hrs::engine {

class survey_catalog;

// Calls emit(staff, dimension, segment, score) for every count one response adds: each
// rating of a question with a dimension counts once for the department and once for
// each staff named, overall and in each segment the response answered.
void for_each_count(
    const survey& s, const std::vector<std::string>& staff, const nlohmann::json& answers,
    const std::function<void(std::string_view, std::string_view, std::string_view, int)>& emit);

// Adds one response's counts to `out`.
void count_response(const survey& s, day_number day, const std::vector<std::string>& staff,
                    const nlohmann::json& answers, aggregate_counts& out);

// The same counts in the writer's packed form.
packed_ratings pack_response(const survey& s, day_number day, const std::vector<std::string>& staff,
                             const nlohmann::json& answers, key_pool& keys);

// Counts the stored responses with id > after_id, optionally only those of a period
// and template, by reading and parsing their rows.
[[nodiscard]] result<void> count_stored_responses(sql::connection& db,
                                                  const survey_catalog& catalog,
                                                  std::int64_t after_id,
                                                  const std::optional<count_query>& query,
                                                  aggregate_counts& out);

// Adds `counts` to agg_day, one upsert per key.
[[nodiscard]] result<void> add_to_aggregates(sql::connection& db, const aggregate_counts& counts);
[[nodiscard]] result<void> add_to_aggregates(sql::connection& db, const packed_totals& counts,
                                             const key_pool& keys);

}  // namespace hrs::engine
