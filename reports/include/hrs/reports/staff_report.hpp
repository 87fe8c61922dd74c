#pragma once

#include <map>
#include <string>
#include <vector>

#include "hrs/engine/comments.hpp"
#include "hrs/reports/scorecards.hpp"
#include "hrs/reports/segments.hpp"

namespace hrs::reports {

enum class trend_bucket { week, month };

// One week (Monday to Sunday, UTC) or calendar month of the trend, cut to the period.
struct trend_point {
  engine::day_number from = 0;
  engine::day_number to = 0;
  std::map<std::string, dimension_cell> dimensions;
};

// What a staff member does best: the dimensions above the standard (or else the best
// one), and recent comments of respondents who rated them highly.
struct recognition {
  std::vector<std::string> strengths;
  std::vector<engine::written_answer> praise;
};

struct staff_report {
  staff_scorecard card;
  std::vector<trend_point> trend;
  std::vector<segment_breakdown> segments;
  recognition recognized;
};

// The scorecard of query.staff with its trend, its break-down by segment and what it
// does best; errc::not_found when that staff member is not on the roster (or not in the
// query's team). Every part applies the anonymity rules.
[[nodiscard]] engine::result<staff_report> staff_detail(engine::store& s, const report_query& query,
                                                        trend_bucket bucket);

// The buckets that cover [from, to].
[[nodiscard]] std::vector<trend_point> empty_trend(engine::day_number from, engine::day_number to,
                                                   trend_bucket bucket);

}  // namespace hrs::reports
