#include <fmt/format.h>

#include <charconv>
#include "../http/server_context.hpp"
#include "api_support.hpp"

#include "hrs/reports/comments.hpp"
#include "hrs/reports/csv.hpp"
#include "hrs/reports/json.hpp"

namespace hrs::server {

namespace {

using json = nlohmann::json;

constexpr engine::day_number default_period_days = 90;
// Longer periods are refused: a trend by week over them would be thousands of points.
constexpr engine::day_number longest_period_days = 3660;

// Reads from/to/survey/team; a lead token scoped to a team is held to that team.
engine::result<reports::report_query> read_query(const request_context& ctx) {
  std::vector<engine::detail> problems;
  reports::report_query query = ctx.server.config.reports.base_query();
  const auto today = engine::day_of(ctx.server.store->now());
  query.to = today;
  query.from = today - (default_period_days - 1);
  for (auto [name, field] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
    if (auto text = query_param(ctx, name)) {
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
  if (auto survey = query_param(ctx, "survey")) query.survey = *survey;
  if (auto team = query_param(ctx, "team")) query.team = *team;
  if (ctx.caller && ctx.caller->team) {
    if (query.team && *query.team != *ctx.caller->team)
      return engine::fail(engine::errc::forbidden,
                          "this token may only read its own team's reports");
    query.team = ctx.caller->team;
  }
  if (!problems.empty())
    return engine::fail(engine::errc::validation_failed, "the query is invalid",
                        std::move(problems));
  return query;
}

void all_staff(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto cards = reports::staff_scorecards(*ctx.server.store, *query, query_param(ctx, "sort"));
  if (!cards) return reply_error(respond, cards.error());
  reply(respond, http::status::ok, reports::scorecards_json(*cards, *query));
}

engine::result<reports::trend_bucket> read_bucket(const request_context& ctx) {
  const auto text = query_param(ctx, "bucket").value_or("month");
  if (text == "month") return reports::trend_bucket::month;
  if (text == "week") return reports::trend_bucket::week;
  return engine::fail(engine::errc::validation_failed, "the query is invalid",
                      {{"bucket", "expected week or month"}});
}

void one_staff(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto bucket = read_bucket(ctx);
  if (!bucket) return reply_error(respond, bucket.error());
  query->staff = ctx.params[0];
  auto report = reports::staff_detail(*ctx.server.store, *query, *bucket);
  if (!report) return reply_error(respond, report.error());
  reply(respond, http::status::ok, reports::staff_report_json(*report, *query, *bucket));
}

void overview(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto result = reports::department_overview(*ctx.server.store, *query);
  if (!result) return reply_error(respond, result.error());
  reply(respond, http::status::ok, reports::overview_json(*result, *query));
}

// Reads a non-negative integer query parameter no larger than `max`.
engine::result<std::size_t> count_param(const request_context& ctx, const char* name,
                                        std::size_t fallback, std::size_t max) {
  auto text = query_param(ctx, name);
  if (!text) return fallback;
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value > max)
    return engine::fail(engine::errc::validation_failed, "the query is invalid",
                        {{name, fmt::format("expected an integer from 0 to {}", max)}});
  return value;
}

void comments(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  query->staff = ctx.params[0];
  auto limit = count_param(ctx, "limit", 50, 200);
  if (!limit) return reply_error(respond, limit.error());
  auto offset = count_param(ctx, "offset", 0, 1'000'000);
  if (!offset) return reply_error(respond, offset.error());
  auto found = reports::comments_for(*ctx.server.store, *query, *limit, *offset);
  if (!found) return reply_error(respond, found.error());
  reply(respond, http::status::ok, reports::comments_json(*found, *query, *limit, *offset));
}

void staff_csv(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto cards = reports::staff_scorecards(*ctx.server.store, *query, query_param(ctx, "sort"));
  if (!cards) return reply_error(respond, cards.error());
  response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/csv; charset=utf-8; header=present");
  res.set(http::field::content_disposition,
          fmt::format("attachment; filename=\"staff-{}-{}.csv\"", engine::format_date(query->from),
                      engine::format_date(query->to)));
  reports::write_scorecards_csv(cards->staff, query->threshold(),
                                [&](std::string_view piece) { res.body() += piece; });
  respond(std::move(res));
}

}  // namespace

void add_report_routes(router& routes) {
  const auto readers = access::for_roles({engine::role::lead, engine::role::admin});
  routes.add(http::verb::get, "/api/v1/reports/staff", readers, all_staff);
  routes.add(http::verb::get, "/api/v1/reports/staff/{id}", readers, one_staff);
  routes.add(http::verb::get, "/api/v1/reports/overview", readers, overview);
  routes.add(http::verb::get, "/api/v1/reports/staff/{id}/comments", readers, comments);
  routes.add(http::verb::get, "/api/v1/reports/staff.csv", readers, staff_csv);
}

}  // namespace hrs::server
