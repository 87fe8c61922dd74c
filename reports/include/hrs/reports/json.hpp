#pragma once

#include <nlohmann/json.hpp>

#include "hrs/reports/comments.hpp"
#include "hrs/reports/overview.hpp"
#include "hrs/reports/staff_report.hpp"

namespace hrs::reports {

// The JSON of each report, shared by the HTTP API and `hrsurvey report --format json`.
// A suppressed cell is {"suppressed": true, "fewer_than": k}: no count, no figure.
nlohmann::json cell_json(const dimension_cell& cell, int threshold);
nlohmann::json period_json(const report_query& query);
nlohmann::json scorecards_json(const scorecards& cards, const report_query& query);
nlohmann::json staff_report_json(const staff_report& report, const report_query& query,
                                 trend_bucket bucket);
nlohmann::json overview_json(const overview& o, const report_query& query);
nlohmann::json comments_json(const staff_comments& comments, const report_query& query,
                             std::size_t limit, std::size_t offset);

}  // namespace hrs::reports
