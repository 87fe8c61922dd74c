#include "hrs/reports/cells.hpp"

#include <numeric>

namespace hrs::reports {

std::int64_t count_of(const engine::histogram& counts) {
  return std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
}

dimension_cell make_cell(const engine::histogram& counts, std::string_view dimension,
                         double department_mean, const report_query& query, bool hide) {
  dimension_cell cell;
  cell.standard = query.statistics.standard_for(dimension);
  if (hide || count_of(counts) < query.threshold()) return cell;
  cell.suppressed = false;
  cell.figures = summarize(counts);
  cell.vs_standard = compare_to_standard(cell.figures.ci95, cell.standard);
  cell.shrunk_mean = shrunk_mean(cell.figures.n, cell.figures.mean, department_mean,
                                 query.statistics.prior_weight);
  return cell;
}

std::vector<bool> cells_to_hide(const std::vector<std::int64_t>& n, int threshold,
                                std::int64_t unshown) {
  std::vector<bool> hidden(n.size(), false);
  std::int64_t hidden_total = unshown;
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (n[i] < threshold) {
      hidden[i] = true;
      hidden_total += n[i];
    }
  }
  while (hidden_total > 0 && hidden_total < threshold) {
    std::optional<std::size_t> smallest;
    for (std::size_t i = 0; i < n.size(); ++i)
      if (!hidden[i] && (!smallest || n[i] < n[*smallest])) smallest = i;
    if (!smallest) break;
    hidden[*smallest] = true;
    hidden_total += n[*smallest];
  }
  return hidden;
}

}  // namespace hrs::reports
