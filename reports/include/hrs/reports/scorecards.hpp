#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/error.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/time.hpp"

namespace hrs::engine {
class store;
}

namespace hrs::reports {

// The smallest number of responses a figure may rest on; below it only the fact that
// there are fewer is shown. Never below 3.
inline constexpr int default_anonymity_threshold = 5;

struct report_query {
  engine::day_number from = 0;  // inclusive, UTC
  engine::day_number to = 0;    // inclusive, UTC
  std::optional<std::string> survey;
  std::optional<std::string> team;   // only staff of this team
  std::optional<std::string> staff;  // only this staff member
  int anonymity_threshold = default_anonymity_threshold;
};

// One dimension's figures. When fewer than the threshold rated it, `suppressed` is set
// and n, mean and the histogram must not be shown.
struct dimension_figures {
  std::int64_t n = 0;
  double mean = 0;
  engine::histogram counts{};
  bool suppressed = true;
};

struct staff_scorecard {
  engine::staff_member member;
  std::map<std::string, dimension_figures> dimensions;
};

// Per-staff figures of every dimension over the period, from the aggregates. Staff of
// the roster without responses appear with every known dimension suppressed.
[[nodiscard]] engine::result<std::vector<staff_scorecard>> staff_scorecards(
    engine::store& s, const report_query& query);

// The department's figures per dimension (each response counted once).
[[nodiscard]] engine::result<std::map<std::string, dimension_figures>> department_figures(
    engine::store& s, const report_query& query);

}  // namespace hrs::reports
