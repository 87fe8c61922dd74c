#pragma once

#include <boost/url/params_view.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "hrs/engine/error.hpp"
#include "hrs/engine/time.hpp"
#include "hrs/reports/query.hpp"
#include "hrs/reports/staff_report.hpp"

namespace hrs::server {

// The decoded value of the first query parameter called `name`, if present.
std::optional<std::string> param_value(const boost::urls::params_view& params,
                                       std::string_view name);

// Reads from/to/survey/team from a report's query string into `base` (the configured
// settings). The period defaults to the 90 days ending `today`; a lead token scoped to
// `caller_team` is held to that team (errc::forbidden for another one). Pure: no store,
// no clock, so that it can be tested and fuzzed alone.
[[nodiscard]] engine::result<reports::report_query> parse_report_query(
    const boost::urls::params_view& params, reports::report_query base, engine::day_number today,
    const std::optional<std::string>& caller_team);

// Reads `bucket` (week or month; month when absent).
[[nodiscard]] engine::result<reports::trend_bucket> parse_trend_bucket(
    const boost::urls::params_view& params);

// Reads a non-negative integer parameter no larger than `max`; `fallback` when absent.
[[nodiscard]] engine::result<std::size_t> parse_count(const boost::urls::params_view& params,
                                                      std::string_view name, std::size_t fallback,
                                                      std::size_t max);

}  // namespace hrs::server
