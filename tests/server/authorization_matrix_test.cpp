// Who may do what, for every route of the API and every page: one table, rows the
// requests, columns the callers, each cell the status the real server must answer.
// Every cell is run and every mismatch is reported, not only the first.
//
// API rows send the caller's bearer token; page rows send the caller's session cookie
// (made by POSTing /login with the token, as a browser does) and, in a POST, the
// session's CSRF token, so that a refusal in a page cell comes from the role check and
// not from a missing form token.

#include <catch2/catch.hpp>

#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "server_process.hpp"

namespace {

using hrs::testing::access_token;
using hrs::testing::cookie_of;
using hrs::testing::csrf_of;
using hrs::testing::form_encode;
using hrs::testing::http_client;
using hrs::testing::http_once;
using hrs::testing::http_reply;
using hrs::testing::request_options;
using hrs::testing::served_store;
using hrs::testing::server_process;

// The callers, in the table's column order.
enum caller_index { none, unknown, revoked, admin, lead, other_team_lead, integration };
constexpr std::array<std::string_view, 7> caller_names = {
    "no token", "unknown token",        "revoked token", "admin",
    "lead",     "lead of another team", "integration"};

// What a caller presents: a bearer token to the API, a session cookie and its CSRF token
// to the pages, and a token to paste into /login.
struct caller {
  std::string bearer;
  std::string cookie;  // "hrs_session=...", or "" without a session
  std::string csrf;
  std::string login_token;
};

// How a row's request is sent.
enum class kind {
  api,          // Authorization: Bearer, JSON body
  api_csv,      // Authorization: Bearer, text/csv body
  api_cookie,   // the session cookie instead of the bearer token: the API must not take it
  page,         // the session cookie, form body
  page_bearer,  // the bearer token instead of the session cookie: the pages must not take it
};

struct row {
  kind how;
  std::string_view method;
  std::string_view target;  // "{inv}": an invitation's token, "{victim}": a token id to revoke
  std::string_view body;    // "@template", "@csrf", "@login" are filled in per caller
  std::array<unsigned, 7> expected;
};

// clang-format off
// The lead of another team is scoped to "benefits"; s-103 is in "payroll".
const std::vector<row> matrix = {
  //                                                                                        none unkn revk admn lead othr intg
  {kind::api,  "GET",  "/healthz", "",                                                    {200, 200, 200, 200, 200, 200, 200}},
  {kind::api,  "GET",  "/metrics", "",                                                    {401, 401, 401, 200, 200, 200, 200}},
  {kind::api,  "GET",  "/api/v1/surveys", "",                                             {401, 401, 401, 200, 200, 200, 403}},
  {kind::api,  "GET",  "/api/v1/surveys/hr-service", "",                                  {401, 401, 401, 200, 200, 200, 403}},
  {kind::api,  "POST", "/api/v1/surveys", "@template",                                    {401, 401, 401, 200, 403, 403, 403}},
  {kind::api,  "GET",  "/api/v1/staff", "",                                               {401, 401, 401, 200, 403, 403, 200}},
  {kind::api,  "PUT",  "/api/v1/staff/s-106",
                       R"({"id":"s-106","name":"Sam Lee","team":"recruiting"})",          {401, 401, 401, 200, 403, 403, 200}},
  {kind::api_csv, "POST", "/api/v1/staff:import", "id,name,team\ns-106,Sam Lee,recruiting\n",
                                                                                          {401, 401, 401, 200, 403, 403, 200}},
  {kind::api,  "POST", "/api/v1/invitations", R"({"survey":"hr-service","staff":["s-101"]})",
                                                                                          {401, 401, 401, 201, 403, 403, 201}},
  {kind::api,  "GET",  "/api/v1/invitations/{inv}/survey", "",                            {200, 200, 200, 200, 200, 200, 200}},
  {kind::api,  "POST", "/api/v1/responses", R"({"token":"{inv}","answers":{}})",          {400, 400, 400, 400, 400, 400, 400}},
  {kind::api,  "POST", "/api/v1/campaigns/hr-service/responses", R"({"answers":{}})",     {400, 400, 400, 400, 400, 400, 400}},
  {kind::api,  "GET",  "/api/v1/reports/staff", "",                                       {401, 401, 401, 200, 200, 200, 403}},
  {kind::api,  "GET",  "/api/v1/reports/staff?team=payroll", "",                          {401, 401, 401, 200, 200, 403, 403}},
  {kind::api,  "GET",  "/api/v1/reports/staff/s-101", "",                                 {401, 401, 401, 200, 200, 200, 403}},
  {kind::api,  "GET",  "/api/v1/reports/staff/s-103", "",                                 {401, 401, 401, 200, 200, 404, 403}},
  {kind::api,  "GET",  "/api/v1/reports/staff/s-101/comments", "",                        {401, 401, 401, 200, 200, 200, 403}},
  {kind::api,  "GET",  "/api/v1/reports/staff/s-103/comments", "",                        {401, 401, 401, 200, 200, 404, 403}},
  {kind::api,  "GET",  "/api/v1/reports/overview", "",                                    {401, 401, 401, 200, 200, 200, 403}},
  {kind::api,  "GET",  "/api/v1/reports/overview?team=payroll", "",                       {401, 401, 401, 200, 200, 403, 403}},
  {kind::api,  "GET",  "/api/v1/reports/staff.csv", "",                                   {401, 401, 401, 200, 200, 200, 403}},
  {kind::api,  "GET",  "/api/v1/reports/staff.csv?team=payroll", "",                      {401, 401, 401, 200, 200, 403, 403}},
  {kind::api,  "GET",  "/api/v1/audit", "",                                               {401, 401, 401, 200, 403, 403, 403}},
  {kind::api_cookie, "GET", "/api/v1/reports/staff", "",                                  {401, 401, 401, 401, 401, 401, 401}},
  {kind::api_cookie, "GET", "/api/v1/audit", "",                                          {401, 401, 401, 401, 401, 401, 401}},
  {kind::page, "GET",  "/login", "",                                                      {200, 200, 200, 303, 303, 303, 200}},
  {kind::page, "POST", "/login", "token=@login",                                          {401, 401, 401, 303, 303, 303, 403}},
  {kind::page, "GET",  "/dashboard", "",                                                  {303, 303, 303, 200, 200, 200, 303}},
  {kind::page, "GET",  "/dashboard/staff/s-101", "",                                      {303, 303, 303, 200, 200, 200, 303}},
  {kind::page, "GET",  "/dashboard/staff/s-103", "",                                      {303, 303, 303, 200, 200, 404, 303}},
  {kind::page, "GET",  "/admin", "",                                                      {303, 303, 303, 200, 403, 403, 303}},
  {kind::page_bearer, "GET", "/admin", "",                                                {303, 303, 303, 303, 303, 303, 303}},
  {kind::page_bearer, "GET", "/dashboard", "",                                            {303, 303, 303, 303, 303, 303, 303}},
  {kind::page, "POST", "/admin/surveys", "_csrf=@csrf&definition=@template",              {303, 303, 303, 200, 403, 403, 303}},
  {kind::page, "GET",  "/admin/surveys/hr-service/preview", "",                           {303, 303, 303, 200, 403, 403, 303}},
  {kind::page, "POST", "/admin/roster", "_csrf=@csrf&csv=id%2Cname%2Cteam%0As-106%2CSam+Lee%2Crecruiting%0A",
                                                                                          {303, 303, 303, 200, 403, 403, 303}},
  {kind::page, "POST", "/admin/tokens", "_csrf=@csrf&role=lead&label=matrix",             {303, 303, 303, 200, 403, 403, 303}},
  {kind::page, "POST", "/admin/tokens/{victim}/revoke", "_csrf=@csrf",                    {303, 303, 303, 200, 403, 403, 303}},
  {kind::page, "GET",  "/s/{inv}", "",                                                    {200, 200, 200, 200, 200, 200, 200}},
  {kind::page, "POST", "/s/{inv}", "_csrf=@csrf",                                         {400, 400, 400, 400, 400, 400, 400}},
  {kind::page, "GET",  "/c/hr-service", "",                                               {200, 200, 200, 200, 200, 200, 200}},
  {kind::page, "POST", "/c/hr-service", "_csrf=@csrf",                                    {400, 400, 400, 400, 400, 400, 400}},
  {kind::page, "GET",  "/thanks/hr-service", "",                                          {200, 200, 200, 200, 200, 200, 200}},
  {kind::page, "GET",  "/static/hrsurvey.css", "",                                        {200, 200, 200, 200, 200, 200, 200}},
  {kind::page, "POST", "/logout", "",                                                     {303, 303, 303, 403, 403, 403, 303}},
  // Last: it ends the sessions.
  {kind::page, "POST", "/logout", "_csrf=@csrf",                                          {303, 303, 303, 303, 303, 303, 303}},
};
// clang-format on

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Signs in with `token`; returns the caller with its session, or throws.
caller signed_in(unsigned short port, const access_token& token) {
  request_options form;
  form.content_type = "application/x-www-form-urlencoded";
  const auto reply = http_once(port, "POST", "/login", "token=" + form_encode(token.secret), form);
  if (reply.status != 303) throw std::runtime_error("sign-in failed");
  caller c{token.secret, cookie_of(reply), {}, token.secret};
  request_options with_cookie;
  with_cookie.headers.emplace_back("Cookie", c.cookie);
  c.csrf = csrf_of(http_once(port, "GET", "/dashboard", {}, with_cookie).body);
  if (c.csrf.empty()) throw std::runtime_error("the dashboard shows no CSRF token");
  return c;
}

}  // namespace

TEST_CASE("every route answers every kind of caller as the authorization matrix says",
          "[http][auth]") {
  served_store store;
  const auto to_revoke = store.create_token("lead");
  const auto victim = store.create_token("integration");
  // Every unknown and revoked token of the matrix is a failed token check from one
  // address: the failed-login limit (tested on its own) would answer them 429.
  server_process server(store.db(), {"--rate-failed-logins-per-minute", "0"});
  const auto port = server.port();
  http_client client(port);
  const auto invitation = hrs::testing::create_invitation(client, store.integration.secret);
  const auto template_json = read_text(hrs::testing::source_path("survey_defs/hr-service.json"));
  REQUIRE_FALSE(template_json.empty());

  std::array<caller, 7> callers;
  callers[none] = {};
  callers[unknown] = {"hrs_" + std::string(32, 'A'),
                      "hrs_session=" + std::string(64, 'a'),
                      {},
                      "hrs_" + std::string(32, 'A')};
  callers[revoked] = signed_in(port, to_revoke);
  callers[admin] = signed_in(port, store.admin);
  callers[lead] = signed_in(port, store.lead);
  callers[other_team_lead] = signed_in(port, store.benefits_lead);
  // An integration token cannot sign in, so it has no session; it still presents its
  // bearer token to the API.
  callers[integration] = {store.integration.secret, {}, {}, store.integration.secret};

  // The revoked caller's session and token worked until the revocation.
  {
    request_options with_cookie;
    with_cookie.headers.emplace_back("Cookie", callers[revoked].cookie);
    REQUIRE(http_once(port, "GET", "/dashboard", {}, with_cookie).status == 200);
    REQUIRE(client.get("/api/v1/reports/overview", to_revoke.secret).status == 200);
  }
  store.revoke_token(to_revoke);

  std::vector<std::string> mismatches;
  std::size_t cells = 0;
  for (const auto& r : matrix) {
    for (std::size_t who = 0; who < callers.size(); ++who) {
      const auto& c = callers[who];
      std::string target(r.target);
      replace_all(target, "{inv}", invitation);
      replace_all(target, "{victim}", victim.id);
      std::string body(r.body);
      replace_all(body, "{inv}", invitation);
      replace_all(body, "@csrf", c.csrf);
      replace_all(body, "@login", form_encode(c.login_token));
      replace_all(body, "@template",
                  r.how == kind::page ? form_encode(template_json) : template_json);

      request_options opts;
      switch (r.how) {
        case kind::api:
          opts.token = c.bearer;
          break;
        case kind::api_csv:
          opts.token = c.bearer;
          opts.content_type = "text/csv";
          break;
        case kind::api_cookie:
          if (!c.cookie.empty()) opts.headers.emplace_back("Cookie", c.cookie);
          break;
        case kind::page_bearer:
          opts.token = c.bearer;
          break;
        case kind::page:
          opts.content_type = "application/x-www-form-urlencoded";
          if (!c.cookie.empty()) opts.headers.emplace_back("Cookie", c.cookie);
          break;
      }
      const auto reply = http_once(port, r.method, target, body, opts);
      ++cells;
      if (reply.status != r.expected[who])
        mismatches.push_back(std::string(r.method) + " " + std::string(r.target) + " as " +
                             std::string(caller_names[who]) + ": " +
                             std::to_string(r.expected[who]) + " expected, " +
                             std::to_string(reply.status) + " answered");
    }
  }
  CHECK(cells == matrix.size() * callers.size());
  std::string report;
  for (const auto& m : mismatches)
    report += m + "\n";
  INFO(mismatches.size() << " of " << cells << " cells differ:\n" << report);
  CHECK(mismatches.empty());
  CHECK(server.running());
}
