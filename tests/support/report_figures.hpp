#pragma once

// The report tests' yardstick: the figures of DESIGN.md "Reports: the statistics" worked
// out plainly from a list of 1..5 ratings, sharing no code with hrs::reports, so that the
// tests compare what the server says with what the ratings they sent must give. And the
// calendar arithmetic the tests need to pick periods around the server's today.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hrs::testing {

// The 0.975 quantile of Student's t with `degrees_of_freedom` (1 to 30), from a table;
// throws std::out_of_range beyond it.
double t975(int degrees_of_freedom);

// What a shown cell must hold for a set of ratings.
struct expected_cell {
  std::int64_t n = 0;
  double mean = 0;
  std::optional<std::pair<double, double>> ci95;  // absent below 2 ratings
  double csat = 0;
  std::pair<double, double> csat_ci95;
  std::array<std::int64_t, 5> histogram{};
  double standard = 0;
  std::string vs_standard;
  double shrunk_mean = 0;
};

// The figures of `ratings` (at least one), judged against `standard`, shrunk towards
// `department_mean` with the prior weight `prior_weight`.
expected_cell expect_cell(const std::vector<int>& ratings, double standard, double department_mean,
                          double prior_weight = 10);

// The mean of `ratings` (at least one).
double mean_of(const std::vector<int>& ratings);

// Checks with Catch that `cell` is a shown cell of exactly these figures: every field,
// and no other. A copy, so that a missing key reads as null instead of asserting.
void check_cell(nlohmann::json cell, const expected_cell& expected);

// The JSON of a suppressed cell: {"suppressed": true, "fewer_than": k}.
nlohmann::json suppressed_cell(int threshold = 5);

// Days as the reports' dates: "YYYY-MM-DD", UTC.
using day = std::chrono::sys_days;
day parse_day(const std::string& text);  // throws std::invalid_argument
std::string format_day(day d);

}  // namespace hrs::testing
