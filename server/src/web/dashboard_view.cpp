#include "dashboard_view.hpp"

#include <fmt/format.h>
#include <boost/url/url.hpp>

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace hrs::server::web {

namespace {

using json = nlohmann::json;
using reports::dimension_cell;

// The charts' geometry, in SVG user units.
constexpr double chart_width = 320;
constexpr double axis_left = 24;
constexpr double axis_right = 304;

std::string fixed(double value, int digits = 2) {
  return fmt::format("{:.{}f}", value, digits);
}

// The x of a rating from 1 to 5 on a horizontal axis.
double x_of_rating(double rating) {
  return axis_left + (rating - 1) / 4 * (axis_right - axis_left);
}

std::string standing_text(reports::standing s) {
  switch (s) {
    case reports::standing::above:
      return "above the standard";
    case reports::standing::below:
      return "below the standard";
    case reports::standing::meets:
      break;
  }
  return "meets the standard";
}

using link_params = std::vector<std::pair<std::string_view, std::string>>;

// A path on this server with its query, each value percent-encoded; empty values left
// out.
std::string link(std::string_view path, const link_params& params) {
  boost::urls::url url;
  url.set_path(path);
  for (const auto& [key, value] : params)
    if (!value.empty()) url.params().append({key, value});
  return std::string(url.buffer());
}

std::string date(engine::day_number day) {
  return engine::format_date(day);
}

// The overview's period, filters and sort. The links to a scorecard and the scorecard's
// own links carry them all, so that its way back shows the overview the lead came from.
link_params overview_state(const dashboard_request& r) {
  return {{"from", date(r.query.from)},
          {"to", date(r.query.to)},
          {"team", r.query.team.value_or("")},
          {"survey", r.query.survey.value_or("")},
          {"sort", r.sort.value_or("")}};
}

// link() with the overview's state first, then `extra`.
std::string link_keeping(std::string_view path, const dashboard_request& r,
                         std::initializer_list<std::pair<std::string_view, std::string>> extra) {
  auto params = overview_state(r);
  params.insert(params.end(), extra.begin(), extra.end());
  return link(path, params);
}

// The words that say what a cell shows, for screen readers and chart titles.
std::string cell_words(std::string_view dimension, const dimension_cell& cell, int k) {
  if (cell.suppressed) return fmt::format("{}: fewer than {} responses", dimension, k);
  const auto& f = cell.figures;
  std::string words = fmt::format("{}: mean {}", dimension, fixed(f.mean));
  if (f.ci95)
    words += fmt::format(", 95 % interval {} to {}", fixed(f.ci95->low), fixed(f.ci95->high));
  words += fmt::format(", n {}, standard {}, {}", f.n, fixed(cell.standard),
                       standing_text(cell.vs_standard));
  return words;
}

// One cell as the templates show it; a suppressed one holds no figure.
json cell_values(std::string_view dimension, const dimension_cell& cell, int k) {
  json out = {{"dimension", dimension},
              {"suppressed", cell.suppressed},
              {"fewer_than", k},
              {"words", cell_words(dimension, cell, k)}};
  if (cell.suppressed) return out;
  const auto& f = cell.figures;
  out["mean"] = fixed(f.mean);
  out["n"] = f.n;
  out["has_ci"] = f.ci95.has_value();
  if (f.ci95) {
    out["ci_low"] = fixed(f.ci95->low);
    out["ci_high"] = fixed(f.ci95->high);
  }
  out["standard"] = fixed(cell.standard);
  out["vs"] = std::string(reports::to_string(cell.vs_standard));
  out["vs_text"] = standing_text(cell.vs_standard);
  return out;
}

// A cell of a dimension that a row does not have: no responses at all.
const dimension_cell& empty_cell() {
  static const dimension_cell none{};
  return none;
}

const dimension_cell& cell_in(const std::map<std::string, dimension_cell>& cells,
                              const std::string& dimension) {
  const auto it = cells.find(dimension);
  return it == cells.end() ? empty_cell() : it->second;
}

json cells_row(const std::map<std::string, dimension_cell>& cells,
               const std::vector<std::string>& dimensions, int k) {
  json out = json::array();
  for (const auto& d : dimensions)
    out.push_back(cell_values(d, cell_in(cells, d), k));
  return out;
}

// The mean as a dot, its interval as a line, the standard as a dashed line, on a 1-5
// axis. A suppressed cell has no mark.
json interval_chart(std::string_view dimension, const dimension_cell& cell, int k) {
  json ticks = json::array();
  for (int point = 1; point <= 5; ++point)
    ticks.push_back({{"x", fixed(x_of_rating(point), 1)}, {"label", point}});
  json chart = {{"width", fixed(chart_width, 0)}, {"label", cell_words(dimension, cell, k)},
                {"axis_x1", fixed(axis_left, 1)}, {"axis_x2", fixed(axis_right, 1)},
                {"ticks", std::move(ticks)},      {"shown", !cell.suppressed}};
  if (cell.suppressed) return chart;
  const auto& f = cell.figures;
  chart["standard_x"] = fixed(x_of_rating(cell.standard), 1);
  chart["mean_x"] = fixed(x_of_rating(f.mean), 1);
  chart["has_ci"] = f.ci95.has_value();
  if (f.ci95) {
    chart["ci_x1"] = fixed(x_of_rating(f.ci95->low), 1);
    chart["ci_x2"] = fixed(x_of_rating(f.ci95->high), 1);
  }
  chart["vs"] = std::string(reports::to_string(cell.vs_standard));
  return chart;
}

// The counts of the 1s to 5s as bars.
json histogram_chart(std::string_view dimension, const dimension_cell& cell) {
  constexpr double baseline = 96;
  constexpr double tallest = 72;
  constexpr double slot = (axis_right - axis_left) / 5;
  constexpr double bar_width = 36;
  const auto& counts = cell.figures.counts;
  const auto most = std::max<std::int64_t>(1, *std::max_element(counts.begin(), counts.end()));
  json bars = json::array();
  std::string words = fmt::format("{}, how many gave each rating:", dimension);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const auto height = tallest * static_cast<double>(counts[i]) / static_cast<double>(most);
    const auto middle = axis_left + slot * (static_cast<double>(i) + 0.5);
    bars.push_back({{"x", fixed(middle - bar_width / 2, 1)},
                    {"y", fixed(baseline - height, 1)},
                    {"width", fixed(bar_width, 0)},
                    {"height", fixed(height, 1)},
                    {"middle", fixed(middle, 1)},
                    {"count_y", fixed(baseline - height - 4, 1)},
                    {"point", i + 1},
                    {"count", counts[i]}});
    words += fmt::format("{} {}: {}", i == 0 ? "" : ",", i + 1, counts[i]);
  }
  return {{"label", words}, {"bars", std::move(bars)}, {"baseline", fixed(baseline, 0)}};
}

std::string bucket_name(const reports::trend_point& p, reports::trend_bucket bucket) {
  if (bucket == reports::trend_bucket::month) return date(p.from).substr(0, 7);
  return fmt::format("week of {}", date(p.from));
}

// The means by week or month as dots joined by lines (broken where a bucket is
// suppressed), with the standard as a dashed line, on a 1-5 vertical axis.
json trend_chart(const std::string& dimension, const std::vector<reports::trend_point>& trend,
                 reports::trend_bucket bucket, double standard, int k) {
  constexpr double top = 12;
  constexpr double bottom = 100;
  const auto y_of = [&](double rating) { return bottom - (rating - 1) / 4 * (bottom - top); };
  const auto count = trend.size();
  const auto step = count > 1 ? (axis_right - axis_left) / static_cast<double>(count - 1) : 0.0;
  json dots = json::array();
  json lines = json::array();
  std::string points;
  std::string words =
      fmt::format("{} by {}, standard {}:", dimension,
                  bucket == reports::trend_bucket::month ? "month" : "week", fixed(standard));
  for (std::size_t i = 0; i < count; ++i) {
    const auto& p = trend[i];
    const auto& cell = cell_in(p.dimensions, dimension);
    const auto name = bucket_name(p, bucket);
    const double x =
        count > 1 ? axis_left + step * static_cast<double>(i) : (axis_left + axis_right) / 2;
    if (cell.suppressed) {
      words += fmt::format(" {}: fewer than {};", name, k);
      if (points.find(' ') != std::string::npos) lines.push_back({{"points", points}});
      points.clear();
      continue;
    }
    const auto& f = cell.figures;
    const auto y = y_of(f.mean);
    const auto title = fmt::format("{}: mean {}, n {}", name, fixed(f.mean), f.n);
    words += fmt::format(" {};", title);
    dots.push_back({{"x", fixed(x, 1)}, {"y", fixed(y, 1)}, {"title", title}});
    points += fmt::format("{}{},{}", points.empty() ? "" : " ", fixed(x, 1), fixed(y, 1));
  }
  if (points.find(' ') != std::string::npos) lines.push_back({{"points", points}});
  if (!words.empty() && words.back() == ';') words.back() = '.';
  json first_last = json::array();
  if (count > 0) {
    first_last.push_back({{"x", fixed(axis_left, 1)},
                          {"anchor", "start"},
                          {"text", bucket_name(trend.front(), bucket)}});
    if (count > 1)
      first_last.push_back({{"x", fixed(axis_right, 1)},
                            {"anchor", "end"},
                            {"text", bucket_name(trend.back(), bucket)}});
  }
  json levels = json::array();
  for (int point : {1, 3, 5})
    levels.push_back({{"y", fixed(y_of(point), 1)}, {"label", point}});
  return {{"dimension", dimension},
          {"label", words},
          {"standard_y", fixed(y_of(standard), 1)},
          {"axis_x1", fixed(axis_left, 1)},
          {"axis_x2", fixed(axis_right, 1)},
          {"levels", std::move(levels)},
          {"dots", std::move(dots)},
          {"lines", std::move(lines)},
          {"bucket_labels", std::move(first_last)}};
}

json segments_values(const std::vector<reports::segment_breakdown>& segments,
                     const std::vector<std::string>& dimensions, int k) {
  json out = json::array();
  for (const auto& breakdown : segments) {
    json rows = json::array();
    for (const auto& v : breakdown.values)
      rows.push_back({{"value", v.value}, {"cells", cells_row(v.dimensions, dimensions, k)}});
    out.push_back({{"question", breakdown.question},
                   {"dimensions", dimensions},
                   {"rows", std::move(rows)},
                   {"has_rows", !breakdown.values.empty()}});
  }
  return out;
}

json period_values(const dashboard_request& r) {
  return {{"from", date(r.query.from)},
          {"to", date(r.query.to)},
          {"threshold", r.query.threshold()},
          {"team", r.query.team.value_or("")},
          {"has_team", r.query.team.has_value()}};
}

std::string staff_link(const std::string& id, const dashboard_request& r) {
  return link_keeping("/dashboard/staff/" + id, r, {});
}

json standings_values(const std::vector<reports::staff_standing>& list,
                      const dashboard_request& r) {
  json out = json::array();
  for (const auto& s : list)
    out.push_back({{"id", s.member.id},
                   {"name", s.member.name},
                   {"href", staff_link(s.member.id, r)},
                   {"cell", cell_values(s.dimension, s.cell, r.query.threshold())}});
  return out;
}

std::vector<std::string> dimensions_of(const std::map<std::string, dimension_cell>& cells) {
  std::vector<std::string> out;
  for (const auto& [dimension, cell] : cells)
    out.push_back(dimension);
  return out;
}

}  // namespace

json filter_values(const dashboard_request& r, const std::vector<std::string>& teams,
                   bool team_locked) {
  json team_options = json::array();
  team_options.push_back({{"value", ""}, {"name", "All teams"}, {"selected", !r.query.team}});
  for (const auto& t : teams)
    team_options.push_back({{"value", t}, {"name", t}, {"selected", r.query.team == t}});
  json problems = json::array();
  for (const auto& p : r.problems)
    problems.push_back(p);
  return {{"from", r.from_text},
          {"to", r.to_text},
          {"team_locked", team_locked},
          {"team", r.query.team.value_or("")},
          {"team_options", std::move(team_options)},
          {"sort", r.sort.value_or("")},
          {"has_sort", r.sort.has_value()},
          {"problems", std::move(problems)},
          {"has_problems", !r.problems.empty()}};
}

json overview_values(const reports::overview& o, const reports::scorecards& cards,
                     const dashboard_request& r, const std::vector<std::string>& teams,
                     bool team_locked) {
  const int k = r.query.threshold();
  const auto dimensions = dimensions_of(cards.department);
  json out = {{"period", period_values(r)},
              {"filters", filter_values(r, teams, team_locked)},
              {"department", cells_row(o.department, dimensions_of(o.department), k)}};

  json areas = json::array();
  for (const auto& a : o.areas_needing_work) {
    json entry = {{"cell", cell_values(a.dimension, a.cell, k)}, {"overall", !a.question}};
    if (a.question) entry["segment"] = fmt::format("{} = {}", *a.question, a.value.value_or(""));
    areas.push_back(std::move(entry));
  }
  out["has_areas"] = !areas.empty();
  out["areas"] = std::move(areas);
  out["above"] = standings_values(o.above_standard, r);
  out["has_above"] = !o.above_standard.empty();
  out["below"] = standings_values(o.below_standard, r);
  out["has_below"] = !o.below_standard.empty();

  const auto& rate = o.responses;
  out["responses"] = {{"invited", rate.invited},
                      {"answered", rate.answered},
                      {"has_rate", rate.rate.has_value()},
                      {"rate", rate.rate ? fixed(*rate.rate * 100, 0) : std::string()}};

  json columns = json::array();
  for (const auto& d : dimensions)
    columns.push_back({{"dimension", d},
                       {"sorted", r.sort == d},
                       {"href", link("/dashboard", {{"from", date(r.query.from)},
                                                    {"to", date(r.query.to)},
                                                    {"team", r.query.team.value_or("")},
                                                    {"survey", r.query.survey.value_or("")},
                                                    {"sort", d}})}});
  json rows = json::array();
  for (const auto& card : cards.staff)
    rows.push_back({{"id", card.member.id},
                    {"name", card.member.name},
                    {"team", card.member.team},
                    {"href", staff_link(card.member.id, r)},
                    {"cells", cells_row(card.dimensions, dimensions, k)}});
  out["columns"] = std::move(columns);
  out["has_rows"] = !rows.empty();
  out["rows"] = std::move(rows);
  out["by_name_href"] = link("/dashboard", {{"from", date(r.query.from)},
                                            {"to", date(r.query.to)},
                                            {"team", r.query.team.value_or("")},
                                            {"survey", r.query.survey.value_or("")}});
  return out;
}

json staff_values(const reports::staff_report& report, const reports::staff_comments& comments,
                  const dashboard_request& r) {
  const int k = r.query.threshold();
  const auto& card = report.card;
  const auto dimensions = dimensions_of(card.dimensions);
  const auto path = "/dashboard/staff/" + card.member.id;
  const auto from = date(r.query.from);
  const auto to = date(r.query.to);
  const std::string bucket = r.bucket == reports::trend_bucket::week ? "week" : "month";

  json dims = json::array();
  for (const auto& [dimension, cell] : card.dimensions) {
    json entry = {{"cell", cell_values(dimension, cell, k)},
                  {"chart", interval_chart(dimension, cell, k)}};
    if (!cell.suppressed) {
      entry["histogram"] = histogram_chart(dimension, cell);
      entry["trend"] = trend_chart(dimension, report.trend, r.bucket, cell.standard, k);
    }
    dims.push_back(std::move(entry));
  }

  json praise = json::array();
  for (const auto& a : report.recognized.praise)
    praise.push_back({{"text", a.text}, {"date", date(engine::day_of(a.received_at))}});
  json listed = json::array();
  for (const auto& c : comments.comments)
    listed.push_back(
        {{"text", c.text}, {"date", date(engine::day_of(c.received_at))}, {"locale", c.locale}});
  const auto page_link = [&](std::size_t page) {
    return link_keeping(
        path, r, {{"bucket", bucket}, {"page", page == 0 ? std::string() : std::to_string(page)}});
  };
  const bool has_next = comments.comments.size() == comments_per_page;
  // The overview's filters and sort ride along in the period form as hidden fields.
  json kept = json::array();
  for (auto& [name, value] : overview_state(r))
    if (name != "from" && name != "to" && !value.empty())
      kept.push_back({{"name", name}, {"value", std::move(value)}});

  return {
      {"member", {{"id", card.member.id}, {"name", card.member.name}, {"team", card.member.team}}},
      {"period", period_values(r)},
      {"from", from},
      {"to", to},
      {"dimensions", std::move(dims)},
      {"has_dimensions", !card.dimensions.empty()},
      {"bucket_month", r.bucket == reports::trend_bucket::month},
      {"month_href", link_keeping(path, r, {})},
      {"week_href", link_keeping(path, r, {{"bucket", "week"}})},
      {"segments", segments_values(report.segments, dimensions, k)},
      {"dimension_names", dimensions},
      {"strengths", report.recognized.strengths},
      {"has_strengths", !report.recognized.strengths.empty()},
      {"praise", std::move(praise)},
      {"has_praise", !report.recognized.praise.empty()},
      {"comments_suppressed", comments.suppressed},
      {"comments", std::move(listed)},
      {"has_comments", !comments.comments.empty()},
      {"has_prev", r.page > 0},
      {"prev_href", r.page > 0 ? page_link(r.page - 1) : std::string()},
      {"has_next", has_next},
      {"next_href", page_link(r.page + 1)},
      {"page_number", r.page + 1},
      {"back_href", link_keeping("/dashboard", r, {})},
      {"kept", std::move(kept)},
  };
}

}  // namespace hrs::server::web
