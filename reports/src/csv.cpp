#include "hrs/reports/csv.hpp"

#include <fmt/format.h>

#include <iterator>

namespace hrs::reports {

std::string csv_field(std::string_view value) {
  std::string cell;
  if (!value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
                         value.front() == '@'))
    cell += '\'';
  cell += value;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

namespace {

constexpr std::string_view header =
    "staff_id,name,team,dimension,n,mean,ci95_low,ci95_high,csat,csat_ci95_low,csat_ci95_high,"
    "count_1,count_2,count_3,count_4,count_5,standard,vs_standard,shrunk_mean,note\r\n";

// Figures with enough digits to be exact for a reader, without float noise.
void append_figures(std::string& out, const dimension_cell& cell) {
  const auto& f = cell.figures;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{},{:.6g},", f.n, f.mean);
  if (f.ci95)
    fmt::format_to(it, "{:.6g},{:.6g},", f.ci95->low, f.ci95->high);
  else
    out += ",,";
  fmt::format_to(it, "{:.6g},", f.csat);
  if (f.csat_ci95)
    fmt::format_to(it, "{:.6g},{:.6g},", f.csat_ci95->low, f.csat_ci95->high);
  else
    out += ",,";
  fmt::format_to(it, "{},{},{},{},{},{:.6g},{},{:.6g},\r\n", f.counts[0], f.counts[1], f.counts[2],
                 f.counts[3], f.counts[4], cell.standard, to_string(cell.vs_standard),
                 cell.shrunk_mean);
}

}  // namespace

void write_scorecards_csv(const std::vector<staff_scorecard>& cards, int threshold,
                          const csv_sink& sink, std::size_t chunk) {
  std::string buffer(header);
  for (const auto& card : cards) {
    for (const auto& [dimension, cell] : card.dimensions) {
      fmt::format_to(std::back_inserter(buffer), "{},{},{},{},", csv_field(card.member.id),
                     csv_field(card.member.name), csv_field(card.member.team),
                     csv_field(dimension));
      if (cell.suppressed)
        fmt::format_to(std::back_inserter(buffer), ",,,,,,,,,,,,,,,fewer than {} responses\r\n",
                       threshold);
      else
        append_figures(buffer, cell);
      if (buffer.size() >= chunk) {
        sink(buffer);
        buffer.clear();
      }
    }
  }
  if (!buffer.empty()) sink(buffer);
}

}  // namespace hrs::reports
