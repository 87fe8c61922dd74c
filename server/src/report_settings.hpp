#pragma once

#include <string>
#include <vector>

#include "hrs/reports/query.hpp"

namespace CLI {
class App;
}

namespace hrs::server {

// How reports judge and protect: set by `serve` and `report` alike, from flags,
// HRSURVEY_* variables or the config file.
struct report_settings {
  int anonymity_threshold = reports::default_anonymity_threshold;
  double default_standard = 4.0;
  // "dimension=value", e.g. "timeliness=3.5"; beside `expectations_standard`.
  std::vector<std::string> standards;
  double prior_weight = 10;

  // The shipped template's `expectations` asks how the service compared with what was
  // expected, 3 meaning "as expected": that is its standard unless --standard-for says.
  static constexpr double expectations_standard = 3.0;

  // A query of the settings, for the period and filters to be filled in.
  [[nodiscard]] reports::report_query base_query() const;
};

// Adds --anonymity-threshold, --standard, --standard-for and --prior-weight to `cmd`.
void add_report_settings_options(CLI::App& cmd, report_settings& settings);

}  // namespace hrs::server
