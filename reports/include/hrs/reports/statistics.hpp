#pragma once

// The figures of one dimension's 1..5 ratings, computed from the five counts alone (see
// DESIGN.md, "Reports: the statistics"). Pure functions of values: no store, no I/O,
// safe to call from any thread.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hrs/engine/aggregates.hpp"

namespace hrs::reports {

// A closed interval [low, high].
struct interval {
  double low = 0;
  double high = 0;
};

// What a scorecard shows of a set of ratings, before the anonymity threshold is applied
// (that is the caller's job: these figures are exact whatever n is).
struct rating_summary {
  std::int64_t n = 0;
  double mean = 0;  // 0 when n == 0
  double sd = 0;    // sample standard deviation (divisor n - 1); 0 when n < 2
  // mean +/- t(0.975, n-1) * sd / sqrt(n), clamped to [1, 5]; absent when n < 2, where
  // there is no estimate of the spread.
  std::optional<interval> ci95;
  double csat = 0;  // share of 4s and 5s, in 0..1; 0 when n == 0
  // Wilson score interval of csat at 95 %, within [0, 1]; absent when n == 0.
  std::optional<interval> csat_ci95;
  engine::histogram counts{};
};

// Returns the summary of the ratings counted in `counts` (counts[0] the 1s ... counts[4]
// the 5s). Counts must be non-negative. Exact to a few ulps for any n that fits in
// int64, e.g. 10^9 responses.
[[nodiscard]] rating_summary summarize(const engine::histogram& counts);

// How a mean compares to the standard set for its dimension. Enumerators match the
// wire strings.
enum class standing { above, meets, below };

// Returns `above` when the whole interval lies above the standard (low > standard),
// `below` when it lies below (high < standard), else `meets`. Without an interval
// (fewer than 2 ratings) nothing is known, so `meets`. Touching the standard is `meets`.
[[nodiscard]] standing compare_to_standard(const std::optional<interval>& ci95, double standard);

// Returns "above", "meets" or "below".
[[nodiscard]] std::string_view to_string(standing s);

// Returns (n * mean + prior_weight * prior_mean) / (n + prior_weight): the mean pulled
// towards the prior (the department's mean) as if `prior_weight` more ratings at the
// prior mean had been given, so that a 5.0 from 2 ratings does not outrank a 4.8 from
// 200. Returns `prior_mean` when there is nothing to weigh (n + prior_weight <= 0).
// prior_weight must be >= 0.
[[nodiscard]] double shrunk_mean(std::int64_t n, double mean, double prior_mean,
                                 double prior_weight);

// The report settings the statistics need.
struct statistics_settings {
  double default_standard = 4.0;  // for dimensions without an entry below
  // Per dimension id, e.g. {"timeliness", 3.5}. std::less<> finds by string_view.
  std::map<std::string, double, std::less<>> standard_by_dimension;
  double prior_weight = 10;  // m of shrunk_mean, in ratings

  // Returns the standard of `dimension`: its own entry, else the default.
  [[nodiscard]] double standard_for(std::string_view dimension) const;
};

}  // namespace hrs::reports
