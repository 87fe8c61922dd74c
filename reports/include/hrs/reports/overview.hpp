#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hrs/reports/scorecards.hpp"
#include "hrs/reports/segments.hpp"

namespace hrs::reports {

// A dimension, overall or within one segment value, whose interval lies wholly below
// its standard.
struct area_needing_work {
  std::string dimension;
  std::optional<std::string> question;  // with `value`: the segment; absent: overall
  std::optional<std::string> value;
  dimension_cell cell;
};

// A staff member whose interval on a dimension lies wholly above or below the standard.
struct staff_standing {
  engine::staff_member member;
  std::string dimension;
  dimension_cell cell;
};

struct response_rate {
  std::int64_t invited = 0;    // invitations created in the period
  std::int64_t answered = 0;   // of those, answered
  std::optional<double> rate;  // answered / invited; absent without invitations
};

struct overview {
  department_cells department;
  std::vector<segment_breakdown> segments;
  std::vector<area_needing_work> areas_needing_work;  // the clearest shortfall first
  std::vector<staff_standing> above_standard;         // best first
  std::vector<staff_standing> below_standard;         // worst first
  response_rate responses;
};

// The department over the period. The department figures and segments cover everyone;
// the staff above and below the standard are those of query.team when it is set.
[[nodiscard]] engine::result<overview> department_overview(engine::store& s,
                                                           const report_query& query);

}  // namespace hrs::reports
