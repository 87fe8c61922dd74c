#pragma once

#include <vector>

#include "hrs/engine/comments.hpp"
#include "hrs/reports/scorecards.hpp"

namespace hrs::reports {

struct staff_comments {
  bool suppressed = true;  // fewer responses than the threshold: no comment is shown
  std::vector<engine::written_answer> comments;
};

// A staff member's comments in the period, one page, newest first; none at all when
// fewer than the anonymity threshold of responses named them in the period.
[[nodiscard]] engine::result<staff_comments> comments_for(engine::store& s,
                                                          const report_query& query,
                                                          std::size_t limit, std::size_t offset);

}  // namespace hrs::reports
