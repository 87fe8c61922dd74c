#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hrs/reports/comments.hpp"
#include "hrs/reports/overview.hpp"
#include "hrs/reports/query.hpp"
#include "hrs/reports/scorecards.hpp"
#include "hrs/reports/staff_report.hpp"

namespace hrs::server::web {

// What the dashboard pages were asked for, as read from their query strings.
struct dashboard_request {
  reports::report_query query;
  std::optional<std::string> sort;  // the overview's staff table: a dimension
  reports::trend_bucket bucket = reports::trend_bucket::month;
  std::size_t page = 0;  // the scorecard's comments, from 0
  // The period as typed, for the filter form (also when it could not be read).
  std::string from_text;
  std::string to_text;
  std::vector<std::string> problems;  // what could not be read, in words
};

// Comments per page of the scorecard.
inline constexpr std::size_t comments_per_page = 20;

// The values of templates/dashboard_overview.mustache: the filters, the department per
// dimension, areas needing work, staff above and below the standard, the response rate
// and the staff table. Every figure is one of the reports' cells, only formatted here;
// a suppressed cell gives "fewer than k" and nothing else. `teams` fills the team
// filter; `team_locked` shows the caller's one team instead.
nlohmann::json overview_values(const reports::overview& o, const reports::scorecards& cards,
                               const dashboard_request& r, const std::vector<std::string>& teams,
                               bool team_locked);

// The values of templates/dashboard_staff.mustache: the scorecard with its charts (SVG
// geometry from the cells' figures), histogram, trend, segments, recognition and one
// page of comments.
nlohmann::json staff_values(const reports::staff_report& report,
                            const reports::staff_comments& comments, const dashboard_request& r);

// The values of the filter form when the query could not be read.
nlohmann::json filter_values(const dashboard_request& r, const std::vector<std::string>& teams,
                             bool team_locked);

}  // namespace hrs::server::web
