#include "hrs/reports/staff_report.hpp"

#include <algorithm>

#include "hrs/engine/aggregates.hpp"

namespace hrs::reports {

namespace {

// How many praising comments a scorecard shows, and how far back it looks for them.
constexpr std::size_t praise_shown = 3;
constexpr std::size_t praise_searched = 200;
// A response praises when its ratings average at least this.
constexpr double praise_rating = 4.5;

std::map<std::string, double> department_means(const department_cells& department) {
  std::map<std::string, double> out;
  for (const auto& [dimension, cell] : department)
    out[dimension] = cell.figures.mean;
  return out;
}

engine::result<std::vector<trend_point>> trend_of(engine::store& s, const report_query& query,
                                                  const staff_scorecard& card,
                                                  const std::map<std::string, double>& means,
                                                  trend_bucket bucket) {
  auto days = engine::read_counts(s, {.from = query.from,
                                      .to = query.to,
                                      .survey = query.survey,
                                      .staff = card.member.id,
                                      .segments = false});
  if (!days) return std::unexpected(days.error());
  auto points = empty_trend(query.from, query.to, bucket);
  std::map<std::string, std::vector<engine::histogram>> counts;  // per dimension, per point
  for (const auto& [key, hist] : *days) {
    auto& per_point = counts[key.dimension];
    per_point.resize(points.size());
    auto it = std::ranges::upper_bound(points, key.day, {}, &trend_point::from);
    auto& target = per_point[static_cast<std::size_t>(it - points.begin()) - 1];
    for (std::size_t i = 0; i < target.size(); ++i)
      target[i] += hist[i];
  }
  for (const auto& [dimension, overall] : card.dimensions) {
    auto& per_point = counts[dimension];
    per_point.resize(points.size());
    std::vector<std::int64_t> n;
    for (const auto& hist : per_point)
      n.push_back(count_of(hist));
    const auto hidden = cells_to_hide(n, query.threshold());
    for (std::size_t i = 0; i < points.size(); ++i)
      points[i].dimensions[dimension] = make_cell(per_point[i], dimension, means.at(dimension),
                                                  query, overall.suppressed || hidden[i]);
  }
  return points;
}

engine::result<recognition> recognize(engine::store& s, const report_query& query,
                                      const staff_scorecard& card) {
  recognition out;
  if (card.suppressed()) return out;
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [dimension, cell] : card.dimensions) {
    if (cell.suppressed) continue;
    if (cell.vs_standard == standing::above) out.strengths.push_back(dimension);
    ranked.emplace_back(cell.shrunk_mean, dimension);
  }
  if (out.strengths.empty() && !ranked.empty())
    out.strengths.push_back(std::ranges::max(ranked).second);

  auto recent = engine::list_written_answers(
      s, {card.member.id, query.from, query.to, praise_searched, 0, query.survey});
  if (!recent) return std::unexpected(recent.error());
  for (auto& answer : *recent) {
    if (out.praise.size() == praise_shown) break;
    if (answer.rating_mean && *answer.rating_mean >= praise_rating)
      out.praise.push_back(std::move(answer));
  }
  return out;
}

}  // namespace

std::vector<trend_point> empty_trend(engine::day_number from, engine::day_number to,
                                     trend_bucket bucket) {
  std::vector<trend_point> out;
  for (engine::day_number d = from; d <= to;) {
    engine::day_number next;
    if (bucket == trend_bucket::month) {
      next = engine::first_of_next_month(d);
    } else {
      // Day 0 (1970-01-01) was a Thursday: Monday is 4 days before a multiple of 7.
      const engine::day_number monday = d - ((d % 7 + 7 + 3) % 7);
      next = monday + 7;
    }
    out.push_back({d, std::min(next - 1, to), {}});
    d = next;
  }
  return out;
}

engine::result<staff_report> staff_detail(engine::store& s, const report_query& query,
                                          trend_bucket bucket) {
  auto cards = staff_scorecards(s, query);
  if (!cards) return std::unexpected(cards.error());
  if (cards->staff.empty())
    return engine::fail(engine::errc::not_found,
                        "no such staff member in the reports you may read");
  staff_report out{cards->staff.front(), {}, {}, {}};
  const auto means = department_means(cards->department);

  auto trend = trend_of(s, query, out.card, means, bucket);
  if (!trend) return std::unexpected(trend.error());
  out.trend = std::move(*trend);

  auto totals = engine::read_totals(s, {.from = query.from,
                                        .to = query.to,
                                        .survey = query.survey,
                                        .staff = out.card.member.id,
                                        .segments = true});
  if (!totals) return std::unexpected(totals.error());
  out.segments = break_down_by_segment(*totals, out.card.dimensions, means, query);

  auto recognized = recognize(s, query, out.card);
  if (!recognized) return std::unexpected(recognized.error());
  out.recognized = std::move(*recognized);
  return out;
}

}  // namespace hrs::reports
