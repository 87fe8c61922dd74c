// The statistics of a dimension's ratings: checked against an independent
// high-precision implementation (reference_statistics.py, mpmath), and by simulation
// for what the figures are for: flagging staff above or below the standard.

#include <sys/wait.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "hrs/reports/statistics.hpp"

namespace {

namespace rep = hrs::reports;
using hrs::engine::histogram;
using nlohmann::json;

std::string quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string histogram_arg(const histogram& h) {
  std::string out;
  for (auto c : h)
    out += (out.empty() ? "" : ",") + std::to_string(c);
  return out;
}

// Runs the reference implementation on the histograms; returns its figures in order.
json reference_figures(const std::vector<histogram>& hists) {
  std::string command = quote(HRS_PYTHON3) + " " + quote(HRS_REFERENCE_STATISTICS);
  for (const auto& h : hists)
    command += " " + histogram_arg(h);
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr)
    output += buffer.data();
  const int status = ::pclose(pipe);
  INFO(command << "\n" << output);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  auto figures = json::parse(output, nullptr, false);
  REQUIRE(figures.is_array());
  REQUIRE(figures.size() == hists.size());
  return figures;
}

// Relative, so that a figure as small as the sd of 10^9 nearly equal ratings (~1e-4) is
// checked to 9 digits too; the absolute floor serves figures that are exactly 0.
bool close(double actual, double expected) {
  return std::abs(actual - expected) <= 1e-9 * std::abs(expected) + 1e-15;
}

void check_interval(const std::optional<rep::interval>& actual, const json& expected) {
  REQUIRE(actual.has_value() == !expected.is_null());
  if (!actual) return;
  INFO("low " << actual->low << " vs " << expected[0].get<double>() << ", high " << actual->high
              << " vs " << expected[1].get<double>());
  CHECK(close(actual->low, expected[0].get<double>()));
  CHECK(close(actual->high, expected[1].get<double>()));
}

constexpr std::int64_t e8 = 100'000'000;
constexpr std::int64_t e9 = 1'000'000'000;

}  // namespace

TEST_CASE("summaries agree with the mpmath reference", "[reports][statistics]") {
  const std::vector<histogram> cases = {
      {0, 0, 0, 0, 0},  // nothing: mean 0, no intervals
      {0, 0, 1, 0, 0},  // n = 1: no spread, so no ci95; Wilson still has one
      {1, 0, 0, 0, 0},
      {0, 0, 0, 0, 1},
      {1, 0, 0, 0, 1},  // n = 2, t(0.975, 1) = 12.7: clamped at both ends
      {0, 0, 0, 1, 1},
      {0, 0, 2, 0, 0},   // n = 2, all equal: sd 0, ci95 [3, 3]
      {0, 0, 0, 7, 0},   // all equal
      {12, 0, 0, 0, 0},  // all 1s: ci95 [1, 1], csat 0, Wilson low exactly 0
      {0, 0, 0, 0, 12},  // all 5s: ci95 [5, 5], csat 1, Wilson high exactly 1
      {0, 0, 0, 1, 4},   // raw t interval above 5: clamped high
      {3, 0, 0, 0, 1},   // raw t interval below 1: clamped low
      {1, 0, 0, 0, 2},
      {1, 1, 1, 1, 1},
      {0, 1, 3, 8, 6},
      {2, 3, 5, 11, 19},
      {4, 9, 17, 40, 30},
      {e8, e8, e8, e8, e8},                  // 5 * 10^8 responses
      {e8, 2 * e8, 2 * e8, 3 * e8, 2 * e8},  // 10^9 responses
      // Nearly equal ratings, where the textbook (sum(x^2) - n mean^2) / (n - 1) cancels:
      // its sd is off by 3.5e-9 (relative) for the first, 1.9e-6 for the last.
      {7, 0, 0, 0, e9},
      {1, 0, 0, 0, e9 - 1},
      {0, 0, 0, 1, e9 - 1},
      {1, 0, 0, e9 - 1, 0},
      {1, 0, 0, 0, 12'345'678'901},
  };
  const json reference = reference_figures(cases);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto s = rep::summarize(cases[i]);
    const json& r = reference[i];
    INFO("histogram " << histogram_arg(cases[i]) << ", reference " << r.dump());
    CHECK(s.counts == cases[i]);
    CHECK(s.n == r.at("n").get<std::int64_t>());
    CHECK(close(s.mean, r.at("mean").get<double>()));
    CHECK(close(s.sd, r.at("sd").get<double>()));
    CHECK(close(s.csat, r.at("csat").get<double>()));
    check_interval(s.ci95, r.at("ci95"));
    check_interval(s.csat_ci95, r.at("csat_ci95"));
  }
}

TEST_CASE("the extremes are exact, not merely close", "[reports][statistics]") {
  SECTION("all equal ratings have sd 0 and a point interval") {
    const auto s = rep::summarize({0, 0, 0, 9, 0});
    CHECK(s.mean == 4.0);
    CHECK(s.sd == 0.0);
    REQUIRE(s.ci95);
    CHECK(s.ci95->low == 4.0);
    CHECK(s.ci95->high == 4.0);
  }
  SECTION("Wilson's bounds touch 0 and 1 exactly") {
    const auto none = rep::summarize({3, 4, 5, 0, 0});
    REQUIRE(none.csat_ci95);
    CHECK(none.csat_ci95->low == 0.0);
    CHECK(none.csat_ci95->high < 1.0);
    const auto all = rep::summarize({0, 0, 0, 4, 5});
    REQUIRE(all.csat_ci95);
    CHECK(all.csat_ci95->high == 1.0);
    CHECK(all.csat_ci95->low > 0.0);
  }
  SECTION("no ratings") {
    const auto s = rep::summarize({0, 0, 0, 0, 0});
    CHECK(s.n == 0);
    CHECK(s.mean == 0.0);
    CHECK(s.csat == 0.0);
    CHECK_FALSE(s.ci95);
    CHECK_FALSE(s.csat_ci95);
  }
}

TEST_CASE("a mean is above or below the standard only when its whole interval is",
          "[reports][statistics]") {
  using rep::standing;
  const auto [low, high, expected] = GENERATE(table<double, double, standing>({
      {4.01, 4.5, standing::above},
      {4.0, 4.5, standing::meets},  // touching the standard is meeting it
      {3.5, 4.5, standing::meets},
      {3.5, 4.0, standing::meets},
      {3.5, 3.99, standing::below},
      {4.0, 4.0, standing::meets},
      {5.0, 5.0, standing::above},
      {1.0, 1.0, standing::below},
  }));
  INFO("[" << low << ", " << high << "]");
  CHECK(rep::compare_to_standard(rep::interval{low, high}, 4.0) == expected);
}

TEST_CASE("without an interval nothing is known, so the standard is met", "[reports][statistics]") {
  CHECK(rep::compare_to_standard(std::nullopt, 4.0) == rep::standing::meets);
  // One rating of 1 says little: no interval, so no "below".
  CHECK(rep::compare_to_standard(rep::summarize({1, 0, 0, 0, 0}).ci95, 4.0) ==
        rep::standing::meets);
}

TEST_CASE("standings are spelled as on the wire", "[reports][statistics]") {
  CHECK(rep::to_string(rep::standing::above) == "above");
  CHECK(rep::to_string(rep::standing::meets) == "meets");
  CHECK(rep::to_string(rep::standing::below) == "below");
}

TEST_CASE("the shrunk mean weighs the prior as m more ratings", "[reports][statistics]") {
  CHECK(rep::shrunk_mean(0, 0.0, 3.7, 10) == 3.7);  // no ratings: the prior, exactly
  CHECK(rep::shrunk_mean(0, 0.0, 3.7, 0) == 3.7);   // and no 0 / 0
  CHECK(rep::shrunk_mean(2, 5.0, 4.0, 10) == Approx(50.0 / 12));
  CHECK(rep::shrunk_mean(10, 5.0, 4.0, 10) == Approx(4.5));
  CHECK(rep::shrunk_mean(7, 4.2, 3.0, 0) == Approx(4.2));  // no prior weight: the mean
  // Ranking: a perfect 5 from 2 ratings no longer beats 4.8 from 200.
  CHECK(rep::shrunk_mean(2, 5.0, 4.0, 10) < rep::shrunk_mean(200, 4.8, 4.0, 10));
}

TEST_CASE("the standard is set per dimension, with a default", "[reports][statistics]") {
  rep::statistics_settings settings;
  CHECK(settings.default_standard == 4.0);
  CHECK(settings.prior_weight == 10);
  CHECK(settings.standard_for("courtesy") == 4.0);
  settings.standard_by_dimension["timeliness"] = 3.5;
  settings.default_standard = 4.2;
  CHECK(settings.standard_for("timeliness") == 3.5);
  CHECK(settings.standard_for("courtesy") == 4.2);
  CHECK(settings.standard_for("") == 4.2);
}

// --- Simulation: staff whose true mean is known -------------------------------------

namespace {

// A distribution of ratings 1..5 as integer weights, so that its mean is exact.
struct shape {
  const char* name;
  std::array<int, 5> weights;
};

// Whether the shape's mean is exactly tenths / 10.
constexpr bool has_mean(const shape& s, int tenths) {
  int total = 0;
  int weighted = 0;
  for (std::size_t i = 0; i < s.weights.size(); ++i) {
    total += s.weights[i];
    weighted += s.weights[i] * static_cast<int>(i + 1);
  }
  return 10 * weighted == tenths * total;
}

// Staff whose true mean is the standard, 4.0.
constexpr shape typical{"typical: 5 % 2s, 20 % 3s, 45 % 4s, 30 % 5s", {0, 5, 20, 45, 30}};
constexpr shape mostly_fours{"mostly 4s: 10 % 3s, 80 % 4s, 10 % 5s", {0, 0, 1, 8, 1}};
constexpr shape symmetric{"symmetric: 25 % 3s, 50 % 4s, 25 % 5s", {0, 0, 1, 2, 1}};
constexpr shape long_tail{"long tail: 5 % 1s, 5 % 2s, 15 % 3s, 35 % 4s, 40 % 5s",
                          {5, 5, 15, 35, 40}};
constexpr shape with_ones{"with 1s: 2 % 1s, 3 % 2s, 10 % 3s, 63 % 4s, 22 % 5s", {2, 3, 10, 63, 22}};
static_assert(has_mean(typical, 40) && has_mean(mostly_fours, 40) && has_mean(symmetric, 40) &&
              has_mean(long_tail, 40) && has_mean(with_ones, 40));
// Staff clearly off it.
constexpr shape poor{"10 % 1s, 20 % 2s, 40 % 3s, 20 % 4s, 10 % 5s", {10, 20, 40, 20, 10}};
constexpr shape excellent{"5 % 3s, 30 % 4s, 65 % 5s", {0, 0, 5, 30, 65}};
static_assert(has_mean(poor, 30) && has_mean(excellent, 46));

// Draws the counts of n ratings: a multinomial draw as a chain of binomials, exact and
// independent of n in cost.
histogram draw(std::mt19937_64& rng, const shape& s, std::int64_t n) {
  histogram h{};
  std::int64_t left = n;
  int weight_left = 0;
  for (int w : s.weights)
    weight_left += w;
  for (std::size_t i = 0; i + 1 < h.size() && left > 0; ++i) {
    const double p = std::min(1.0, static_cast<double>(s.weights[i]) / weight_left);
    h[i] = std::binomial_distribution<std::int64_t>(left, p)(rng);
    left -= h[i];
    weight_left -= s.weights[i];
  }
  h[4] += left;
  return h;
}

struct flag_rates {
  double above = 0;
  double below = 0;
  double flagged() const { return above + below; }
};

// The shares of `trials` staff with n ratings of the shape that compare above or below
// the standard.
flag_rates simulate(std::mt19937_64& rng, const shape& s, std::int64_t n, int trials,
                    double standard) {
  // summarize is pure, so its verdict per histogram can be kept: small n repeat the same
  // few histograms, and Boost's t quantile costs ~12 us in a debug build.
  std::map<histogram, rep::standing> verdicts;
  int above = 0;
  int below = 0;
  for (int t = 0; t < trials; ++t) {
    const auto h = draw(rng, s, n);
    auto it = verdicts.find(h);
    if (it == verdicts.end())
      it = verdicts.emplace(h, rep::compare_to_standard(rep::summarize(h).ci95, standard)).first;
    above += it->second == rep::standing::above;
    below += it->second == rep::standing::below;
  }
  return {static_cast<double>(above) / trials, static_cast<double>(below) / trials};
}

constexpr double standard = 4.0;
constexpr int trials = 4000;
// A 95 % interval misses the true mean 5 % of the time; with 4000 trials the observed
// share has a standard error of sqrt(0.05 * 0.95 / 4000) = 0.0034, so 0.06 is three
// standard errors above the nominal rate.
constexpr double max_false_flags = 0.06;

}  // namespace

TEST_CASE("staff whose true mean is the standard are seldom flagged",
          "[reports][statistics][simulation]") {
  const shape s = GENERATE(values({typical, mostly_fours, symmetric}));
  std::mt19937_64 rng(20240611);
  for (std::int64_t n : {5, 10, 30, 100, 500}) {
    const auto r = simulate(rng, s, n, trials, standard);
    INFO(s.name << ", n = " << n << ": above " << r.above << ", below " << r.below);
    CHECK(r.flagged() <= max_false_flags);
  }
}

TEST_CASE("staff clearly off the standard are flagged", "[reports][statistics][simulation]") {
  std::mt19937_64 rng(20240612);
  SECTION("a true mean of 3.0 at n = 100 is below") {
    const auto r = simulate(rng, poor, 100, 1000, standard);
    INFO("above " << r.above << ", below " << r.below);
    CHECK(r.below >= 0.99);
  }
  SECTION("a true mean of 4.6 at n = 100 is above") {
    const auto r = simulate(rng, excellent, 100, 1000, standard);
    INFO("above " << r.above << ", below " << r.below);
    CHECK(r.above >= 0.99);
  }
}

// Known limitation of the t interval that DESIGN.md prescribes: for left-skewed
// (J-shaped) ratings, common in satisfaction surveys, the sample mean and sd move
// together (a sample of mostly 5s has a small sd), so at 10 to 30 ratings the interval
// lies wholly above a standard the staff only meets about twice as often as the
// nominal 2.5 %. Marked [!shouldfail]: it passes while the limitation stands and fails
// as a reminder to drop the tag once the method is changed.
TEST_CASE("skewed ratings whose true mean is the standard are seldom flagged above",
          "[reports][statistics][simulation][!shouldfail]") {
  const shape s = GENERATE(values({long_tail, with_ones}));
  std::mt19937_64 rng(20240613);
  for (std::int64_t n : {10, 30}) {
    const auto r = simulate(rng, s, n, trials, standard);
    INFO(s.name << ", n = " << n << ": above " << r.above << ", below " << r.below);
    CHECK(r.flagged() <= max_false_flags);
    CHECK(r.above <= 0.025 + 0.01);
  }
}
