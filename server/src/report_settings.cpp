#include "report_settings.hpp"

#include <CLI/CLI.hpp>

#include <charconv>

namespace hrs::server {

namespace {

// Splits "dimension=value" with a value a standard can take (1 to 5).
std::optional<std::pair<std::string, double>> parse_standard(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return std::nullopt;
  double value = 0;
  const char* first = text.data() + eq + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc{} || end != last || value < 1 || value > 5) return std::nullopt;
  return std::pair{text.substr(0, eq), value};
}

}  // namespace

reports::report_query report_settings::base_query() const {
  reports::report_query query;
  query.anonymity_threshold = anonymity_threshold;
  query.statistics.default_standard = default_standard;
  query.statistics.prior_weight = prior_weight;
  query.statistics.standard_by_dimension.insert_or_assign("expectations", expectations_standard);
  for (const auto& text : standards)
    if (auto parsed = parse_standard(text))
      query.statistics.standard_by_dimension.insert_or_assign(parsed->first, parsed->second);
  return query;
}

void add_report_settings_options(CLI::App& cmd, report_settings& settings) {
  cmd.add_option("--anonymity-threshold", settings.anonymity_threshold,
                 "fewest responses a figure or comment may rest on (at least 3)")
      ->envname("HRSURVEY_ANONYMITY_THRESHOLD")
      ->check(CLI::Range(reports::minimum_anonymity_threshold, 1000))
      ->capture_default_str();
  cmd.add_option("--standard", settings.default_standard,
                 "expected mean of every dimension without its own standard (1 to 5)")
      ->envname("HRSURVEY_STANDARD")
      ->check(CLI::Range(1.0, 5.0))
      ->capture_default_str();
  cmd.add_option("--standard-for", settings.standards,
                 "DIMENSION=VALUE: the standard of one dimension; repeat for several")
      ->envname("HRSURVEY_STANDARD_FOR")
      ->check(CLI::Validator(
          [](std::string& text) {
            return parse_standard(text) ? std::string()
                                        : "expected DIMENSION=VALUE with VALUE from 1 to 5";
          },
          "DIMENSION=VALUE"));
  cmd.add_option("--prior-weight", settings.prior_weight,
                 "ratings' worth of the department mean in the shrunk mean")
      ->envname("HRSURVEY_PRIOR_WEIGHT")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
}

}  // namespace hrs::server
