#include "hrs/reports/scorecards.hpp"

#include <algorithm>
#include <set>

namespace hrs::reports {

namespace {

dimension_figures figures_of(const engine::histogram& counts, int threshold) {
  dimension_figures f;
  f.counts = counts;
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    f.n += counts[i];
    sum += counts[i] * static_cast<std::int64_t>(i + 1);
  }
  f.mean = f.n > 0 ? static_cast<double>(sum) / static_cast<double>(f.n) : 0.0;
  f.suppressed = f.n < std::max(threshold, 3);
  if (f.suppressed) f = dimension_figures{};  // nothing that could identify anyone leaves here
  return f;
}

// Sums the whole-period, all-segments counts per (staff, dimension).
engine::result<std::map<std::pair<std::string, std::string>, engine::histogram>> period_totals(
    engine::store& s, const report_query& query) {
  auto counts = engine::read_counts(s, {query.from, query.to, query.survey});
  if (!counts) return std::unexpected(counts.error());
  std::map<std::pair<std::string, std::string>, engine::histogram> totals;
  for (const auto& [key, hist] : *counts) {
    if (key.segment != engine::all_segments) continue;
    auto& total = totals[{key.staff, key.dimension}];
    for (std::size_t i = 0; i < total.size(); ++i)
      total[i] += hist[i];
  }
  return totals;
}

}  // namespace

engine::result<std::vector<staff_scorecard>> staff_scorecards(engine::store& s,
                                                              const report_query& query) {
  auto totals = period_totals(s, query);
  if (!totals) return std::unexpected(totals.error());
  auto roster = engine::list_staff(s);
  if (!roster) return std::unexpected(roster.error());
  std::set<std::string> dimensions;
  for (const auto& [key, hist] : *totals)
    dimensions.insert(key.second);

  std::vector<staff_scorecard> cards;
  for (const auto& m : *roster) {
    if (query.team && m.team != *query.team) continue;
    if (query.staff && m.id != *query.staff) continue;
    staff_scorecard card{m, {}};
    for (const auto& d : dimensions) {
      auto it = totals->find({m.id, d});
      card.dimensions[d] = figures_of(it == totals->end() ? engine::histogram{} : it->second,
                                      query.anonymity_threshold);
    }
    cards.push_back(std::move(card));
  }
  return cards;
}

engine::result<std::map<std::string, dimension_figures>> department_figures(
    engine::store& s, const report_query& query) {
  auto totals = period_totals(s, query);
  if (!totals) return std::unexpected(totals.error());
  std::map<std::string, dimension_figures> out;
  for (const auto& [key, hist] : *totals) {
    if (key.first == engine::department)
      out[key.second] = figures_of(hist, query.anonymity_threshold);
  }
  return out;
}

}  // namespace hrs::reports
