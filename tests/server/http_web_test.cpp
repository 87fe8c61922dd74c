// The web pages as a browser without JavaScript uses them: GET the survey form, POST it
// urlencoded, follow the 303 to the thank-you page, see errors next to their questions,
// spoken over HTTP to the real server binary.

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/invitations.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"
#include "server_process.hpp"

using hrs::testing::count_rows;
using hrs::testing::create_invitation;
using hrs::testing::http_client;
using hrs::testing::http_once;
using hrs::testing::http_reply;
using hrs::testing::raw_connection;
using hrs::testing::request_options;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::with_header;
using hrs::testing::with_type;

namespace {

constexpr std::string_view form_type = "application/x-www-form-urlencoded";

// A complete, valid answer to hr-service as a browser posts it.
const std::string valid_form =
    "request_type=benefits&importance=4&courtesy=5&timeliness=4&quality=3&expectations=4"
    "&comment=Quick+and+kind.";

http_reply post_form(http_client& client, std::string_view target, std::string body) {
  return client.request("POST", target, std::move(body), with_type(std::string(form_type)));
}

http_reply get_with(http_client& client, std::string_view target, std::string header,
                    std::string value) {
  return client.request("GET", target, {}, with_header(std::move(header), std::move(value)));
}

bool has(const std::string& html, std::string_view needle) {
  return html.find(needle) != std::string::npos;
}

std::size_t count(const std::string& html, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1))
    ++n;
  return n;
}

// The markup of one question: from its element (id="q-<id>") up to the next question or
// the end of the form.
std::string question_html(const std::string& html, std::string_view id) {
  const auto start = html.find("id=\"q-" + std::string(id) + "\"");
  if (start == std::string::npos) return {};
  auto end = html.find("id=\"q-", start + 1);
  if (end == std::string::npos) end = html.find("</form>", start);
  return html.substr(start, end - start);
}

// The value of the html element's lang attribute.
std::string page_lang(const std::string& html) {
  const std::string marker = "<html lang=\"";
  const auto start = html.find(marker);
  if (start == std::string::npos) return {};
  const auto end = html.find('"', start + marker.size());
  return html.substr(start + marker.size(), end - start - marker.size());
}

// What every HTML response carries.
void check_page_headers(const http_reply& reply) {
  CHECK(reply.header("content-type") == "text/html; charset=utf-8");
  const auto csp = reply.header("content-security-policy");
  CHECK(has(csp, "default-src 'none'"));
  CHECK(has(csp, "style-src 'self'"));
  CHECK(has(csp, "form-action 'self'"));
  CHECK(has(csp, "frame-ancestors 'none'"));
  CHECK_FALSE(has(csp, "unsafe-inline"));
  CHECK_FALSE(has(csp, "script-src"));  // default-src 'none': no script at all
  CHECK(reply.header("x-content-type-options") == "nosniff");
  CHECK(reply.header("referrer-policy") == "no-referrer");
  CHECK_FALSE(has(reply.body, "<script"));
  CHECK_FALSE(has(reply.body, " style="));  // the CSP would block inline styles
}

// One column of the stored responses in order, read from the file as its holder would.
std::vector<std::string> stored_column(const std::filesystem::path& db, std::string_view column) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> handle(raw, sqlite3_close_v2);
  sqlite3_busy_timeout(raw, 10'000);
  sqlite3_stmt* stmt = nullptr;
  const auto sql = "SELECT " + std::string(column) + " FROM responses ORDER BY id";
  REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> guard(stmt, sqlite3_finalize);
  std::vector<std::string> out;
  while (sqlite3_step(stmt) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  return out;
}

// The staff lists of the stored responses.
std::vector<std::string> stored_staff(const std::filesystem::path& db) {
  return stored_column(db, "staff");
}

// An invitation made 30 days ago that expired after one day, created through the engine
// with its clock set back, before the server opens the store.
std::string expired_invitation(const served_store& store) {
  hrs::engine::store_options options;
  options.file = store.db();
  options.clock = [] { return hrs::engine::now_seconds() - 30 * hrs::engine::seconds_per_day; };
  auto opened = hrs::engine::store::open(std::move(options));
  REQUIRE(opened);
  REQUIRE(hrs::engine::sync_definitions(**opened, HRS_SOURCE_DIR "/survey_defs",
                                        hrs::engine::command_line_actor("test"))
              .ok);
  auto inv = hrs::engine::create_invitation(**opened, {"hr-service", {"s-102"}, "it", {}, 1});
  REQUIRE(inv);
  (*opened)->close();
  return *inv->token;
}

}  // namespace

TEST_CASE("GET /s/{token} is the survey form: fieldsets, labels, staff, headers", "[http][web]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto token = create_invitation(client, store.integration.secret, {"s-101", "s-103"});

  const auto page = client.get("/s/" + token);
  REQUIRE(page.status == 200);
  check_page_headers(page);
  CHECK(page.header("cache-control") == "no-store");
  const auto& html = page.body;
  CHECK(page_lang(html) == "en");
  CHECK(has(html, "<title>How did HR do?</title>"));
  // Posts to itself, urlencoded (the default of a form), in its language.
  CHECK(has(html, "<form method=\"post\" action=\"?lang=en\""));
  CHECK_FALSE(has(html, "enctype="));
  // Five rating questions, each a fieldset of five radios with its legend.
  CHECK(count(html, "<fieldset class=\"question rating") == 5);
  for (const auto* id : {"importance", "courtesy", "timeliness", "quality", "expectations"}) {
    const auto question = question_html(html, id);
    INFO(id);
    CHECK(has(question, "<legend>"));
    CHECK(count(question, "type=\"radio\" name=\"" + std::string(id) + "\"") == 5);
  }
  // Point labels are shown; required questions are marked, and required in HTML too.
  CHECK(has(question_html(html, "courtesy"), "<span class=\"point-label\">Very poor</span>"));
  CHECK(has(question_html(html, "expectations"), "As expected"));
  CHECK(count(html, "<span class=\"required\">(required)</span>") == 4);
  CHECK(has(question_html(html, "courtesy"), " required>"));
  CHECK_FALSE(has(question_html(html, "importance"), " required>"));
  // The invitation names the staff: their names are shown, the staff question is not.
  CHECK(has(html, "Your request was handled by <strong>Ana Pop, Lucía Gómez</strong>."));
  CHECK_FALSE(has(html, "name=\"staff\""));
  CHECK(has(html, "<textarea id=\"f-comment\" name=\"comment\""));
  CHECK(has(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));

  SECTION("the stylesheet is served from the binary, cacheable for a year") {
    const auto start = html.find("href=\"/static/hrsurvey.css?v=");
    REQUIRE(start != std::string::npos);
    const auto href_start = start + 6;
    const auto href = html.substr(href_start, html.find('"', href_start) - href_start);
    const auto css = client.get(href);
    CHECK(css.status == 200);
    CHECK(css.header("content-type") == "text/css; charset=utf-8");
    CHECK(has(css.header("cache-control"), "max-age=31536000"));
    CHECK(has(css.body, ".scale"));
    CHECK(client.get("/static/other.css").status == 404);
  }
}

TEST_CASE("the form's language: ?lang=, then the invitation's, then Accept-Language",
          "[http][web]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto italian = create_invitation(client, store.integration.secret, {"s-101"}, "it");
  const auto path = "/s/" + italian;

  const auto invited = client.get(path);
  CHECK(page_lang(invited.body) == "it");
  CHECK(has(invited.body, "<h1>Com&apos;è andata con le Risorse Umane?</h1>"));
  CHECK(has(invited.body, "(obbligatoria)"));
  CHECK(has(invited.body, "Invia le risposte"));
  // The switcher offers every locale of the template, the current one not as a link.
  CHECK(has(invited.body, "<a href=\"?lang=es\" lang=\"es\" hreflang=\"es\">Español</a>"));
  CHECK(has(invited.body, "<span lang=\"it\" aria-current=\"true\">Italiano</span>"));

  // ?lang= (the switcher) wins; a parent tag is found; an unknown one falls through to the
  // invitation's locale.
  CHECK(page_lang(client.get(path + "?lang=es").body) == "es");
  CHECK(page_lang(client.get(path + "?lang=zh-Hant").body) == "zh-Hant");
  CHECK(page_lang(client.get(path + "?lang=ro-MD").body) == "ro");
  CHECK(page_lang(client.get(path + "?lang=fr").body) == "it");
  CHECK(page_lang(client.get(path + "?lang=%3Cb%3E").body) == "it");
  // The invitation's locale (here: chosen by the integration) beats the browser's.
  CHECK(page_lang(get_with(client, path, "Accept-Language", "es").body) == "it");

  // Every locale of the template has the UI texts in its language.
  const std::vector<std::pair<std::string, std::string>> submit_buttons{
      {"en", "Send my answers"},
      {"it", "Invia le risposte"},
      {"es", "Enviar mis respuestas"},
      {"ro", "Trimiteți răspunsurile"},
      {"zh-Hant", "送出回覆"}};
  for (const auto& [locale, button] : submit_buttons) {
    INFO(locale);
    const auto page = client.get(path + "?lang=" + locale);
    CHECK(page_lang(page.body) == locale);
    CHECK(has(page.body, "<button type=\"submit\">" + button + "</button>"));
  }

  // Without an invitation (the campaign form) Accept-Language decides, by preference, and
  // the template's default is the fallback.
  const auto campaign = [&](std::string accept) {
    return page_lang(get_with(client, "/c/hr-service", "Accept-Language", std::move(accept)).body);
  };
  CHECK(campaign("ro-RO,ro;q=0.9,en;q=0.5") == "ro");
  CHECK(campaign("en;q=0.2, es;q=0.9") == "es");
  CHECK(campaign("zh-Hant-TW") == "zh-Hant");
  CHECK(campaign("fr-FR, de;q=0.5") == "en");
  CHECK(campaign("it;q=0, es;q=0.1") == "es");
  CHECK(campaign("") == "en");
  CHECK(page_lang(client.get("/c/hr-service?lang=it").body) == "it");
}

TEST_CASE("an invitation made without a locale follows the browser, then the default",
          "[http][web]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto made =
      client.post_json("/api/v1/invitations", {{"survey", "hr-service"}, {"staff", {"s-101"}}},
                       store.integration.secret);
  REQUIRE(made.status == 201);
  CHECK(made.json()["locale"].is_null());  // none given, none invented
  const auto path = "/s/" + made.json()["token"].get<std::string>();

  CHECK(page_lang(get_with(client, path, "Accept-Language", "ro-RO,ro;q=0.9").body) == "ro");
  CHECK(page_lang(get_with(client, path, "Accept-Language", "fr, es;q=0.5").body) == "es");
  CHECK(page_lang(get_with(client, path, "Accept-Language", "fr").body) == "en");
  CHECK(page_lang(client.get(path).body) == "en");
  // ?lang= still wins over the browser.
  CHECK(page_lang(get_with(client, path + "?lang=zh-Hant", "Accept-Language", "ro").body) ==
        "zh-Hant");
  // The API's survey for the token: ?locale=, else the template's default.
  CHECK(client.get("/api/v1/invitations/" + made.json()["token"].get<std::string>() + "/survey")
            .json()["survey"]["locale"] == "en");

  // The response is stored in the language the form was shown in.
  const auto posted =
      client.request("POST", path + "?lang=ro", valid_form, with_type(std::string(form_type)));
  CHECK(posted.status == 303);
  CHECK(stored_column(store.db(), "locale") == std::vector<std::string>{"ro"});

  // A locale given by the integration is kept, resolved, and beats the browser.
  const auto given = client.post_json(
      "/api/v1/invitations", {{"survey", "hr-service"}, {"staff", {"s-101"}}, {"locale", "it-CH"}},
      store.integration.secret);
  REQUIRE(given.status == 201);
  CHECK(given.json()["locale"] == "it");
  CHECK(page_lang(get_with(client, "/s/" + given.json()["token"].get<std::string>(),
                           "Accept-Language", "ro")
                      .body) == "it");
}

TEST_CASE("a valid form post is stored once, then the link says it was answered", "[http][web]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto token = create_invitation(client, store.integration.secret, {"s-101"}, "es");

  const auto posted = post_form(client, "/s/" + token + "?lang=es", valid_form);
  REQUIRE(posted.status == 303);
  CHECK(posted.header("location") == "/thanks/hr-service?lang=es");
  CHECK(posted.header("referrer-policy") == "no-referrer");
  CHECK(count_rows(store.db(), "responses") == 1);
  CHECK(stored_staff(store.db()) == std::vector<std::string>{R"(["s-101"])"});

  const auto thanks = client.get(posted.header("location"));
  CHECK(thanks.status == 200);
  check_page_headers(thanks);
  CHECK(page_lang(thanks.body) == "es");
  CHECK(has(thanks.body, "<h1>Gracias</h1>"));
  CHECK(has(thanks.body, "Tu opinión ayuda a Recursos Humanos"));

  // The same form again (a double click, the back button): no second response.
  const auto again = post_form(client, "/s/" + token + "?lang=es", valid_form);
  CHECK(again.status == 409);
  check_page_headers(again);
  CHECK(has(again.body, "<h1>Ya respondida</h1>"));
  const auto reopened = client.get("/s/" + token);
  CHECK(reopened.status == 409);
  CHECK(has(reopened.body, "<h1>Ya respondida</h1>"));
  CHECK_FALSE(has(reopened.body, "<form"));
  CHECK(count_rows(store.db(), "responses") == 1);
}

TEST_CASE(
    "an invalid post shows the form again with the answers kept and each error at its "
    "question",
    "[http][web]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto token = create_invitation(client, store.integration.secret);
  const auto path = "/s/" + token + "?lang=en";

  // "5.0" and "abc" are no ratings, quality is left empty (required), a comment with
  // markup in it, a choice and an optional rating that are fine.
  const auto reply =
      post_form(client, path,
                "request_type=payroll&importance=4&courtesy=5.0&timeliness=abc"
                "&quality=&comment=%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E+%26+me");
  REQUIRE(reply.status == 400);
  check_page_headers(reply);
  const auto& html = reply.body;
  CHECK(has(html, "Some answers need your attention:"));
  CHECK(count(html, "<p class=\"error\"") == 3);
  CHECK(has(question_html(html, "courtesy"),
            "<p class=\"error\" id=\"e-courtesy\">Choose a number from 1 to 5.</p>"));
  CHECK(has(question_html(html, "courtesy"), "aria-describedby=\"e-courtesy\""));
  CHECK(has(question_html(html, "timeliness"), "Choose a number from 1 to 5."));
  CHECK(has(question_html(html, "quality"), "Please answer this question."));
  CHECK(has(html, "<a href=\"#q-quality\">"));
  CHECK_FALSE(has(question_html(html, "request_type"), "class=\"error\""));
  // What was chosen and typed is still there; the markup comes back as text.
  CHECK(has(question_html(html, "request_type"), "value=\"payroll\" checked"));
  CHECK(has(question_html(html, "importance"), "value=\"4\" checked"));
  CHECK(has(question_html(html, "comment"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; me</textarea>"));
  CHECK_FALSE(has(html, "<script"));
  CHECK(count_rows(store.db(), "responses") == 0);

  SECTION("the errors are in the page's language") {
    const auto italian =
        post_form(client, "/s/" + token + "?lang=it", "request_type=payroll&courtesy=9");
    CHECK(italian.status == 400);
    CHECK(has(question_html(italian.body, "courtesy"), "Scegli un numero da 1 a 5."));
    CHECK(has(question_html(italian.body, "quality"), "Rispondi a questa domanda."));
  }
  SECTION("a field sent twice, an unknown option and a text too long are refused") {
    const auto twice = post_form(client, path,
                                 "request_type=lunch&courtesy=5&courtesy=4&timeliness=4&quality=4"
                                 "&comment=" +
                                     std::string(2001, 'x'));
    CHECK(twice.status == 400);
    CHECK(has(question_html(twice.body, "courtesy"), "Choose a number from 1 to 5."));
    CHECK(has(question_html(twice.body, "request_type"), "Choose one of the options."));
    CHECK(has(question_html(twice.body, "comment"), "Please write at most 2000 characters."));
    CHECK(count_rows(store.db(), "responses") == 0);
  }
  SECTION("the invitation can still be answered after a refused post") {
    CHECK(post_form(client, path, valid_form).status == 303);
    CHECK(count_rows(store.db(), "responses") == 1);
  }
}

TEST_CASE("one respondent's answers and errors never show on the next page rendered",
          "[http][web]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto first = create_invitation(client, store.integration.secret, {"s-101"});
  const auto second = create_invitation(client, store.integration.secret, {"s-103"});

  // Several turns, so that each I/O thread renders each page more than once from the
  // template it keeps.
  for (int turn = 0; turn < 4; ++turn) {
    INFO("turn " << turn);
    const auto refused = post_form(client, "/s/" + first + "?lang=en",
                                   "request_type=payroll&courtesy=9&comment=first+respondent");
    REQUIRE(refused.status == 400);
    CHECK(has(refused.body, "first respondent</textarea>"));
    CHECK(has(refused.body, "<strong>Ana Pop</strong>"));

    const auto clean = client.get("/s/" + second);
    REQUIRE(clean.status == 200);
    CHECK_FALSE(has(clean.body, "error-summary"));
    CHECK_FALSE(has(clean.body, "class=\"error\""));
    CHECK_FALSE(has(clean.body, " checked"));
    CHECK_FALSE(has(clean.body, "first respondent"));
    CHECK(has(clean.body, "<strong>Lucía Gómez</strong>"));
    CHECK_FALSE(has(clean.body, "Ana Pop"));

    const auto italian = client.get("/s/" + second + "?lang=it");
    REQUIRE(italian.status == 200);
    CHECK(page_lang(italian.body) == "it");
    CHECK_FALSE(has(italian.body, "Ana Pop"));
  }
}

TEST_CASE("expired and unknown links get a page that says so", "[http][web]") {
  served_store store;
  const auto expired = expired_invitation(store);
  server_process server(store.db());
  http_client client(server.port());

  const auto page = client.get("/s/" + expired);
  CHECK(page.status == 410);
  check_page_headers(page);
  CHECK(page_lang(page.body) == "it");
  CHECK(has(page.body, "<h1>Questo link è scaduto</h1>"));
  CHECK_FALSE(has(page.body, "<form"));
  CHECK(post_form(client, "/s/" + expired, valid_form).status == 410);
  CHECK(count_rows(store.db(), "responses") == 0);

  for (const auto* target : {"/s/AAAAAAAAAAAAAAAAAAAAAA", "/s/not-a-token", "/c/no-such-survey",
                             "/thanks/no-such-survey"}) {
    INFO(target);
    const auto unknown = client.get(target);
    CHECK(unknown.status == 404);
    check_page_headers(unknown);
    CHECK(has(unknown.body, "<h1>Page not found</h1>"));
  }
  const auto romanian = get_with(client, "/s/AAAAAAAAAAAAAAAAAAAAAA", "Accept-Language", "ro");
  CHECK(romanian.status == 404);
  CHECK(page_lang(romanian.body) == "ro");
  CHECK(post_form(client, "/s/AAAAAAAAAAAAAAAAAAAAAA", valid_form).status == 404);
}

TEST_CASE("the campaign form: a staff picker by team with a search that keeps the answers",
          "[http][web]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());

  const auto page = client.get("/c/hr-service");
  REQUIRE(page.status == 200);
  check_page_headers(page);
  const auto picker = question_html(page.body, "staff");
  CHECK(has(picker, "<legend>Who helped you?</legend>"));
  CHECK(count(picker, "type=\"checkbox\" name=\"staff\"") == 6);
  CHECK(has(picker, "<legend>benefits</legend>"));
  CHECK(has(picker, "<legend>payroll</legend>"));
  CHECK(has(picker, "<legend>recruiting</legend>"));
  CHECK(has(picker, "<label for=\"staff-search\">Search by name</label>"));
  CHECK_FALSE(has(page.body, "Your request was handled by"));

  // ?q= filters by name without JavaScript.
  const auto filtered = client.get("/c/hr-service?q=MAR");
  const auto listed = question_html(filtered.body, "staff");
  CHECK(count(listed, "type=\"checkbox\"") == 2);  // Marco Rossi, Ioana Marin
  CHECK(has(listed, "value=\"s-102\""));
  CHECK(has(listed, "value=\"s-105\""));
  CHECK(has(question_html(client.get("/c/hr-service?q=zzz").body, "staff"),
            "Nobody matches this search."));
  const auto markup = client.get("/c/hr-service?q=%22%3E%3Cscript%3E");
  check_page_headers(markup);
  CHECK(has(markup.body, "name=\"_q\" value=\"&quot;&gt;&lt;script&gt;\""));

  SECTION("the search button posts the form back with the answers kept, storing nothing") {
    const auto searched = post_form(client, "/c/hr-service?lang=en",
                                    "courtesy=4&staff=s-101&comment=so+far&_q=lee&_action=search");
    CHECK(searched.status == 200);
    const auto staff = question_html(searched.body, "staff");
    CHECK(has(staff, "value=\"s-106\""));          // Sam Lee: found
    CHECK(has(staff, "value=\"s-101\" checked"));  // Ana Pop: chosen before, still there
    CHECK(count(staff, "type=\"checkbox\"") == 2);
    CHECK(has(staff, "name=\"_q\" value=\"lee\""));
    CHECK(has(question_html(searched.body, "courtesy"), "value=\"4\" checked"));
    CHECK(has(searched.body, ">so far</textarea>"));
    CHECK_FALSE(has(searched.body, "class=\"error\""));
    CHECK(count_rows(store.db(), "responses") == 0);
  }
  SECTION("a valid post names the staff picked and goes to the thank-you page") {
    const auto posted =
        post_form(client, "/c/hr-service?lang=ro", valid_form + "&staff=s-101&staff=s-103");
    REQUIRE(posted.status == 303);
    CHECK(posted.header("location") == "/thanks/hr-service?lang=ro");
    CHECK(stored_staff(store.db()) == std::vector<std::string>{R"(["s-101","s-103"])"});
  }
  SECTION("an unknown staff id is an error at the picker, with the choices kept") {
    const auto refused =
        post_form(client, "/c/hr-service?lang=en", valid_form + "&staff=s-102&staff=s-999");
    CHECK(refused.status == 400);
    const auto staff = question_html(refused.body, "staff");
    CHECK(has(staff, "Choose people from the list."));
    CHECK(has(staff, "value=\"s-102\" checked"));
    CHECK(count_rows(store.db(), "responses") == 0);
  }
}

TEST_CASE("form posts: wrong content type, malformed and oversized bodies", "[http][web]") {
  served_store store;
  server_process server(store.db(), {"--max-body-bytes", "4096"});
  http_client client(server.port());
  const auto token = create_invitation(client, store.integration.secret);
  const auto path = "/s/" + token;

  for (const auto* type : {"application/json", "multipart/form-data; boundary=x", "text/plain"}) {
    INFO(type);
    const auto refused = client.request("POST", path, valid_form, with_type(type));
    CHECK(refused.status == 415);
    check_page_headers(refused);
    CHECK(has(refused.body, "<h1>The form could not be read</h1>"));
  }
  CHECK(client.request("POST", "/c/hr-service", "{}", with_type("application/json")).status == 415);
  // A charset parameter is fine; a body that is no urlencoded form is not.
  CHECK(client
            .request("POST", path + "?lang=en", "courtesy=%zz",
                     with_type("application/x-www-form-urlencoded; charset=UTF-8"))
            .status == 400);
  // Forms count against the same body limit as JSON.
  const auto big = post_form(client, path, "comment=" + std::string(5000, 'x'));
  CHECK(big.status == 413);
  CHECK(count_rows(store.db(), "responses") == 0);
}

TEST_CASE("refusals before any route are pages on page paths and JSON on the API", "[http][web]") {
  served_store store;
  server_process server(store.db(), {"--max-body-bytes", "4096"});
  http_client setup(server.port());
  const auto token = create_invitation(setup, store.integration.secret);
  const auto in = [](std::string language) {
    return with_header("Accept-Language", std::move(language));
  };

  SECTION("an unknown page path is a 404 page in the browser's language") {
    for (const std::string target :
         {"/", "/no-such-page", "/dashboard/nope", "/s/", "/admin/x/y", "/apiary", "/healthzz"}) {
      INFO(target);
      const auto page = http_once(server.port(), "GET", target, {}, in("it-IT,it;q=0.9"));
      CHECK(page.status == 404);
      check_page_headers(page);
      CHECK(page_lang(page.body) == "it");
      CHECK(has(page.body, "<h1>Pagina non trovata</h1>"));
    }
    const auto english = http_once(server.port(), "GET", "/no-such-page?lang=fr");
    CHECK(english.status == 404);
    CHECK(page_lang(english.body) == "en");
    CHECK(has(english.body, "<h1>Page not found</h1>"));
    const auto chosen = http_once(server.port(), "GET", "/no-such-page?lang=es", {}, in("ro"));
    CHECK(page_lang(chosen.body) == "es");
  }
  SECTION("a wrong method on a page is a 405 page that keeps Allow") {
    const auto del = http_once(server.port(), "DELETE", "/s/" + token, {}, in("zh-Hant"));
    CHECK(del.status == 405);
    CHECK(del.header("allow") == "GET, POST");
    check_page_headers(del);
    CHECK(page_lang(del.body) == "zh-Hant");
    CHECK(has(del.body, "<h1>此網頁不支援這項操作</h1>"));
    const auto put = http_once(server.port(), "PUT", "/login", "token=x", with_type("text/plain"));
    CHECK(put.status == 405);
    CHECK(put.header("allow") == "GET, POST");
    CHECK(has(put.body, "<h1>This page cannot do that</h1>"));
    CHECK(http_once(server.port(), "POST", "/thanks/hr-service", "x=1", with_type("text/plain"))
              .header("content-type") == "text/html; charset=utf-8");
  }
  SECTION("a form over the body limit is a 413 page, and the connection closes") {
    raw_connection c(server.port());
    REQUIRE(c.send("POST /s/" + token +
                   " HTTP/1.1\r\nHost: x\r\nAccept-Language: ro\r\n"
                   "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n"
                   "\r\n"));
    const auto reply = c.read_reply();  // sent without a byte of the body
    REQUIRE(reply);
    CHECK(reply->status == 413);
    check_page_headers(*reply);
    CHECK(reply->header("connection") == "close");
    CHECK(page_lang(reply->body) == "ro");
    CHECK(has(reply->body, "<h1>S-a trimis prea mult text</h1>"));
    CHECK(c.wait_closed());

    const auto whole =
        post_form(setup, "/c/hr-service", "comment=" + std::string(5000, 'x') + "&staff=s-101");
    CHECK(whole.status == 413);
    CHECK(has(whole.body, "<h1>Too much was sent</h1>"));
  }
  SECTION("the API and the probes keep the JSON error body") {
    for (const std::string target : {"/api/v1/nope", "/api", "/metrics/x", "/healthz/"}) {
      INFO(target);
      const auto reply = http_once(server.port(), "GET", target, {}, in("it"));
      CHECK(reply.status == 404);
      CHECK(reply.header("content-type") == "application/json");
      CHECK(reply.error_code() == "not_found");
    }
    const auto del = http_once(server.port(), "DELETE", "/api/v1/staff", {}, in("it"));
    CHECK(del.status == 405);
    CHECK(del.error_code() == "method_not_allowed");
    const auto big = http_once(server.port(), "POST", "/api/v1/responses",
                               "{\"token\":\"" + std::string(5000, 'x') + "\"}");
    CHECK(big.status == 413);
    CHECK(big.error_code() == "too_large");
  }
  CHECK(count_rows(store.db(), "responses") == 0);
}
