#include "hrs/reports/statistics.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace hrs::reports {

namespace {

constexpr double lowest_rating = 1.0;
constexpr double highest_rating = 5.0;

// The 0.975 quantile of the standard normal, 1.959963984540054: the half-width factor of
// a two-sided 95 % interval.
double z975() {
  static const double z = boost::math::quantile(boost::math::normal_distribution<double>{}, 0.975);
  return z;
}

// The same for Student's t with the given degrees of freedom (12.71 at 1, 2.26 at 9),
// which allows for the sd being estimated from the same few ratings.
double t975(std::int64_t degrees_of_freedom) {
  return boost::math::quantile(
      boost::math::students_t_distribution<double>{static_cast<double>(degrees_of_freedom)}, 0.975);
}

// The sample variance as the mean squared difference over all pairs of ratings:
// s^2 = sum_{i<j} c_i c_j (i - j)^2 / (n (n - 1)). Every term is non-negative, so
// nothing cancels: the relative error stays a few ulps for any n. The textbook
// (sum(x^2) - n mean^2) / (n - 1) cancels when nearly all ratings are equal: with one
// differing rating in 10^10 it keeps about 6 of the variance's 16 digits. All-equal
// ratings give exactly 0.
double sample_variance(const engine::histogram& c, std::int64_t n) {
  double pairs = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    for (std::size_t j = i + 1; j < c.size(); ++j) {
      const auto d = static_cast<double>(j - i);
      pairs += static_cast<double>(c[i]) * static_cast<double>(c[j]) * d * d;
    }
  }
  const auto nd = static_cast<double>(n);
  return pairs / (nd * (nd - 1));
}

// The Wilson score interval of `hits` successes in n trials (n >= 1), at the normal
// quantile z. Unlike the Wald interval p +/- z sqrt(pq/n) it stays inside [0, 1] and
// keeps a width at 0 or n hits, which is where small teams' csat often sits.
interval wilson(std::int64_t hits, std::int64_t n, double z) {
  const auto nd = static_cast<double>(n);
  // Both shares from the counts: 1 - p would lose the digits of a small miss share.
  const double p = static_cast<double>(hits) / nd;
  const double q = static_cast<double>(n - hits) / nd;
  const double z2 = z * z;
  const double denominator = 1 + z2 / nd;
  const double centre = (p + z2 / (2 * nd)) / denominator;
  const double half = z / denominator * std::sqrt(p * q / nd + z2 / (4 * nd * nd));
  // At 0 or n hits the exact bound is 0 or 1, which rounding could miss by an ulp.
  return {hits == 0 ? 0.0 : std::clamp(centre - half, 0.0, 1.0),
          hits == n ? 1.0 : std::clamp(centre + half, 0.0, 1.0)};
}

}  // namespace

rating_summary summarize(const engine::histogram& counts) {
  rating_summary r;
  r.counts = counts;
  double weighted = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    r.n += counts[i];
    weighted += static_cast<double>(counts[i]) * static_cast<double>(i + 1);
  }
  if (r.n == 0) return r;

  const auto nd = static_cast<double>(r.n);
  // The clamp only matters beyond 2^53 ratings, where rounding could step past 5.
  r.mean = std::clamp(weighted / nd, lowest_rating, highest_rating);
  const std::int64_t satisfied = counts[3] + counts[4];
  r.csat = static_cast<double>(satisfied) / nd;
  r.csat_ci95 = wilson(satisfied, r.n, z975());
  if (r.n < 2) return r;

  r.sd = std::sqrt(sample_variance(counts, r.n));
  const double half = t975(r.n - 1) * r.sd / std::sqrt(nd);
  // No mean of 1..5 ratings lies outside [1, 5], so neither does a useful bound; the
  // mean itself is inside, so the clamped interval is never empty.
  r.ci95 =
      interval{std::max(r.mean - half, lowest_rating), std::min(r.mean + half, highest_rating)};
  return r;
}

standing compare_to_standard(const std::optional<interval>& ci95, double standard) {
  if (!ci95) return standing::meets;
  if (ci95->low > standard) return standing::above;
  if (ci95->high < standard) return standing::below;
  return standing::meets;
}

std::string_view to_string(standing s) {
  switch (s) {
    case standing::above:
      return "above";
    case standing::meets:
      return "meets";
    case standing::below:
      return "below";
  }
  return "meets";  // unreachable for valid enumerators; keeps -Wreturn-type quiet
}

double shrunk_mean(std::int64_t n, double mean, double prior_mean, double prior_weight) {
  const double weight = static_cast<double>(n) + prior_weight;
  // Exactly the prior with no ratings (m * mu / m may round), and no 0 / 0.
  if (n == 0 || weight <= 0) return prior_mean;
  return (static_cast<double>(n) * mean + prior_weight * prior_mean) / weight;
}

double statistics_settings::standard_for(std::string_view dimension) const {
  const auto it = standard_by_dimension.find(dimension);
  return it == standard_by_dimension.end() ? default_standard : it->second;
}

}  // namespace hrs::reports
