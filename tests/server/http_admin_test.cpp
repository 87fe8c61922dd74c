// The admin page as a browser without JavaScript uses it: sign in with the admin token,
// upload template versions, preview a template in its locales, import the roster and
// create and revoke access tokens, every form with the session's CSRF token; spoken over
// HTTP to the real server binary. What changed is checked through the JSON API.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "server_process.hpp"
#include "temp_dir.hpp"

namespace {

using hrs::testing::cookie_of;
using hrs::testing::csrf_of;
using hrs::testing::form_encode;
using hrs::testing::http_client;
using hrs::testing::http_reply;
using hrs::testing::request_options;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::source_path;
using json = nlohmann::json;

bool has(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

void check_page_headers(const http_reply& reply) {
  CHECK(reply.header("content-type") == "text/html; charset=utf-8");
  const auto csp = reply.header("content-security-policy");
  CHECK(has(csp, "default-src 'none'"));
  CHECK(has(csp, "frame-ancestors 'none'"));
  CHECK(reply.header("referrer-policy") == "no-referrer");
  CHECK(reply.header("x-content-type-options") == "nosniff");
  CHECK(reply.header("cache-control") == "no-store");
  CHECK(reply.header("x-frame-options") == "DENY");
  CHECK_FALSE(has(reply.body, "<script"));
}

// The text between `before` and the next `after`, or "".
std::string between(const std::string& html, std::string_view before, std::string_view after) {
  const auto start = html.find(before);
  if (start == std::string::npos) return {};
  const auto from = start + before.size();
  return html.substr(from, html.find(after, from) - from);
}

// How many rows the token table of the admin page has.
std::size_t token_rows(const std::string& html) {
  std::size_t rows = 0;
  for (auto at = html.find("<tr><th scope=\"row\"><code>tok_"); at != std::string::npos;
       at = html.find("<tr><th scope=\"row\"><code>tok_", at + 1))
    ++rows;
  return rows;
}

json shipped_template() {
  std::ifstream in(source_path("survey_defs/hr-service.json"));
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

class admin_browser {
 public:
  // Signs in with `token` and keeps the session cookie and its CSRF token.
  void sign_in(const std::string& token) {
    const auto reply = client.request("POST", "/login", "token=" + form_encode(token), form({}));
    REQUIRE(reply.status == 303);
    cookie = cookie_of(reply);
    const auto page = get("/dashboard");
    REQUIRE(page.status == 200);
    csrf = csrf_of(page.body);
    REQUIRE(csrf.size() == 64);
  }
  http_reply get(const std::string& target) {
    return client.request("GET", target, {}, form(cookie));
  }
  // POSTs the fields (already encoded, "a=1&b=2") with the session's CSRF token.
  http_reply post(const std::string& target, const std::string& fields) {
    return client.request("POST", target, "_csrf=" + csrf + "&" + fields, form(cookie));
  }
  http_reply post_without_csrf(const std::string& target, const std::string& fields) {
    return client.request("POST", target, fields, form(cookie));
  }
  json api(const std::string& target) {
    const auto reply = client.get(target, store.admin.secret);
    REQUIRE(reply.status == 200);
    return reply.json();
  }

  served_store store;
  server_process server{store.db()};
  http_client client{server.port()};
  std::string cookie;
  std::string csrf;

 private:
  static request_options form(const std::string& cookie) {
    request_options opts;
    opts.content_type = "application/x-www-form-urlencoded";
    if (!cookie.empty()) opts.headers.emplace_back("Cookie", cookie);
    return opts;
  }
};

}  // namespace

TEST_CASE("the admin page is for admin sessions only", "[http][admin]") {
  admin_browser b;
  for (const std::string target : {"/admin", "/admin/surveys/hr-service/preview?lang=en"}) {
    INFO(target);
    const auto anonymous = b.get(target);
    CHECK(anonymous.status == 303);
    CHECK(anonymous.header("location") == "/login");
  }
  CHECK(b.client.get("/admin", b.store.admin.secret).status == 303);  // a bearer is no session

  SECTION("a lead is refused") {
    b.sign_in(b.store.lead.secret);
    const auto refused = b.get("/admin");
    CHECK(refused.status == 403);
    check_page_headers(refused);
    CHECK(has(refused.body, "Only admin tokens"));
    CHECK_FALSE(has(b.get("/dashboard").body, "href=\"/admin\""));
    CHECK(b.get("/admin/surveys/hr-service/preview?lang=en").status == 403);
    const auto post = b.post("/admin/tokens", "role=admin&team=&label=mine");
    CHECK(post.status == 403);
  }
  SECTION("an admin sees the templates, the roster and the tokens") {
    b.sign_in(b.store.admin.secret);
    const auto page = b.get("/admin");
    REQUIRE(page.status == 200);
    check_page_headers(page);
    const auto& html = page.body;
    CHECK(has(html, "<h1>Administration</h1>"));
    CHECK(has(html, "How did HR do?"));
    CHECK(has(html, "<span class=\"version\">1 (0)</span>"));
    CHECK(has(html, "href=\"/admin/surveys/hr-service/preview?lang=zh-Hant\""));
    CHECK(has(html, "6 staff members are on the roster."));
    CHECK(has(html, "<code>" + b.store.lead.id + "</code>"));
    CHECK(has(html, "action=\"/admin/tokens/" + b.store.lead.id + "/revoke\""));
    CHECK_FALSE(has(html, b.store.lead.secret));
    CHECK(has(html, "<a href=\"/admin\">Administration</a>"));
    CHECK(has(b.get("/dashboard").body, "<a href=\"/admin\">Administration</a>"));
  }
}

TEST_CASE("a broken template shows every pointer and stores nothing; a valid one is stored",
          "[http][admin]") {
  admin_browser b;
  b.sign_in(b.store.admin.secret);

  auto broken = shipped_template();
  broken["version"] = 2;
  broken["title"]["en"] = "<script>alert('t')</script>";
  broken["questions"][0]["type"] = "bogus";
  broken["default_locale"] = 7;
  const auto refused = b.post("/admin/surveys", "definition=" + form_encode(broken.dump()));
  CHECK(refused.status == 400);
  check_page_headers(refused);
  INFO(between(refused.body, "id=\"upload-problems\"", "</div>"));
  CHECK(has(refused.body, "<li><code>/questions/0/type: "));
  CHECK(has(refused.body, "<li><code>/default_locale: "));
  // The JSON sent comes back in the textarea, as text.
  CHECK(has(refused.body, "&lt;script&gt;alert(&apos;t&apos;)&lt;/script&gt;"));
  CHECK(has(refused.body, "aria-invalid=\"true\""));
  CHECK(b.api("/api/v1/surveys/hr-service")["active_version"] == 1);

  const auto malformed = b.post("/admin/surveys", "definition=" + form_encode("{\"id\": "));
  CHECK(malformed.status == 400);
  CHECK(has(malformed.body, "<li><code>(document): "));
  // A number no double holds is refused like malformed JSON (it was an exception).
  const auto too_large = b.post("/admin/surveys", "definition=" + form_encode("{\"id\": 1e400}"));
  CHECK(too_large.status == 400);
  CHECK(has(too_large.body, "<li><code>(document): "));

  auto valid = shipped_template();
  valid["version"] = 2;
  valid["title"]["en"] = "How did HR do? <script>v2</script>";
  const auto stored = b.post("/admin/surveys", "definition=" + form_encode(valid.dump()));
  REQUIRE(stored.status == 200);
  check_page_headers(stored);
  CHECK(has(stored.body, "Template hr-service version 2: stored."));
  CHECK(has(stored.body, "<span class=\"version\">2 (0)</span>"));
  CHECK(has(stored.body, "How did HR do? &lt;script&gt;v2&lt;/script&gt;"));
  const auto api = b.api("/api/v1/surveys/hr-service");
  CHECK(api["active_version"] == 2);
  CHECK(api["definition"]["title"]["en"] == "How did HR do? <script>v2</script>");

  SECTION("the preview shows the new version in each locale, the submit disabled") {
    const auto en = b.get("/admin/surveys/hr-service/preview?lang=en");
    REQUIRE(en.status == 200);
    check_page_headers(en);
    CHECK(has(en.body, "<h1>How did HR do? &lt;script&gt;v2&lt;/script&gt;</h1>"));
    CHECK(has(en.body, "Preview: this form cannot be sent."));
    CHECK(has(en.body, "<button type=\"submit\" disabled>"));
    CHECK(has(en.body, "<html lang=\"en\">"));

    const auto zh = b.get("/admin/surveys/hr-service/preview?lang=zh-Hant");
    REQUIRE(zh.status == 200);
    CHECK(has(zh.body, "<html lang=\"zh-Hant\">"));
    CHECK(has(zh.body, "<h1>人力資源部服務滿意度調查</h1>"));
    CHECK(has(zh.body, " disabled>"));

    const auto it = b.get("/admin/surveys/hr-service/preview?lang=it");
    REQUIRE(it.status == 200);
    CHECK(has(it.body, "<html lang=\"it\">"));

    CHECK(b.get("/admin/surveys/no-such/preview?lang=en").status == 404);
  }
  SECTION("the same content again changes nothing") {
    const auto again = b.post("/admin/surveys", "definition=" + form_encode(valid.dump()));
    CHECK(again.status == 200);
    CHECK(has(again.body, "version 2: unchanged"));
  }
}

TEST_CASE("a roster import shows its errors per line and imports nothing, then imports",
          "[http][admin]") {
  admin_browser b;
  b.sign_in(b.store.admin.secret);
  const std::string bad =
      "id,name,team\r\ns-201,Pat <b>Lee</b>,benefits\r\n-bad,,payroll\r\ns-202,Kim,\r\n";
  const auto refused = b.post("/admin/roster", "csv=" + form_encode(bad));
  CHECK(refused.status == 400);
  check_page_headers(refused);
  INFO(between(refused.body, "id=\"roster-problems\"", "</div>"));
  CHECK(has(refused.body, "<li><code>/lines/3/id: "));
  CHECK(has(refused.body, "<li><code>/lines/3/name: "));
  CHECK(has(refused.body, "<li><code>/lines/4/team: "));
  CHECK_FALSE(has(refused.body, "/lines/2/"));
  CHECK(has(refused.body, "Pat &lt;b&gt;Lee&lt;/b&gt;"));  // the CSV shown again, as text
  CHECK(b.api("/api/v1/staff")["staff"].size() == 6);

  const std::string good = "id,name,team\r\ns-201,Pat Lee,benefits\r\ns-101,Ana Pop,benefits\r\n";
  const auto imported = b.post("/admin/roster", "csv=" + form_encode(good));
  REQUIRE(imported.status == 200);
  CHECK(has(imported.body, "Roster imported: 1 created, 0 updated, 1 unchanged."));
  CHECK(has(imported.body, "7 staff members are on the roster."));
  CHECK(b.api("/api/v1/staff")["staff"].size() == 7);
}

TEST_CASE("a token is shown once, works on the API, and stops working when revoked",
          "[http][admin]") {
  admin_browser b;
  b.sign_in(b.store.admin.secret);

  const auto bad = b.post("/admin/tokens", "role=admin&team=benefits&label=x");
  CHECK(bad.status == 400);
  CHECK(has(bad.body, "<li><code>/team: "));
  CHECK(has(b.post("/admin/tokens", "role=root&team=&label=x").body, "<li><code>/role: "));

  const auto created =
      b.post("/admin/tokens", "role=lead&team=benefits&label=" + form_encode("Pat <b>Lee</b>"));
  REQUIRE(created.status == 200);
  check_page_headers(created);
  const auto secret = between(created.body, "<code class=\"token-secret\">", "</code>");
  REQUIRE(secret.starts_with("hrs_"));
  const auto id = between(created.body, "Its id, for revoking it: <code>", "</code>");
  REQUIRE(id.starts_with("tok_"));
  CHECK(has(created.body, "Pat &lt;b&gt;Lee&lt;/b&gt;"));
  CHECK(b.client.get("/api/v1/surveys", secret).status == 200);
  // Shown once: the page does not have it again.
  const auto later = b.get("/admin");
  CHECK_FALSE(has(later.body, secret));
  CHECK(has(later.body, "<code>" + id + "</code>"));

  const auto revoked = b.post("/admin/tokens/" + id + "/revoke", "");
  REQUIRE(revoked.status == 200);
  CHECK(has(revoked.body, "Token " + id + " revoked."));
  CHECK_FALSE(has(revoked.body, "action=\"/admin/tokens/" + id + "/revoke\""));
  CHECK(b.client.get("/api/v1/surveys", secret).status == 401);
  CHECK(b.post("/admin/tokens/tok_unknown/revoke", "").status == 404);
}

TEST_CASE("admin POSTs without the session's CSRF token are refused and change nothing",
          "[http][admin]") {
  admin_browser b;
  b.sign_in(b.store.admin.secret);
  auto valid = shipped_template();
  valid["version"] = 2;
  const auto tokens_before = token_rows(b.get("/admin").body);
  REQUIRE(tokens_before == 4);

  for (const auto& prefix :
       {std::string(), std::string("_csrf=&"), "_csrf=" + std::string(64, '0') + "&"}) {
    INFO(prefix);
    const auto survey =
        b.post_without_csrf("/admin/surveys", prefix + "definition=" + form_encode(valid.dump()));
    CHECK(survey.status == 403);
    check_page_headers(survey);
    const auto roster = b.post_without_csrf(
        "/admin/roster", prefix + "csv=" + form_encode("id,name,team\ns-201,Pat,benefits\n"));
    CHECK(roster.status == 403);
    const auto token = b.post_without_csrf("/admin/tokens", prefix + "role=admin&team=&label=x");
    CHECK(token.status == 403);
    const auto revoke = b.post_without_csrf("/admin/tokens/" + b.store.lead.id + "/revoke", prefix);
    CHECK(revoke.status == 403);
  }
  CHECK(b.api("/api/v1/surveys/hr-service")["active_version"] == 1);
  CHECK(b.api("/api/v1/staff")["staff"].size() == 6);
  CHECK(token_rows(b.get("/admin").body) == tokens_before);
  CHECK(b.client.get("/api/v1/surveys", b.store.lead.secret).status == 200);
}
