#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hrs/engine/error.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/reports/cells.hpp"
#include "hrs/reports/query.hpp"

namespace hrs::engine {
class store;
}

namespace hrs::reports {

struct staff_scorecard {
  engine::staff_member member;
  std::map<std::string, dimension_cell> dimensions;  // every dimension rated in the period

  // True when every dimension is suppressed: too few responses to show anything of them.
  [[nodiscard]] bool suppressed() const;
};

// The department's cells per dimension over the period: each response counted once.
using department_cells = std::map<std::string, dimension_cell>;

struct scorecards {
  department_cells department;
  std::vector<staff_scorecard> staff;
};

// Per-staff cells of every dimension over the period, from the aggregates, and the
// department's. Staff of the roster without responses appear with every dimension
// suppressed. Suppression is decided over the whole department, whatever the team or
// staff filter, so that filtering never changes what is hidden. When `sort_by` names a
// dimension, staff are ordered by its shrunk mean, best first, suppressed last;
// otherwise by name.
[[nodiscard]] engine::result<scorecards> staff_scorecards(
    engine::store& s, const report_query& query, const std::optional<std::string>& sort_by = {});

}  // namespace hrs::reports
