// The HR leads' pages: sign-in with an access token, the department overview and one
// staff member's scorecard. Every figure comes from hrs::reports; these handlers read
// the query, check the session and hand the reports' results to dashboard_view.

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <set>
#include <variant>

#include "../api/api_support.hpp"
#include "../http/server_context.hpp"
#include "dashboard_view.hpp"
#include "form_body.hpp"
#include "hrs/engine/roster.hpp"
#include "html_response.hpp"
#include "page_renderer.hpp"
#include "signed_in_pages.hpp"
#include "web_routes.hpp"
#include "web_sessions.hpp"

namespace hrs::server::web {

namespace {

using json = nlohmann::json;

constexpr engine::day_number default_period_days = 90;
constexpr engine::day_number longest_period_days = 3660;

bool secure_site(const server_context& server) {
  return server.base_url.starts_with("https://");
}

std::string cookie_attributes(const server_context& server) {
  return fmt::format("; HttpOnly; SameSite=Strict; Path=/{}",
                     secure_site(server) ? "; Secure" : "");
}

// `user`: the signed-in user, for the navigation; nullptr: none.
response dashboard_page(http::status status, std::string title, std::string body, json values,
                        const signed_in* user = nullptr) {
  return signed_in_page(status, std::move(title), std::move(body), std::move(values),
                        user ? user->session.csrf : std::string{}, user && user->is_admin());
}

response dashboard_message(http::status status, std::string heading, std::string text,
                           const signed_in* user = nullptr) {
  return signed_in_message(status, std::move(heading), std::move(text),
                           user ? user->session.csrf : std::string{}, user && user->is_admin());
}

response login_page(http::status status, std::string error = {}) {
  json values = {{"has_error", !error.empty()}, {"error", std::move(error)}};
  return dashboard_page(status, "Sign in", "dashboard_login", std::move(values));
}

// The signed-in user of a dashboard page, or the response to send instead.
std::variant<signed_in, response> require_session(request_context& ctx, session_store& sessions) {
  return web::require_session(ctx, sessions, {engine::role::lead, engine::role::admin},
                              "Only lead and admin tokens may use the dashboard.");
}

// A non-negative integer query parameter; `fallback` when absent, nullopt when invalid.
std::optional<std::size_t> count_param(const request_context& ctx, const char* name,
                                       std::size_t fallback, std::size_t max) {
  auto text = query_param(ctx, name);
  if (!text || text->empty()) return fallback;
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value > max) return std::nullopt;
  return value;
}

// Reads from, to, team, survey, sort, bucket and page. A team-scoped lead is held to
// their team whatever the query says.
dashboard_request read_request(const request_context& ctx, const engine::access_token& caller) {
  dashboard_request r;
  r.query = ctx.server.config.reports.base_query();
  const auto today = engine::day_of(ctx.server.store->now());
  r.query.to = today;
  r.query.from = today - (default_period_days - 1);
  for (auto [name, field, text] : {std::tuple{"from", &r.query.from, &r.from_text},
                                   std::tuple{"to", &r.query.to, &r.to_text}}) {
    auto value = query_param(ctx, name);
    if (value && !value->empty()) {
      *text = *value;
      if (auto day = engine::parse_date(*value))
        *field = *day;
      else
        r.problems.push_back(fmt::format("\"{}\" must be a date YYYY-MM-DD.", name));
    }
  }
  if (r.problems.empty() && r.query.from > r.query.to)
    r.problems.emplace_back("\"from\" must not be after \"to\".");
  if (r.problems.empty() && r.query.to - r.query.from >= longest_period_days)
    r.problems.push_back(fmt::format("A period is at most {} days.", longest_period_days));
  if (r.from_text.empty()) r.from_text = engine::format_date(r.query.from);
  if (r.to_text.empty()) r.to_text = engine::format_date(r.query.to);
  if (auto survey = query_param(ctx, "survey"); survey && !survey->empty()) r.query.survey = survey;
  if (auto team = query_param(ctx, "team"); team && !team->empty()) r.query.team = team;
  if (caller.team) r.query.team = caller.team;
  if (auto sort = query_param(ctx, "sort"); sort && !sort->empty()) r.sort = sort;
  if (auto bucket = query_param(ctx, "bucket"); bucket && *bucket == "week")
    r.bucket = reports::trend_bucket::week;
  if (auto page = count_param(ctx, "page", 0, 100'000))
    r.page = *page;
  else
    r.problems.emplace_back("\"page\" must be a whole number.");
  return r;
}

std::vector<std::string> roster_teams(engine::store& store) {
  std::set<std::string> teams;
  if (auto staff = engine::list_staff(store))
    for (const auto& m : *staff)
      teams.insert(m.team);
  return {teams.begin(), teams.end()};
}

response report_error(const engine::error& err, const signed_in* user) {
  switch (err.code) {
    case engine::errc::not_found:
      return dashboard_message(http::status::not_found, "Not found",
                               "There is no such staff member in the reports you may read.", user);
    case engine::errc::validation_failed:
      return dashboard_message(http::status::bad_request, "The query is invalid", err.message,
                               user);
    default:
      return dashboard_message(http::status::service_unavailable, "Please try again later",
                               "The reports cannot be read just now.", user);
  }
}

void get_login(request_context& ctx, responder respond, session_store& sessions) {
  if (auto who = require_session(ctx, sessions); std::holds_alternative<signed_in>(who))
    return respond(see_other("/dashboard"));
  respond(login_page(http::status::ok));
}

void post_login(request_context& ctx, responder respond, session_store& sessions) {
  auto form = parse_form_body(ctx.req);
  if (!form) return respond(login_page(http::status::bad_request, "The form could not be read."));
  auto token = form->value("token");
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
    token.pop_back();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front())))
    token.erase(token.begin());
  if (auto wait = ctx.server.token_checks_refused(ctx.client)) {
    auto res = login_page(http::status::too_many_requests,
                          "Too many tokens were tried from this address. Try again later.");
    res.set(http::field::retry_after, std::to_string(wait->count()));
    return respond(std::move(res));
  }
  auto grant = engine::authenticate(*ctx.server.store, token);
  if (!grant) {
    if (grant.error().code == engine::errc::unauthorized) {
      ctx.server.token_check_failed(ctx.client);
      return respond(login_page(http::status::unauthorized,
                                "This token is not known, or it has been revoked."));
    }
    return respond(dashboard_message(http::status::service_unavailable, "Please try again later",
                                     "Signing in is not possible just now."));
  }
  if (grant->granted != engine::role::lead && grant->granted != engine::role::admin)
    return respond(dashboard_message(http::status::forbidden, "Not for this token",
                                     "Only lead and admin tokens may use the dashboard."));
  auto opened = sessions.open(std::move(token));
  if (!opened)
    return respond(dashboard_message(http::status::internal_server_error, "Please try again later",
                                     "Signing in is not possible just now."));
  auto res = see_other("/dashboard");
  res.set(http::field::set_cookie,
          fmt::format("{}={}{}", session_cookie_name, opened->id, cookie_attributes(ctx.server)));
  respond(std::move(res));
}

void post_logout(request_context& ctx, responder respond, session_store& sessions) {
  auto who = require_session(ctx, sessions);
  if (auto* res = std::get_if<response>(&who)) return respond(std::move(*res));
  auto& user = std::get<signed_in>(who);
  auto form = parse_form_body(ctx.req);
  if (!form || !same_secret(form->value(csrf_field), user.session.csrf))
    return respond(expired_form(user));
  sessions.close(user.id);
  auto res = see_other("/login");
  res.set(http::field::set_cookie,
          fmt::format("{}={}; Max-Age=0", session_cookie_name, cookie_attributes(ctx.server)));
  respond(std::move(res));
}

void get_overview(request_context& ctx, responder respond, session_store& sessions) {
  auto who = require_session(ctx, sessions);
  if (auto* res = std::get_if<response>(&who)) return respond(std::move(*res));
  const auto& user = std::get<signed_in>(who);
  const auto* nav = &user;
  const auto r = read_request(ctx, user.grant);
  const bool locked = user.grant.team.has_value();
  const auto teams = locked ? std::vector<std::string>{} : roster_teams(*ctx.server.store);
  if (!r.problems.empty())
    return respond(dashboard_page(http::status::bad_request, "Department overview",
                                  "dashboard_overview",
                                  {{"filters", filter_values(r, teams, locked)}}, nav));
  auto cards = reports::staff_scorecards(*ctx.server.store, r.query, r.sort);
  if (!cards) return respond(report_error(cards.error(), nav));
  auto overview = reports::department_overview(*ctx.server.store, r.query);
  if (!overview) return respond(report_error(overview.error(), nav));
  auto values = overview_values(*overview, *cards, r, teams, locked);
  values["has_report"] = true;
  respond(dashboard_page(http::status::ok, "Department overview", "dashboard_overview",
                         std::move(values), nav));
}

void get_staff(request_context& ctx, responder respond, session_store& sessions) {
  auto who = require_session(ctx, sessions);
  if (auto* res = std::get_if<response>(&who)) return respond(std::move(*res));
  const auto& user = std::get<signed_in>(who);
  const auto* nav = &user;
  auto r = read_request(ctx, user.grant);
  if (!r.problems.empty())
    return respond(dashboard_message(http::status::bad_request, "The query is invalid",
                                     r.problems.front(), nav));
  r.query.staff = ctx.params[0];
  auto report = reports::staff_detail(*ctx.server.store, r.query, r.bucket);
  if (!report) return respond(report_error(report.error(), nav));
  auto comments = reports::comments_for(*ctx.server.store, r.query, comments_per_page,
                                        r.page * comments_per_page);
  if (!comments) return respond(report_error(comments.error(), nav));
  auto title = "Scorecard: " + report->card.member.name;
  respond(dashboard_page(http::status::ok, std::move(title), "dashboard_staff",
                         staff_values(*report, *comments, r), nav));
}

}  // namespace

void add_dashboard_pages(router& routes, std::shared_ptr<session_store> sessions) {
  // The routes are open to the router: the session cookie, not a bearer token, says who
  // calls.
  const auto bind = [&sessions](void (*run)(request_context&, responder, session_store&)) {
    return [sessions, run](request_context& ctx, responder respond) {
      run(ctx, std::move(respond), *sessions);
    };
  };
  routes.add(http::verb::get, "/login", access::open(), bind(get_login));
  routes.add(http::verb::post, "/login", access::open(), bind(post_login));
  routes.add(http::verb::post, "/logout", access::open(), bind(post_logout));
  routes.add(http::verb::get, "/dashboard", access::open(), bind(get_overview));
  routes.add(http::verb::get, "/dashboard/staff/{id}", access::open(), bind(get_staff));
}

}  // namespace hrs::server::web
