#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include "hrs/engine/time.hpp"
#include "hrs/reports/statistics.hpp"

namespace hrs::reports {

// The smallest number of responses a figure may rest on; below it only the fact that
// there are fewer is shown.
inline constexpr int default_anonymity_threshold = 5;
// No setting may lower the threshold below this.
inline constexpr int minimum_anonymity_threshold = 3;

struct report_query {
  engine::day_number from = 0;  // inclusive, UTC
  engine::day_number to = 0;    // inclusive, UTC
  std::optional<std::string> survey = {};
  std::optional<std::string> team = {};   // only staff of this team
  std::optional<std::string> staff = {};  // only this staff member
  int anonymity_threshold = default_anonymity_threshold;
  statistics_settings statistics = {};

  // The threshold in force: the configured one, never below the minimum.
  [[nodiscard]] int threshold() const {
    return std::max(anonymity_threshold, minimum_anonymity_threshold);
  }
};

}  // namespace hrs::reports
