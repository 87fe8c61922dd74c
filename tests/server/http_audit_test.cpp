// The audit log of admin actions as admins read it: actions through the command line,
// the JSON API and the admin pages, each with who did it, read back over
// GET /api/v1/audit (newest first, paged) and on /admin.

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server_process.hpp"

namespace {

using hrs::testing::cookie_of;
using hrs::testing::csrf_of;
using hrs::testing::http_client;
using hrs::testing::http_reply;
using hrs::testing::request_options;
using hrs::testing::served_store;
using hrs::testing::server_process;
using json = nlohmann::json;

bool has(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

request_options form_with_cookie(const std::string& cookie) {
  request_options opts;
  opts.content_type = "application/x-www-form-urlencoded";
  if (!cookie.empty()) opts.headers.emplace_back("Cookie", cookie);
  return opts;
}

// Every entry of the log, paging with `limit` entries a page.
std::vector<json> read_all(http_client& client, const std::string& admin, int limit) {
  std::vector<json> out;
  std::string target = "/api/v1/audit?limit=" + std::to_string(limit);
  for (int pages = 0; pages < 100; ++pages) {
    const auto reply = client.get(target, admin);
    REQUIRE(reply.status == 200);
    const auto body = reply.json();
    for (const auto& e : body.at("entries"))
      out.push_back(e);
    if (body.at("next_before").is_null()) return out;
    target = "/api/v1/audit?limit=" + std::to_string(limit) +
             "&before=" + std::to_string(body.at("next_before").get<long long>());
  }
  FAIL("the audit log does not end");
  return out;
}

}  // namespace

TEST_CASE("admin actions from the command line, the API and the admin pages are audited",
          "[http][audit]") {
  served_store store;  // the command line imported the roster and made four tokens
  server_process server(store.db());
  http_client client(server.port());

  const auto put = client.request("PUT", "/api/v1/staff/s-107",
                                  R"({"id":"s-107","name":"Noor Haddad","team":"payroll"})",
                                  hrs::testing::with_token(store.integration.secret));
  REQUIRE(put.status == 201);

  const auto signed_in =
      client.request("POST", "/login", "token=" + store.admin.secret, form_with_cookie({}));
  REQUIRE(signed_in.status == 303);
  const auto cookie = cookie_of(signed_in);
  const auto csrf = csrf_of(client.request("GET", "/admin", {}, form_with_cookie(cookie)).body);
  REQUIRE_FALSE(csrf.empty());
  const auto made = client.request("POST", "/admin/tokens",
                                   "_csrf=" + csrf + "&role=lead&label=%3Cb%3EPat%3C%2Fb%3E",
                                   form_with_cookie(cookie));
  REQUIRE(made.status == 200);

  const auto log = read_all(client, store.admin.secret, 2);
  // The command line's staff import and 4 tokens, the templates that `serve` stored at
  // its start, the integration's put, the admin page's token.
  REQUIRE(log.size() == 8);
  std::set<long long> ids;
  for (std::size_t i = 0; i < log.size(); ++i) {
    ids.insert(log[i].at("id").get<long long>());
    if (i > 0) CHECK(log[i - 1].at("id").get<long long>() > log[i].at("id").get<long long>());
    CHECK(log[i].at("at").get<std::string>().ends_with("Z"));
  }
  CHECK(ids.size() == log.size());  // no entry twice across pages

  CHECK(log[0].at("action") == "token.created");
  CHECK(log[0].at("actor") == json{{"id", store.admin.id}, {"label", ""}});
  CHECK(log[0].at("details").at("label") == "<b>Pat</b>");
  CHECK(log[1].at("action") == "staff.put");
  CHECK(log[1].at("target") == "s-107");
  CHECK(log[1].at("actor").at("id") == store.integration.id);
  CHECK(log[1].at("details") == json{{"outcome", "created"}});
  CHECK(log[2].at("action") == "survey.stored");
  CHECK(log[2].at("target") == "hr-service");
  CHECK(log[2].at("actor").at("id") == "cli");
  CHECK(log[2].at("details").at("outcome") == "created");
  for (std::size_t i = 3; i < 7; ++i) {
    CHECK(log[i].at("action") == "token.created");
    CHECK(log[i].at("actor") == json{{"id", "cli"}, {"label", "hrsurvey token create"}});
  }
  CHECK(log[7].at("action") == "staff.imported");
  CHECK(log[7].at("details") == json{{"created", 6}, {"updated", 0}, {"unchanged", 0}});
  CHECK(log[7].at("actor") == json{{"id", "cli"}, {"label", "hrsurvey staff import"}});

  // Token ids, never tokens.
  const auto whole = client.get("/api/v1/audit", store.admin.secret).body;
  for (const auto* secret : {&store.admin.secret, &store.lead.secret, &store.benefits_lead.secret,
                             &store.integration.secret})
    CHECK_FALSE(has(whole, *secret));
  CHECK(has(whole, store.lead.id));

  SECTION("the admin page shows the newest entries, escaped") {
    const auto page = client.request("GET", "/admin", {}, form_with_cookie(cookie));
    REQUIRE(page.status == 200);
    CHECK(has(page.body, "Recent changes"));
    CHECK(has(page.body, "staff.put"));
    CHECK(has(page.body, store.integration.id));
    CHECK_FALSE(has(page.body, "<b>Pat</b>"));
    CHECK(has(page.body, "&lt;b&gt;Pat&lt;/b&gt;"));
  }

  SECTION("a bad query is a 400 that names the parameter") {
    for (const auto* target :
         {"/api/v1/audit?limit=0", "/api/v1/audit?limit=501", "/api/v1/audit?limit=x",
          "/api/v1/audit?before=-1", "/api/v1/audit?from=2026-13-01",
          "/api/v1/audit?from=2026-02-02&to=2026-02-01"}) {
      INFO(target);
      const auto reply = client.get(target, store.admin.secret);
      CHECK(reply.status == 400);
      CHECK(reply.error_code() == "validation_failed");
      CHECK(reply.detail_paths().size() == 1);
    }
  }

  SECTION("a period outside every entry is empty") {
    const auto reply =
        client.get("/api/v1/audit?from=2000-01-01&to=2000-01-31", store.admin.secret);
    REQUIRE(reply.status == 200);
    CHECK(reply.json().at("entries").empty());
    CHECK(reply.json().at("next_before").is_null());
  }
}
