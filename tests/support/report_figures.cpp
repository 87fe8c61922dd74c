#include "report_figures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

namespace hrs::testing {

namespace {

// t(0.975, df) for df = 1..30, to 17 digits: the familiar table values (12.706, 4.303,
// 3.182, 2.776, 2.571, ... 2.086 at 20, 2.042 at 30, e.g. NIST/SEMATECH e-Handbook of
// Statistical Methods, 1.3.6.7.2), computed with mpmath by solving the t CDF written
// with the regularized incomplete beta function, as tests/reports/reference_statistics.py
// does.
constexpr std::array<double, 30> t975_table = {
    12.706204736174704, 4.3026527297494637, 3.1824463052837095, 2.7764451051977943,
    2.5705818356363155, 2.4469118511449699, 2.3646242515927853, 2.3060041352041666,
    2.2621571627982055, 2.2281388519862747, 2.2009851600916398, 2.1788128296672288,
    2.1603686564627925, 2.1447866879178038, 2.1314495455597757, 2.1199052992212546,
    2.1098155778333171, 2.1009220402410385, 2.0930240544083097, 2.0859634472658648,
    2.0796138447276804, 2.0738730679040261, 2.0686576104190486, 2.0638985616280258,
    2.0595385527532977, 2.0555294386428732, 2.0518305164802855, 2.0484071417952451,
    2.0452296421327043, 2.0422724563012383};

// The 0.975 quantile of the standard normal.
constexpr double z975 = 1.959963984540054;

// Tight enough to tell any two figures a report could show apart, loose enough for the
// last bits of a different but exact way of computing them.
Approx close_to(double value) {
  return Approx(value).epsilon(1e-9).margin(1e-12);
}

void check_interval(const nlohmann::json& actual, const std::pair<double, double>& expected) {
  REQUIRE(actual.is_array());
  REQUIRE(actual.size() == 2);
  CHECK(actual[0].get<double>() == close_to(expected.first));
  CHECK(actual[1].get<double>() == close_to(expected.second));
}

}  // namespace

double t975(int degrees_of_freedom) {
  if (degrees_of_freedom < 1 || degrees_of_freedom > static_cast<int>(t975_table.size()))
    throw std::out_of_range("t975: no table entry for " + std::to_string(degrees_of_freedom));
  return t975_table[static_cast<std::size_t>(degrees_of_freedom - 1)];
}

double mean_of(const std::vector<int>& ratings) {
  if (ratings.empty()) throw std::invalid_argument("mean_of: no ratings");
  double sum = 0;
  for (int r : ratings)
    sum += r;
  return sum / static_cast<double>(ratings.size());
}

expected_cell expect_cell(const std::vector<int>& ratings, double standard, double department_mean,
                          double prior_weight) {
  expected_cell e;
  e.n = static_cast<std::int64_t>(ratings.size());
  const auto n = static_cast<double>(ratings.size());
  e.mean = mean_of(ratings);
  std::int64_t satisfied = 0;
  for (int r : ratings) {
    ++e.histogram.at(static_cast<std::size_t>(r - 1));
    if (r >= 4) ++satisfied;
  }
  if (ratings.size() >= 2) {
    double squares = 0;
    for (int r : ratings)
      squares += (r - e.mean) * (r - e.mean);
    const double sd = std::sqrt(squares / (n - 1));
    const double half = t975(static_cast<int>(ratings.size()) - 1) * sd / std::sqrt(n);
    e.ci95 = std::pair{std::max(1.0, e.mean - half), std::min(5.0, e.mean + half)};
  }
  // Wilson score interval.
  const double p = static_cast<double>(satisfied) / n;
  e.csat = p;
  const double z2 = z975 * z975;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z975 / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  e.csat_ci95 = {satisfied == 0 ? 0.0 : centre - half, satisfied == e.n ? 1.0 : centre + half};
  e.standard = standard;
  e.vs_standard = "meets";
  if (e.ci95 && e.ci95->first > standard) e.vs_standard = "above";
  if (e.ci95 && e.ci95->second < standard) e.vs_standard = "below";
  e.shrunk_mean = (n * e.mean + prior_weight * department_mean) / (n + prior_weight);
  return e;
}

void check_cell(nlohmann::json cell, const expected_cell& expected) {
  INFO("cell " << cell.dump());
  REQUIRE(cell.is_object());
  std::set<std::string> keys;
  for (const auto& [key, value] : cell.items())
    keys.insert(key);
  CHECK(keys == std::set<std::string>{"suppressed", "n", "mean", "ci95", "csat", "csat_ci95",
                                      "histogram", "standard", "vs_standard", "shrunk_mean"});
  CHECK(cell.value("suppressed", true) == false);
  CHECK(cell["n"] == expected.n);
  REQUIRE(cell["mean"].is_number());
  CHECK(cell["mean"].get<double>() == close_to(expected.mean));
  if (expected.ci95)
    check_interval(cell["ci95"], *expected.ci95);
  else
    CHECK(cell["ci95"].is_null());
  REQUIRE(cell["csat"].is_number());
  CHECK(cell["csat"].get<double>() == close_to(expected.csat));
  check_interval(cell["csat_ci95"], expected.csat_ci95);
  CHECK(cell["histogram"] == nlohmann::json(expected.histogram));
  REQUIRE(cell["standard"].is_number());
  CHECK(cell["standard"].get<double>() == expected.standard);
  CHECK(cell["vs_standard"] == expected.vs_standard);
  REQUIRE(cell["shrunk_mean"].is_number());
  CHECK(cell["shrunk_mean"].get<double>() == close_to(expected.shrunk_mean));
}

nlohmann::json suppressed_cell(int threshold) {
  return {{"suppressed", true}, {"fewer_than", threshold}};
}

day parse_day(const std::string& text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    throw std::invalid_argument("not a date: " + text);
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok()) throw std::invalid_argument("not a date: " + text);
  return day{ymd};
}

std::string format_day(day d) {
  const std::chrono::year_month_day ymd{d};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

}  // namespace hrs::testing
