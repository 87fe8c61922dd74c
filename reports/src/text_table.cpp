#include "hrs/reports/text_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace hrs::reports {

namespace {

using row = std::vector<std::string>;

// Characters as a terminal shows them, near enough: UTF-8 code points.
std::size_t shown_width(const std::string& text) {
  return static_cast<std::size_t>(std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string render(const std::vector<row>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& r : rows) {
    widths.resize(std::max(widths.size(), r.size()));
    for (std::size_t i = 0; i < r.size(); ++i)
      widths[i] = std::max(widths[i], shown_width(r[i]));
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line.append(widths[i] - shown_width(r[i]) + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string cell_text(const dimension_cell& cell, int threshold) {
  if (cell.suppressed) return fmt::format("fewer than {}", threshold);
  const auto& f = cell.figures;
  std::string text = fmt::format("{:.2f}", f.mean);
  if (f.ci95) text += fmt::format(" ({:.2f}-{:.2f})", f.ci95->low, f.ci95->high);
  text += fmt::format(" n={}", f.n);
  if (cell.vs_standard != standing::meets) text += fmt::format(" {}", to_string(cell.vs_standard));
  return text;
}

std::string heading(const std::string& what, const report_query& query) {
  return fmt::format("{} from {} to {}{}; figures need at least {} responses\n\n", what,
                     engine::format_date(query.from), engine::format_date(query.to),
                     query.team ? ", team " + *query.team : std::string(), query.threshold());
}

}  // namespace

std::string scorecards_table(const scorecards& cards, const report_query& query) {
  const int k = query.threshold();
  row header{"staff", "name", "team"};
  for (const auto& [dimension, cell] : cards.department)
    header.push_back(dimension);
  std::vector<row> rows{header};
  row department{"", "department", ""};
  for (const auto& [dimension, cell] : cards.department)
    department.push_back(cell_text(cell, k));
  rows.push_back(department);
  for (const auto& card : cards.staff) {
    row r{card.member.id, card.member.name, card.member.team};
    for (const auto& [dimension, unused] : cards.department) {
      auto it = card.dimensions.find(dimension);
      r.push_back(it == card.dimensions.end() ? fmt::format("fewer than {}", k)
                                              : cell_text(it->second, k));
    }
    rows.push_back(std::move(r));
  }
  return heading("Staff scorecards", query) + render(rows);
}

std::string staff_report_table(const staff_report& report, const report_query& query) {
  const int k = query.threshold();
  std::string out = heading(fmt::format("Scorecard of {} ({}, {})", report.card.member.name,
                                        report.card.member.id, report.card.member.team),
                            query);
  std::vector<row> rows{{"dimension", "figures", "csat", "standard"}};
  for (const auto& [dimension, cell] : report.card.dimensions) {
    rows.push_back({dimension, cell_text(cell, k),
                    cell.suppressed ? "" : fmt::format("{:.0f}%", cell.figures.csat * 100),
                    fmt::format("{:.2f}", cell.standard)});
  }
  out += render(rows);
  if (!report.recognized.strengths.empty()) {
    out += "\nStrengths:";
    for (const auto& s : report.recognized.strengths)
      out += " " + s;
    out += "\n";
  }
  if (!report.trend.empty()) {
    std::vector<row> trend{{"period"}};
    for (const auto& [dimension, unused] : report.card.dimensions)
      trend[0].push_back(dimension);
    for (const auto& point : report.trend) {
      row r{engine::format_date(point.from) + " to " + engine::format_date(point.to)};
      for (const auto& [dimension, cell] : point.dimensions)
        r.push_back(cell_text(cell, k));
      trend.push_back(std::move(r));
    }
    out += "\nTrend\n" + render(trend);
  }
  return out;
}

}  // namespace hrs::reports
