#pragma once

#include <map>
#include <string>
#include <vector>

#include "hrs/engine/aggregates.hpp"
#include "hrs/reports/cells.hpp"
#include "hrs/reports/query.hpp"

namespace hrs::reports {

// The responses that gave one answer to a segment question, e.g. request_type=payroll.
struct segment_value {
  std::string value;                                 // "payroll", or "4" for a rating
  std::map<std::string, dimension_cell> dimensions;  // per dimension
};

// One segment question's break-down, e.g. by request_type.
struct segment_breakdown {
  std::string question;
  std::vector<segment_value> values;
};

// Breaks the totals of one staff member (or of the department) down by each segment
// question. `overall` are the cells of the same totals over all segments: a value is
// shown only where its dimension's overall cell is, and values that the overall figure
// minus the shown values would give away are hidden too.
[[nodiscard]] std::vector<segment_breakdown> break_down_by_segment(
    const engine::aggregate_totals& totals, const std::map<std::string, dimension_cell>& overall,
    const std::map<std::string, double>& department_means, const report_query& query);

}  // namespace hrs::reports
