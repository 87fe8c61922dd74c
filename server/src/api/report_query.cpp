#include "report_query.hpp"

#include <fmt/format.h>

#include <charconv>
#include <utility>
#include <vector>

namespace hrs::server {

namespace {

constexpr engine::day_number default_period_days = 90;
// Longer periods are refused: a trend by week over them would be thousands of points.
constexpr engine::day_number longest_period_days = 3660;

}  // namespace

std::optional<std::string> param_value(const boost::urls::params_view& params,
                                       std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

engine::result<reports::report_query> parse_report_query(
    const boost::urls::params_view& params, reports::report_query base, engine::day_number today,
    const std::optional<std::string>& caller_team) {
  std::vector<engine::detail> problems;
  reports::report_query query = std::move(base);
  query.to = today;
  query.from = today - (default_period_days - 1);
  for (auto [name, field] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
    if (auto text = param_value(params, name)) {
      if (auto day = engine::parse_date(*text))
        *field = *day;
      else
        problems.push_back({name, "expected a date YYYY-MM-DD"});
    }
  }
  if (problems.empty() && query.from > query.to)
    problems.push_back({"from", "must not be after to"});
  if (problems.empty() && query.to - query.from >= longest_period_days)
    problems.push_back({"from", fmt::format("a period is at most {} days", longest_period_days)});
  if (auto survey = param_value(params, "survey")) query.survey = *survey;
  if (auto team = param_value(params, "team")) query.team = *team;
  if (caller_team) {
    if (query.team && *query.team != *caller_team)
      return engine::fail(engine::errc::forbidden,
                          "this token may only read its own team's reports");
    query.team = caller_team;
  }
  if (!problems.empty())
    return engine::fail(engine::errc::validation_failed, "the query is invalid",
                        std::move(problems));
  return query;
}

engine::result<reports::trend_bucket> parse_trend_bucket(const boost::urls::params_view& params) {
  const auto text = param_value(params, "bucket").value_or("month");
  if (text == "month") return reports::trend_bucket::month;
  if (text == "week") return reports::trend_bucket::week;
  return engine::fail(engine::errc::validation_failed, "the query is invalid",
                      {{"bucket", "expected week or month"}});
}

engine::result<std::size_t> parse_count(const boost::urls::params_view& params,
                                        std::string_view name, std::size_t fallback,
                                        std::size_t max) {
  auto text = param_value(params, name);
  if (!text) return fallback;
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value > max)
    return engine::fail(
        engine::errc::validation_failed, "the query is invalid",
        {{std::string(name), fmt::format("expected an integer from 0 to {}", max)}});
  return value;
}

}  // namespace hrs::server
