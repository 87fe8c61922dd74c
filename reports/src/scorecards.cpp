#include "hrs/reports/scorecards.hpp"

#include <algorithm>
#include <set>

#include "hrs/engine/aggregates.hpp"

namespace hrs::reports {

bool staff_scorecard::suppressed() const {
  return std::ranges::all_of(dimensions, [](const auto& d) { return d.second.suppressed; });
}

namespace {

using staff_totals = std::map<std::string, engine::histogram, std::less<>>;

// The cells of one dimension for every staff member of the roster. Staff who are counted
// but no longer on the roster are never shown: they count as hidden cells, which is what
// an onlooker subtracting from the department total would see.
std::vector<dimension_cell> staff_cells(const std::vector<engine::staff_member>& roster,
                                        const staff_totals& totals, const std::string& dimension,
                                        double department_mean, const report_query& query) {
  std::vector<std::int64_t> n;
  std::set<std::string_view> on_roster;
  for (const auto& m : roster) {
    auto it = totals.find(m.id);
    n.push_back(it == totals.end() ? 0 : count_of(it->second));
    on_roster.insert(m.id);
  }
  std::int64_t unshown = 0;
  for (const auto& [id, counts] : totals)
    if (!on_roster.contains(id)) unshown += count_of(counts);
  const auto hidden = cells_to_hide(n, query.threshold(), unshown);
  std::vector<dimension_cell> out;
  for (std::size_t i = 0; i < roster.size(); ++i) {
    auto it = totals.find(roster[i].id);
    out.push_back(make_cell(it == totals.end() ? engine::histogram{} : it->second, dimension,
                            department_mean, query, hidden[i]));
  }
  return out;
}

void sort_scorecards(std::vector<staff_scorecard>& cards, const std::optional<std::string>& by) {
  auto key = [&](const staff_scorecard& c) -> std::optional<double> {
    if (!by) return std::nullopt;
    auto it = c.dimensions.find(*by);
    if (it == c.dimensions.end() || it->second.suppressed) return std::nullopt;
    return it->second.shrunk_mean;
  };
  std::ranges::stable_sort(cards, [&](const staff_scorecard& a, const staff_scorecard& b) {
    const auto ka = key(a), kb = key(b);
    if (ka.has_value() != kb.has_value()) return ka.has_value();
    if (ka && *ka != *kb) return *ka > *kb;
    return a.member.name < b.member.name;
  });
}

}  // namespace

engine::result<scorecards> staff_scorecards(engine::store& s, const report_query& query,
                                            const std::optional<std::string>& sort_by) {
  auto totals = engine::read_totals(
      s, {.from = query.from, .to = query.to, .survey = query.survey, .segments = false});
  if (!totals) return std::unexpected(totals.error());
  auto roster = engine::list_staff(s);
  if (!roster) return std::unexpected(roster.error());

  std::map<std::string, staff_totals> by_dimension;
  std::map<std::string, engine::histogram> department;
  for (const auto& [key, counts] : *totals) {
    if (key.staff == engine::department)
      department[key.dimension] = counts;
    else
      by_dimension[key.dimension][key.staff] = counts;
  }

  scorecards out;
  for (const auto& m : *roster)
    out.staff.push_back({m, {}});
  for (const auto& [dimension, counts] : department) {
    const double mean = summarize(counts).mean;
    out.department[dimension] = make_cell(counts, dimension, mean, query);
    const auto cells = staff_cells(*roster, by_dimension[dimension], dimension, mean, query);
    for (std::size_t i = 0; i < cells.size(); ++i)
      out.staff[i].dimensions[dimension] = cells[i];
  }
  std::erase_if(out.staff, [&](const staff_scorecard& c) {
    return (query.team && c.member.team != *query.team) ||
           (query.staff && c.member.id != *query.staff);
  });
  sort_scorecards(out.staff, sort_by);
  return out;
}

}  // namespace hrs::reports
