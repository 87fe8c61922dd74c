#include "hrs/reports/csv.hpp"

#include <fmt/format.h>

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

std::string scorecards_csv(const std::vector<staff_scorecard>& cards, int anonymity_threshold) {
  std::string out =
      "staff_id,name,team,dimension,n,mean,count_1,count_2,count_3,count_4,count_5,note\r\n";
  for (const auto& card : cards) {
    for (const auto& [dimension, f] : card.dimensions) {
      out += fmt::format("{},{},{},{},", csv_field(card.member.id), csv_field(card.member.name),
                         csv_field(card.member.team), csv_field(dimension));
      if (f.suppressed) {
        out += fmt::format(",,,,,,,fewer than {} responses\r\n", anonymity_threshold);
      } else {
        out += fmt::format("{},{:.4f},{},{},{},{},{},\r\n", f.n, f.mean, f.counts[0], f.counts[1],
                           f.counts[2], f.counts[3], f.counts[4]);
      }
    }
  }
  return out;
}

}  // namespace hrs::reports
