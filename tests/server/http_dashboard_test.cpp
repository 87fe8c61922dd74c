// The HR leads' dashboard as a browser without JavaScript uses it: sign in by pasting an
// access token, follow the 303 with the session cookie, read the overview and a
// scorecard, sign out with the form's CSRF token; spoken over HTTP to the real server
// binary, on a store filled through the API with answers whose figures are known.

#include <catch2/catch.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report_figures.hpp"
#include "server_process.hpp"

namespace {

using hrs::testing::cookie_of;
using hrs::testing::create_invitation;
using hrs::testing::csrf_of;
using hrs::testing::expect_cell;
using hrs::testing::http_client;
using hrs::testing::http_reply;
using hrs::testing::mean_of;
using hrs::testing::request_options;
using hrs::testing::served_store;
using hrs::testing::server_process;
using json = nlohmann::json;

constexpr std::string_view form_type = "application/x-www-form-urlencoded";

bool has(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

std::string two_places(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

struct known_response {
  std::string staff;  // s-101 answers invitations, the others campaign responses
  int courtesy;
  int timeliness;
  int quality;
  std::string comment;
};

// Ana Pop (s-101, benefits): 6 responses, shown. Lucía Gómez (s-103, payroll): 5,
// shown. Marco Rossi (s-102, benefits): 2 and Chen Wei (s-104, payroll): 3, both under
// the threshold of 5: nothing of theirs may show, their comments least of all.
const std::vector<known_response> known = {
    {"s-101", 5, 4, 5, "ANA-NOTE-1"},
    {"s-101", 5, 4, 5, "ANA-NOTE-2"},
    {"s-101", 5, 5, 5, "ANA-NOTE-3"},
    {"s-101", 4, 5, 5, "ANA-NOTE-4"},
    {"s-101", 5, 4, 5, "<script>alert('ana')</script>"},
    {"s-101", 5, 4, 4, "ANA-NOTE-6"},
    {"s-103", 2, 2, 2, "LUCIA-NOTE-1"},
    {"s-103", 2, 1, 2, "LUCIA-NOTE-2"},
    {"s-103", 3, 2, 2, ""},
    {"s-103", 2, 2, 3, ""},
    {"s-103", 2, 1, 2, ""},
    {"s-102", 4, 4, 4, "MARCO-HIDDEN-1"},
    {"s-102", 3, 4, 4, "MARCO-HIDDEN-2"},
    {"s-104", 3, 3, 3, "CHEN-HIDDEN-1"},
    {"s-104", 4, 3, 3, "CHEN-HIDDEN-2"},
    {"s-104", 3, 4, 3, ""},
};

std::vector<int> courtesy_of(const std::string& staff) {
  std::vector<int> out;
  for (const auto& r : known)
    if (staff.empty() || r.staff == staff) out.push_back(r.courtesy);
  return out;
}

request_options with_cookie(const std::string& cookie,
                            std::string content_type = std::string(form_type)) {
  request_options opts;
  opts.content_type = std::move(content_type);
  if (!cookie.empty()) opts.headers.emplace_back("Cookie", cookie);
  return opts;
}

// What every dashboard page carries: the survey pages' headers.
void check_page_headers(const http_reply& reply) {
  CHECK(reply.header("content-type") == "text/html; charset=utf-8");
  const auto csp = reply.header("content-security-policy");
  CHECK(has(csp, "default-src 'none'"));
  CHECK(has(csp, "style-src 'self'"));
  CHECK(has(csp, "frame-ancestors 'none'"));
  CHECK_FALSE(has(csp, "unsafe-inline"));
  CHECK(reply.header("referrer-policy") == "no-referrer");
  CHECK(reply.header("x-content-type-options") == "nosniff");
  CHECK(reply.header("cache-control") == "no-store");
  CHECK_FALSE(has(reply.body, "<script"));
  CHECK_FALSE(has(reply.body, " style="));
}

// The markup of the staff table's row that links to `id`'s scorecard.
std::string staff_row(const std::string& html, const std::string& id) {
  const auto table = html.find("<table class=\"staff-table\">");
  if (table == std::string::npos) return {};
  const auto at = html.find("href=\"/dashboard/staff/" + id, table);
  if (at == std::string::npos) return {};
  const auto start = html.rfind("<tr>", at);
  return html.substr(start, html.find("</tr>", at) - start);
}

// The store of `known`, served, and a browser's connection to it.
class dashboard_store {
 public:
  dashboard_store() {
    for (const auto& r : known)
      submit(r);
  }

  // Signs in with `token`; returns the reply of POST /login.
  http_reply sign_in(const std::string& token) {
    return client.request("POST", "/login", "token=" + token, with_cookie({}));
  }
  // Signs in and returns "hrs_session=<id>", as the browser sends it back.
  std::string session_for(const std::string& token) {
    const auto reply = sign_in(token);
    REQUIRE(reply.status == 303);
    return cookie_of(reply);
  }
  http_reply get(const std::string& target, const std::string& cookie) {
    return client.request("GET", target, {}, with_cookie(cookie));
  }

  served_store store;
  server_process server{store.db()};
  http_client client{server.port()};

 private:
  void submit(const known_response& r) {
    json answers = {{"courtesy", r.courtesy},
                    {"timeliness", r.timeliness},
                    {"quality", r.quality},
                    {"request_type", "benefits"}};
    if (!r.comment.empty()) answers["comment"] = r.comment;
    json body = {{"answers", answers}, {"locale", "en"}};
    std::string target = "/api/v1/campaigns/hr-service/responses";
    if (r.staff == "s-101") {
      body["token"] = create_invitation(client, store.integration.secret, {r.staff});
      target = "/api/v1/responses";
    } else {
      body["answers"]["staff"] = {r.staff};
    }
    const auto reply = client.post_json(target, body);
    INFO(reply.body);
    REQUIRE(reply.status == 201);
  }
};

}  // namespace

TEST_CASE("signing in with a lead token sets a strict session cookie and goes to the dashboard",
          "[http][dashboard]") {
  dashboard_store s;
  const auto form = s.client.get("/login");
  REQUIRE(form.status == 200);
  check_page_headers(form);
  CHECK(has(form.body, "<form method=\"post\" action=\"/login\""));
  CHECK(has(form.body, "<label for=\"f-token\">"));

  const auto reply = s.sign_in(s.store.lead.secret);
  REQUIRE(reply.status == 303);
  CHECK(reply.header("location") == "/dashboard");
  const auto cookie = reply.header("set-cookie");
  CHECK(cookie.starts_with("hrs_session="));
  CHECK(has(cookie, "; HttpOnly"));
  CHECK(has(cookie, "; SameSite=Strict"));
  CHECK(has(cookie, "; Path=/"));
  CHECK_FALSE(has(cookie, "Secure"));  // the base URL is http://
  // 256 random bits, not the token.
  CHECK(cookie.substr(0, cookie.find(';')).size() == std::string("hrs_session=").size() + 64);
  CHECK_FALSE(has(cookie, s.store.lead.secret));

  SECTION("an admin token may sign in too") {
    CHECK(s.sign_in(s.store.admin.secret).status == 303);
  }
  SECTION("the login page sends a signed-in browser on to the dashboard") {
    const auto again = s.get("/login", cookie.substr(0, cookie.find(';')));
    CHECK(again.status == 303);
    CHECK(again.header("location") == "/dashboard");
  }
}

TEST_CASE("a wrong token and an integration token are refused at sign-in", "[http][dashboard]") {
  dashboard_store s;
  const auto wrong = s.sign_in("hrs_not-a-token-at-all");
  CHECK(wrong.status == 401);
  check_page_headers(wrong);
  CHECK(has(wrong.body, "not known, or it has been revoked"));
  CHECK(wrong.header("set-cookie").empty());
  CHECK(has(wrong.body, "aria-invalid=\"true\""));

  const auto empty = s.sign_in("");
  CHECK(empty.status == 401);
  CHECK(empty.header("set-cookie").empty());

  const auto integration = s.sign_in(s.store.integration.secret);
  CHECK(integration.status == 403);
  check_page_headers(integration);
  CHECK(integration.header("set-cookie").empty());

  auto revoked = s.store.create_token("lead");
  s.store.revoke_token(revoked);
  CHECK(s.sign_in(revoked.secret).status == 401);
}

TEST_CASE("the dashboard without a session sends the browser to /login", "[http][dashboard]") {
  dashboard_store s;
  for (const std::string target :
       {"/dashboard", "/dashboard/staff/s-101", "/dashboard?sort=quality"}) {
    INFO(target);
    const auto reply = s.get(target, "");
    CHECK(reply.status == 303);
    CHECK(reply.header("location") == "/login");
    const auto forged = s.get(target, "hrs_session=" + std::string(64, 'a'));
    CHECK(forged.status == 303);
    CHECK(forged.header("location") == "/login");
  }
  // A bearer token is no session: the pages read only the cookie.
  CHECK(s.client.get("/dashboard", s.store.lead.secret).status == 303);
}

TEST_CASE("the overview shows the known figures and hides what rests on too few responses",
          "[http][dashboard]") {
  dashboard_store s;
  const auto cookie = s.session_for(s.store.lead.secret);
  const auto page = s.get("/dashboard", cookie);
  REQUIRE(page.status == 200);
  check_page_headers(page);
  const auto& html = page.body;

  // The department: every response once.
  const auto department = expect_cell(courtesy_of(""), 4.0, mean_of(courtesy_of("")));
  CHECK(has(html, "<tr><th scope=\"row\">courtesy</th><td>" + two_places(department.mean) +
                      "</td><td>" + two_places(department.ci95->first) + "–" +
                      two_places(department.ci95->second) + "</td><td>16</td>"));
  CHECK(has(html, "Response rate: 6 of 6 invitations answered (100 %)."));

  // Ana's row: her mean, interval and n per dimension; a link to her scorecard.
  const auto ana = expect_cell(courtesy_of("s-101"), 4.0, mean_of(courtesy_of("")));
  const auto ana_row = staff_row(html, "s-101");
  INFO(ana_row);
  CHECK(has(ana_row, ">Ana Pop</a>"));
  CHECK(has(ana_row, "<span class=\"mean\">" + two_places(ana.mean) +
                         "</span> <span class=\"ci\">[" + two_places(ana.ci95->first) + "–" +
                         two_places(ana.ci95->second) +
                         "]</span> <span class=\"n\">n&nbsp;6</span>"));
  // Lucía is below the standard on courtesy; Ana above.
  CHECK(has(html, ">Lucía Gómez</a>, courtesy:"));
  // Marco (2 responses) and Chen (3): "fewer than 5" in every column, no figure.
  for (const auto* id : {"s-102", "s-104"}) {
    const auto row = staff_row(html, id);
    INFO(row);
    CHECK(has(row, "fewer than 5"));
    CHECK_FALSE(has(row, "class=\"mean\""));
    CHECK_FALSE(has(row, "n&nbsp;"));
  }
  CHECK_FALSE(has(html, "HIDDEN"));

  SECTION("the dimension links sort the table, best first") {
    CHECK(has(html, "<a href=\"/dashboard?from="));
    CHECK(has(html, "&amp;sort=courtesy\">courtesy</a>"));
    const auto sorted = s.get("/dashboard?sort=courtesy", cookie);
    REQUIRE(sorted.status == 200);
    const auto ana_at = sorted.body.find(">Ana Pop</a></th>");
    const auto lucia_at = sorted.body.find(">Lucía Gómez</a></th>");
    const auto marco_at = sorted.body.find(">Marco Rossi</a></th>");
    CHECK(ana_at < lucia_at);
    CHECK(lucia_at < marco_at);  // suppressed last
    CHECK(has(sorted.body, "<th scope=\"col\" aria-sort=\"descending\">"));
  }
  SECTION("a period that cannot be read is shown again with what is wrong") {
    const auto bad = s.get("/dashboard?from=yesterday", cookie);
    CHECK(bad.status == 400);
    CHECK(has(bad.body, "value=\"yesterday\""));
    CHECK(has(bad.body, "must be a date"));
  }
}

TEST_CASE("a scorecard: charts, comments escaped, and nothing of a suppressed member",
          "[http][dashboard]") {
  dashboard_store s;
  const auto cookie = s.session_for(s.store.lead.secret);

  const auto page = s.get("/dashboard/staff/s-101", cookie);
  REQUIRE(page.status == 200);
  check_page_headers(page);
  const auto& html = page.body;
  const auto ana = expect_cell(courtesy_of("s-101"), 4.0, mean_of(courtesy_of("")));
  CHECK(has(html, "<h1>Ana Pop</h1>"));
  // The interval chart says its figures in words.
  CHECK(has(html, "aria-label=\"courtesy: mean " + two_places(ana.mean) + ", 95 % interval " +
                      two_places(ana.ci95->first) + " to " + two_places(ana.ci95->second) +
                      ", n 6, standard 4.00, "));
  CHECK(has(html, "<circle class=\"mean\""));
  CHECK(has(html, "<svg class=\"chart histogram\""));
  CHECK(has(html, "courtesy, how many gave each rating: 1: 0, 2: 0, 3: 0, 4: 1, 5: 5"));
  CHECK(has(html, "<svg class=\"chart trend\""));
  CHECK(has(html, "<caption>By request_type</caption>"));
  // Comments, newest first, the one with markup escaped.
  CHECK(has(html, "ANA-NOTE-1"));
  CHECK(has(html, "&lt;script&gt;alert(&apos;ana&apos;)&lt;/script&gt;"));
  CHECK_FALSE(has(html, "<script"));
  CHECK(html.find("ANA-NOTE-6") < html.find("ANA-NOTE-1"));
  CHECK_FALSE(has(html, "HIDDEN"));

  SECTION("the trend by week") {
    const auto weekly = s.get("/dashboard/staff/s-101?bucket=week", cookie);
    REQUIRE(weekly.status == 200);
    CHECK(has(weekly.body, "courtesy by week"));
  }
  SECTION("a suppressed member: fewer than k, no chart mark, no comment") {
    for (const auto* id : {"s-102", "s-104"}) {
      INFO(id);
      const auto hidden = s.get(std::string("/dashboard/staff/") + id, cookie);
      REQUIRE(hidden.status == 200);
      CHECK(has(hidden.body, "fewer than 5"));
      CHECK_FALSE(has(hidden.body, "HIDDEN"));
      CHECK_FALSE(has(hidden.body, "<circle"));
      CHECK_FALSE(has(hidden.body, "<rect"));
      CHECK_FALSE(has(hidden.body, "class=\"mean\""));
      CHECK(has(hidden.body, "no comment is shown"));
    }
  }
  SECTION("an unknown staff member is a 404 page") {
    CHECK(s.get("/dashboard/staff/s-999", cookie).status == 404);
  }
}

// The href of the first link whose text is `text`, with &amp; read as &.
std::string href_of(const std::string& html, std::string_view text) {
  const auto end = html.find(std::string(">") + std::string(text) + "</a>");
  if (end == std::string::npos) return {};
  const auto marker = html.rfind("href=\"", end);
  const auto start = marker + 6;
  auto href = html.substr(start, html.find('"', start) - start);
  for (auto at = href.find("&amp;"); at != std::string::npos; at = href.find("&amp;", at + 1))
    href.replace(at, 5, "&");
  return href;
}

// The query of a target, after its '?'.
std::string query_of(const std::string& target) {
  const auto at = target.find('?');
  return at == std::string::npos ? std::string() : target.substr(at + 1);
}

TEST_CASE("a scorecard keeps the overview's filters and sort, and its back link returns there",
          "[http][dashboard]") {
  dashboard_store s;
  const auto cookie = s.session_for(s.store.lead.secret);
  const auto overview = s.get("/dashboard?team=benefits&survey=hr-service&sort=courtesy", cookie);
  REQUIRE(overview.status == 200);

  const auto to_ana = href_of(overview.body, "Ana Pop");
  INFO(to_ana);
  REQUIRE(to_ana.starts_with("/dashboard/staff/s-101?"));
  for (const auto* kept : {"team=benefits", "survey=hr-service", "sort=courtesy", "from=", "to="})
    CHECK(has(query_of(to_ana), kept));

  const auto card = s.get(to_ana, cookie);
  REQUIRE(card.status == 200);
  CHECK(has(card.body, "<h1>Ana Pop</h1>"));
  const auto back = href_of(card.body, "Back to the department overview");
  CHECK(back == "/dashboard?" + query_of(to_ana));
  // The period form carries them as hidden fields, so the way back survives using it.
  CHECK(has(card.body, "<input type=\"hidden\" name=\"sort\" value=\"courtesy\">"));
  CHECK(has(card.body, "<input type=\"hidden\" name=\"team\" value=\"benefits\">"));
  CHECK(has(card.body, "<input type=\"hidden\" name=\"survey\" value=\"hr-service\">"));
  const auto weekly = s.get(to_ana + "&bucket=week", cookie);  // as the form sends it
  REQUIRE(weekly.status == 200);
  CHECK(has(weekly.body, "courtesy by week"));
  CHECK(href_of(weekly.body, "Back to the department overview") == back);

  // Back: the same overview, sorted and filtered as it was.
  const auto returned = s.get(back, cookie);
  REQUIRE(returned.status == 200);
  CHECK(returned.body == overview.body);
}

TEST_CASE("a team-scoped lead sees only their team", "[http][dashboard]") {
  dashboard_store s;
  const auto cookie = s.session_for(s.store.benefits_lead.secret);
  for (const std::string target : {"/dashboard", "/dashboard?team=payroll"}) {
    INFO(target);
    const auto page = s.get(target, cookie);
    REQUIRE(page.status == 200);
    CHECK(has(page.body, "Team: <strong>benefits</strong>"));
    CHECK_FALSE(staff_row(page.body, "s-101").empty());
    CHECK_FALSE(staff_row(page.body, "s-102").empty());
    CHECK_FALSE(has(page.body, "Lucía Gómez"));
    CHECK_FALSE(has(page.body, "Chen Wei"));
    CHECK_FALSE(has(page.body, "<select id=\"f-team\""));
  }
  CHECK(s.get("/dashboard/staff/s-103", cookie).status == 404);
  CHECK(s.get("/dashboard/staff/s-101", cookie).status == 200);
}

TEST_CASE("sign-out needs the session's CSRF token and ends the session", "[http][dashboard]") {
  dashboard_store s;
  const auto cookie = s.session_for(s.store.lead.secret);
  const auto page = s.get("/dashboard", cookie);
  REQUIRE(page.status == 200);
  const auto csrf = csrf_of(page.body);
  REQUIRE(csrf.size() == 64);
  CHECK(has(page.body, "<form method=\"post\" action=\"/logout\">"));

  // Without the token, with a wrong one, or with another session's: 403, nothing changes.
  const auto other = s.session_for(s.store.admin.secret);
  const auto other_csrf = csrf_of(s.get("/dashboard", other).body);
  REQUIRE_FALSE(other_csrf.empty());
  for (const auto& body : {std::string(), std::string("_csrf="), "_csrf=" + std::string(64, '0'),
                           "_csrf=" + other_csrf}) {
    INFO(body);
    const auto refused = s.client.request("POST", "/logout", body, with_cookie(cookie));
    CHECK(refused.status == 403);
    CHECK(refused.header("set-cookie").empty());
    check_page_headers(refused);
    CHECK(s.get("/dashboard", cookie).status == 200);
  }
  // Without a session: to /login, nothing ended.
  const auto anonymous = s.client.request("POST", "/logout", "_csrf=" + csrf, with_cookie({}));
  CHECK(anonymous.status == 303);
  CHECK(s.get("/dashboard", cookie).status == 200);

  const auto out = s.client.request("POST", "/logout", "_csrf=" + csrf, with_cookie(cookie));
  CHECK(out.status == 303);
  CHECK(out.header("location") == "/login");
  CHECK(out.header("set-cookie").starts_with("hrs_session=;"));
  CHECK(has(out.header("set-cookie"), "Max-Age=0"));
  const auto after = s.get("/dashboard", cookie);
  CHECK(after.status == 303);
  CHECK(after.header("location") == "/login");
  // The other session lives on.
  CHECK(s.get("/dashboard", other).status == 200);
}

TEST_CASE("revoking the token ends the sessions signed in with it", "[http][dashboard]") {
  dashboard_store s;
  const auto token = s.store.create_token("lead");
  const auto cookie = s.session_for(token.secret);
  REQUIRE(s.get("/dashboard", cookie).status == 200);
  s.store.revoke_token(token);
  const auto after = s.get("/dashboard", cookie);
  CHECK(after.status == 303);
  CHECK(after.header("location") == "/login");
  CHECK(s.get("/dashboard/staff/s-101", cookie).status == 303);
}
