#include "hrs/reports/json.hpp"

namespace hrs::reports {

namespace {

using json = nlohmann::json;

json interval_json(const std::optional<interval>& i) {
  if (!i) return nullptr;
  return json::array({i->low, i->high});
}

json cells_json(const std::map<std::string, dimension_cell>& cells, int threshold) {
  json out = json::object();
  for (const auto& [dimension, cell] : cells)
    out[dimension] = cell_json(cell, threshold);
  return out;
}

json member_json(const engine::staff_member& m) {
  return {{"id", m.id}, {"name", m.name}, {"team", m.team}};
}

json card_json(const staff_scorecard& card, int threshold) {
  json out = member_json(card.member);
  out["dimensions"] = cells_json(card.dimensions, threshold);
  return out;
}

json segments_json(const std::vector<segment_breakdown>& segments, int threshold) {
  json out = json::array();
  for (const auto& breakdown : segments) {
    json values = json::array();
    for (const auto& v : breakdown.values)
      values.push_back({{"value", v.value}, {"dimensions", cells_json(v.dimensions, threshold)}});
    out.push_back({{"question", breakdown.question}, {"values", std::move(values)}});
  }
  return out;
}

json written_answer_json(const engine::written_answer& a) {
  return {{"question", a.question},
          {"text", a.text},
          {"locale", a.locale},
          {"date", engine::format_date(engine::day_of(a.received_at))}};
}

json standings_json(const std::vector<staff_standing>& list, int threshold) {
  json out = json::array();
  for (const auto& s : list) {
    json entry = member_json(s.member);
    entry["dimension"] = s.dimension;
    entry["figures"] = cell_json(s.cell, threshold);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

json cell_json(const dimension_cell& cell, int threshold) {
  if (cell.suppressed) return {{"suppressed", true}, {"fewer_than", threshold}};
  const auto& f = cell.figures;
  return {{"suppressed", false},
          {"n", f.n},
          {"mean", f.mean},
          {"ci95", interval_json(f.ci95)},
          {"csat", f.csat},
          {"csat_ci95", interval_json(f.csat_ci95)},
          {"histogram", f.counts},
          {"standard", cell.standard},
          {"vs_standard", std::string(to_string(cell.vs_standard))},
          {"shrunk_mean", cell.shrunk_mean}};
}

json period_json(const report_query& query) {
  json out = {{"from", engine::format_date(query.from)},
              {"to", engine::format_date(query.to)},
              {"anonymity_threshold", query.threshold()}};
  if (query.survey) out["survey"] = *query.survey;
  if (query.team) out["team"] = *query.team;
  return out;
}

json scorecards_json(const scorecards& cards, const report_query& query) {
  json out = period_json(query);
  out["department"] = cells_json(cards.department, query.threshold());
  json staff = json::array();
  for (const auto& card : cards.staff)
    staff.push_back(card_json(card, query.threshold()));
  out["staff"] = std::move(staff);
  return out;
}

json staff_report_json(const staff_report& report, const report_query& query, trend_bucket bucket) {
  const int k = query.threshold();
  json out = card_json(report.card, k);
  out.update(period_json(query));
  json trend = json::array();
  for (const auto& point : report.trend)
    trend.push_back({{"from", engine::format_date(point.from)},
                     {"to", engine::format_date(point.to)},
                     {"dimensions", cells_json(point.dimensions, k)}});
  out["bucket"] = bucket == trend_bucket::week ? "week" : "month";
  out["trend"] = std::move(trend);
  out["segments"] = segments_json(report.segments, k);
  json praise = json::array();
  for (const auto& a : report.recognized.praise)
    praise.push_back(written_answer_json(a));
  out["recognition"] = {{"strengths", report.recognized.strengths}, {"praise", std::move(praise)}};
  return out;
}

json overview_json(const overview& o, const report_query& query) {
  const int k = query.threshold();
  json out = period_json(query);
  out["dimensions"] = cells_json(o.department, k);
  out["segments"] = segments_json(o.segments, k);
  json areas = json::array();
  for (const auto& a : o.areas_needing_work) {
    json entry = {{"dimension", a.dimension}, {"figures", cell_json(a.cell, k)}};
    if (a.question) entry["segment"] = {{"question", *a.question}, {"value", *a.value}};
    areas.push_back(std::move(entry));
  }
  out["areas_needing_work"] = std::move(areas);
  out["staff_above_standard"] = standings_json(o.above_standard, k);
  out["staff_below_standard"] = standings_json(o.below_standard, k);
  out["response_rate"] = {{"invited", o.responses.invited},
                          {"answered", o.responses.answered},
                          {"rate", o.responses.rate ? json(*o.responses.rate) : json(nullptr)}};
  return out;
}

json comments_json(const staff_comments& comments, const report_query& query, std::size_t limit,
                   std::size_t offset) {
  json out = period_json(query);
  out["staff"] = query.staff ? json(*query.staff) : json(nullptr);
  out["suppressed"] = comments.suppressed;
  out["limit"] = limit;
  out["offset"] = offset;
  json list = json::array();
  for (const auto& c : comments.comments)
    list.push_back(written_answer_json(c));
  out["comments"] = std::move(list);
  return out;
}

}  // namespace hrs::reports
