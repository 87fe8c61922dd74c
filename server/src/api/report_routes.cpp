#include <fmt/format.h>

#include "../http/server_context.hpp"
#include "api_support.hpp"
#include "report_query.hpp"

#include "hrs/reports/comments.hpp"
#include "hrs/reports/csv.hpp"
#include "hrs/reports/json.hpp"

namespace hrs::server {

namespace {

using json = nlohmann::json;

// Reads from/to/survey/team; a lead token scoped to a team is held to that team.
engine::result<reports::report_query> read_query(const request_context& ctx) {
  return parse_report_query(ctx.target.params(), ctx.server.config.reports.base_query(),
                            engine::day_of(ctx.server.store->now()),
                            ctx.caller ? ctx.caller->team : std::nullopt);
}

void all_staff(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto cards = reports::staff_scorecards(*ctx.server.store, *query, query_param(ctx, "sort"));
  if (!cards) return reply_error(respond, cards.error());
  reply(respond, http::status::ok, reports::scorecards_json(*cards, *query));
}

void one_staff(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto bucket = parse_trend_bucket(ctx.target.params());
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

void comments(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  query->staff = ctx.params[0];
  auto limit = parse_count(ctx.target.params(), "limit", 50, 200);
  if (!limit) return reply_error(respond, limit.error());
  auto offset = parse_count(ctx.target.params(), "offset", 0, 1'000'000);
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
