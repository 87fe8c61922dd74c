#include <fmt/format.h>

#include <charconv>
#include "../http/server_context.hpp"
#include "api_support.hpp"

#include "hrs/reports/comments.hpp"
#include "hrs/reports/csv.hpp"
#include "hrs/reports/scorecards.hpp"

namespace hrs::server {

namespace {

using json = nlohmann::json;

constexpr engine::day_number default_period_days = 90;

// Reads from/to/survey/team; a lead token scoped to a team is held to that team.
engine::result<reports::report_query> read_query(const request_context& ctx) {
  std::vector<engine::detail> problems;
  reports::report_query query;
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

json figures_json(const reports::dimension_figures& f) {
  if (f.suppressed)
    return {{"n", nullptr}, {"mean", nullptr}, {"histogram", nullptr}, {"suppressed", true}};
  return {{"n", f.n}, {"mean", f.mean}, {"histogram", f.counts}, {"suppressed", false}};
}

json card_json(const reports::staff_scorecard& card) {
  json dimensions = json::object();
  for (const auto& [name, f] : card.dimensions)
    dimensions[name] = figures_json(f);
  return {{"id", card.member.id},
          {"name", card.member.name},
          {"team", card.member.team},
          {"dimensions", dimensions}};
}

json period_json(const reports::report_query& q) {
  return {{"from", engine::format_date(q.from)},
          {"to", engine::format_date(q.to)},
          {"anonymity_threshold", q.anonymity_threshold}};
}

void all_staff(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto cards = reports::staff_scorecards(*ctx.server.store, *query);
  if (!cards) return reply_error(respond, cards.error());
  json out = period_json(*query);
  out["staff"] = json::array();
  for (const auto& card : *cards)
    out["staff"].push_back(card_json(card));
  reply(respond, http::status::ok, out);
}

void one_staff(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  query->staff = ctx.params[0];
  auto cards = reports::staff_scorecards(*ctx.server.store, *query);
  if (!cards) return reply_error(respond, cards.error());
  if (cards->empty())
    return reply_error(
        respond,
        {engine::errc::not_found, "no such staff member in the reports you may read", {}, {}});
  json out = card_json(cards->front());
  out.update(period_json(*query));
  reply(respond, http::status::ok, out);
}

void overview(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto figures = reports::department_figures(*ctx.server.store, *query);
  if (!figures) return reply_error(respond, figures.error());
  json out = period_json(*query);
  out["dimensions"] = json::object();
  for (const auto& [name, f] : *figures)
    out["dimensions"][name] = figures_json(f);
  reply(respond, http::status::ok, out);
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
  json list = json::array();
  for (const auto& c : found->comments)
    list.push_back({{"question", c.question},
                    {"text", c.text},
                    {"locale", c.locale},
                    {"date", engine::format_date(engine::day_of(c.received_at))}});
  json out = period_json(*query);
  out["staff"] = ctx.params[0];
  out["suppressed"] = found->suppressed;
  out["limit"] = *limit;
  out["offset"] = *offset;
  out["comments"] = std::move(list);
  reply(respond, http::status::ok, out);
}

void staff_csv(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto cards = reports::staff_scorecards(*ctx.server.store, *query);
  if (!cards) return reply_error(respond, cards.error());
  response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/csv; charset=utf-8; header=present");
  res.set(http::field::content_disposition,
          fmt::format("attachment; filename=\"staff-{}-{}.csv\"", engine::format_date(query->from),
                      engine::format_date(query->to)));
  res.body() = reports::scorecards_csv(*cards, query->anonymity_threshold);
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
