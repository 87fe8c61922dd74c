#pragma once

#include <string>

#include "hrs/reports/scorecards.hpp"
#include "hrs/reports/staff_report.hpp"

namespace hrs::reports {

// Plain-text tables for a terminal (`hrsurvey report --format table`): columns aligned by
// the characters shown, not bytes, so that names in any script line up. A cell reads
// "4.20 (3.61-4.79) n=12 above"; a suppressed one "fewer than 5".
std::string scorecards_table(const scorecards& cards, const report_query& query);
std::string staff_report_table(const staff_report& report, const report_query& query);

}  // namespace hrs::reports
