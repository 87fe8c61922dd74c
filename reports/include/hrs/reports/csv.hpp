#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hrs/reports/scorecards.hpp"

namespace hrs::reports {

// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF; a leading =, +, -
// or @ gets a ' so that spreadsheets do not run it as a formula.
std::string csv_field(std::string_view value);

// The scorecards as RFC 4180 CSV (UTF-8, CRLF, header row), one row per staff and
// dimension. Suppressed cells leave n, mean and counts empty and say why.
std::string scorecards_csv(const std::vector<staff_scorecard>& cards, int anonymity_threshold);

}  // namespace hrs::reports
