#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hrs/engine/aggregates.hpp"
#include "hrs/reports/query.hpp"
#include "hrs/reports/statistics.hpp"

namespace hrs::reports {

// One dimension's figures as a report shows them. A suppressed cell rests on fewer
// responses than the anonymity threshold (or would give such a cell away): it holds no
// figure at all, so no renderer can show one by mistake.
struct dimension_cell {
  bool suppressed = true;
  rating_summary figures;  // all zero when suppressed
  standing vs_standard = standing::meets;
  double standard = 0;
  double shrunk_mean = 0;
};

// Builds the cell of `counts` for `dimension`; `department_mean` is the prior of the
// shrunk mean. `hide` suppresses it whatever its n.
[[nodiscard]] dimension_cell make_cell(const engine::histogram& counts, std::string_view dimension,
                                       double department_mean, const report_query& query,
                                       bool hide = false);

// Which of a group of cells to hide, given their n, when their total is shown elsewhere
// (a staff member's segments, the buckets of a trend, the staff of the department). First
// every cell under the threshold; then, while the hidden cells together hold at least one
// response but fewer than the threshold (the total minus the shown cells would give them
// away), the smallest shown cell as well. `unshown` counts the responses of the total
// that are in no cell of the group (e.g. of staff no longer on the roster).
[[nodiscard]] std::vector<bool> cells_to_hide(const std::vector<std::int64_t>& n, int threshold,
                                              std::int64_t unshown = 0);

// n of a histogram.
[[nodiscard]] std::int64_t count_of(const engine::histogram& counts);

}  // namespace hrs::reports
