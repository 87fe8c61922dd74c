#include "hrs/reports/comments.hpp"

#include <algorithm>

namespace hrs::reports {

engine::result<staff_comments> comments_for(engine::store& s, const report_query& query,
                                            std::size_t limit, std::size_t offset) {
  auto cards = staff_scorecards(s, query);
  if (!cards) return std::unexpected(cards.error());
  if (cards->staff.empty())
    return engine::fail(engine::errc::not_found,
                        "no such staff member in the reports you may read");
  staff_comments out;
  // Comments are shown only where some figure of the staff member is.
  out.suppressed = cards->staff.front().suppressed();
  if (out.suppressed) return out;
  // The same filters as the counts that decided whether comments may be shown.
  auto page = engine::list_written_answers(
      s, {*query.staff, query.from, query.to, limit, offset, query.survey});
  if (!page) return std::unexpected(page.error());
  out.comments = std::move(*page);
  return out;
}

}  // namespace hrs::reports
