#include "hrs/reports/segments.hpp"

namespace hrs::reports {

namespace {

// question -> value -> dimension -> counts
using segment_counts =
    std::map<std::string, std::map<std::string, std::map<std::string, engine::histogram>>>;

segment_counts group_by_question(const engine::aggregate_totals& totals,
                                 std::map<std::string, std::int64_t>& overall_n) {
  segment_counts out;
  for (const auto& [key, counts] : totals) {
    if (key.segment == engine::all_segments) {
      overall_n[key.dimension] += count_of(counts);
      continue;
    }
    const auto eq = key.segment.find('=');
    if (eq == std::string::npos) continue;
    out[key.segment.substr(0, eq)][key.segment.substr(eq + 1)][key.dimension] = counts;
  }
  return out;
}

}  // namespace

std::vector<segment_breakdown> break_down_by_segment(
    const engine::aggregate_totals& totals, const std::map<std::string, dimension_cell>& overall,
    const std::map<std::string, double>& department_means, const report_query& query) {
  std::map<std::string, std::int64_t> overall_n;
  const auto grouped = group_by_question(totals, overall_n);
  std::vector<segment_breakdown> out;
  for (const auto& [question, values] : grouped) {
    segment_breakdown breakdown{question, {}};
    for (const auto& [value, dims] : values)
      breakdown.values.push_back({value, {}});
    for (const auto& [dimension, cell] : overall) {
      std::vector<std::int64_t> n;
      std::int64_t in_values = 0;
      for (const auto& [value, dims] : values) {
        auto it = dims.find(dimension);
        n.push_back(it == dims.end() ? 0 : count_of(it->second));
        in_values += n.back();
      }
      auto hidden = cells_to_hide(n, query.threshold(), overall_n[dimension] - in_values);
      auto mean = department_means.find(dimension);
      std::size_t i = 0;
      for (const auto& [value, dims] : values) {
        auto it = dims.find(dimension);
        breakdown.values[i].dimensions[dimension] =
            make_cell(it == dims.end() ? engine::histogram{} : it->second, dimension,
                      mean == department_means.end() ? 0.0 : mean->second, query,
                      cell.suppressed || hidden[i]);
        ++i;
      }
    }
    out.push_back(std::move(breakdown));
  }
  return out;
}

}  // namespace hrs::reports
