#include "hrs/reports/overview.hpp"

#include <algorithm>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/invitations.hpp"

namespace hrs::reports {

namespace {

// How far below its standard an interval lies: the larger, the clearer the shortfall.
double shortfall(const dimension_cell& cell) {
  return cell.standard - (cell.figures.ci95 ? cell.figures.ci95->high : cell.figures.mean);
}

std::vector<area_needing_work> find_areas(const department_cells& department,
                                          const std::vector<segment_breakdown>& segments) {
  std::vector<area_needing_work> out;
  for (const auto& [dimension, cell] : department)
    if (!cell.suppressed && cell.vs_standard == standing::below)
      out.push_back({dimension, std::nullopt, std::nullopt, cell});
  for (const auto& breakdown : segments)
    for (const auto& value : breakdown.values)
      for (const auto& [dimension, cell] : value.dimensions)
        if (!cell.suppressed && cell.vs_standard == standing::below)
          out.push_back({dimension, breakdown.question, value.value, cell});
  std::ranges::stable_sort(
      out, [](const auto& a, const auto& b) { return shortfall(a.cell) > shortfall(b.cell); });
  return out;
}

void find_standings(const std::vector<staff_scorecard>& staff, overview& out) {
  for (const auto& card : staff) {
    for (const auto& [dimension, cell] : card.dimensions) {
      if (cell.suppressed || cell.vs_standard == standing::meets) continue;
      auto& list = cell.vs_standard == standing::above ? out.above_standard : out.below_standard;
      list.push_back({card.member, dimension, cell});
    }
  }
  std::ranges::stable_sort(out.above_standard, [](const auto& a, const auto& b) {
    return a.cell.figures.ci95->low - a.cell.standard > b.cell.figures.ci95->low - b.cell.standard;
  });
  std::ranges::stable_sort(out.below_standard, [](const auto& a, const auto& b) {
    return shortfall(a.cell) > shortfall(b.cell);
  });
}

}  // namespace

engine::result<overview> department_overview(engine::store& s, const report_query& query) {
  auto cards = staff_scorecards(s, query);
  if (!cards) return std::unexpected(cards.error());
  overview out;
  out.department = cards->department;

  auto totals = engine::read_totals(s, {.from = query.from,
                                        .to = query.to,
                                        .survey = query.survey,
                                        .staff = std::string(engine::department),
                                        .segments = true});
  if (!totals) return std::unexpected(totals.error());
  std::map<std::string, double> means;
  for (const auto& [dimension, cell] : out.department)
    means[dimension] = cell.figures.mean;
  out.segments = break_down_by_segment(*totals, out.department, means, query);
  out.areas_needing_work = find_areas(out.department, out.segments);
  find_standings(cards->staff, out);

  auto tally = engine::tally_invitations(s, query.from, query.to, query.survey);
  if (!tally) return std::unexpected(tally.error());
  out.responses = {tally->invited, tally->answered, std::nullopt};
  if (tally->invited > 0)
    out.responses.rate = static_cast<double>(tally->answered) / static_cast<double>(tally->invited);
  return out;
}

}  // namespace hrs::reports
