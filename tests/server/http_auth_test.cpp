// Who may call what: every authenticated route against no token, an unknown token, a
// token revoked while the server runs, and each role it does not grant.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "server_process.hpp"

using hrs::testing::http_client;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::with_header;
using hrs::testing::with_type;

namespace {

enum class caller { none, unknown, revoked, admin, lead, team_lead, integration };

std::string to_string(caller c) {
  switch (c) {
    case caller::none:
      return "no token";
    case caller::unknown:
      return "unknown token";
    case caller::revoked:
      return "revoked token";
    case caller::admin:
      return "admin";
    case caller::lead:
      return "lead";
    case caller::team_lead:
      return "lead of one team";
    case caller::integration:
      return "integration";
  }
  return "?";
}

struct guarded_route {
  std::string method;
  std::string target;
  std::string body;
  std::string content_type;
  std::vector<caller> allowed;
};

}  // namespace

TEST_CASE("routes refuse callers without a valid token (401) or the role (403)", "[http]") {
  served_store store;
  // Two wrong tokens per route from one address: more than the failed-login limit lets
  // through (rate_limit_test.cpp tests that limit).
  server_process server(store.db(), {"--rate-failed-logins-per-minute", "0"});
  http_client client(server.port());

  // Revoked while the server runs: it must see that through the store.
  const auto doomed = store.create_token("admin");
  REQUIRE(client.get("/api/v1/surveys", doomed.secret).status == 200);
  store.revoke_token(doomed);

  const auto secret_of = [&](caller c) -> std::string {
    switch (c) {
      case caller::none:
        return {};
      case caller::unknown:
        return "hrs_this_token_was_never_issued_0123456789";
      case caller::revoked:
        return doomed.secret;
      case caller::admin:
        return store.admin.secret;
      case caller::lead:
        return store.lead.secret;
      case caller::team_lead:
        return store.benefits_lead.secret;
      case caller::integration:
        return store.integration.secret;
    }
    return {};
  };

  using enum caller;
  const std::string json_type = "application/json";
  const std::vector<guarded_route> routes = {
      {"GET", "/metrics", "", "", {admin, lead, team_lead, integration}},
      {"GET", "/api/v1/surveys", "", "", {admin, lead, team_lead}},
      {"GET", "/api/v1/surveys/hr-service", "", "", {admin, lead, team_lead}},
      {"POST", "/api/v1/surveys", "{}", json_type, {admin}},
      {"GET", "/api/v1/staff", "", "", {admin, integration}},
      {"PUT",
       "/api/v1/staff/s-101",
       R"({"name": "Ana Pop", "team": "benefits"})",
       json_type,
       {admin, integration}},
      {"POST",
       "/api/v1/staff:import",
       "id,name,team\r\ns-101,Ana Pop,benefits\r\n",
       "text/csv",
       {admin, integration}},
      {"POST",
       "/api/v1/invitations",
       R"({"survey": "hr-service", "staff": ["s-101"]})",
       json_type,
       {admin, integration}},
      {"GET", "/api/v1/reports/staff", "", "", {admin, lead, team_lead}},
      {"GET", "/api/v1/reports/staff/s-101", "", "", {admin, lead, team_lead}},
      {"GET", "/api/v1/reports/overview", "", "", {admin, lead, team_lead}},
  };
  const std::vector<caller> everyone = {none, unknown,   revoked,    admin,
                                        lead, team_lead, integration};

  int checked = 0;
  for (const auto& r : routes) {
    for (const caller c : everyone) {
      CAPTURE(r.method, r.target, to_string(c));
      auto reply =
          client.request(r.method, r.target, r.body, with_type(r.content_type, secret_of(c)));
      CAPTURE(reply.body);
      const bool valid = c != none && c != unknown && c != revoked;
      const bool allowed = std::find(r.allowed.begin(), r.allowed.end(), c) != r.allowed.end();
      if (!valid) {
        CHECK(reply.status == 401);
        CHECK(reply.error_code() == "unauthorized");
        CHECK(reply.header("www-authenticate").starts_with("Bearer"));
      } else if (!allowed) {
        CHECK(reply.status == 403);
        CHECK(reply.error_code() == "forbidden");
      } else {
        CHECK(reply.status != 401);
        CHECK(reply.status != 403);
        CHECK(reply.status < 500);
      }
      ++checked;
    }
  }
  CHECK(checked == 77);

  SECTION("other Authorization forms are no token") {
    const std::vector<std::string> values = {"Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ",
                                             store.admin.secret, "Token " + store.admin.secret};
    for (const auto& value : values) {
      CAPTURE(value);
      auto reply =
          client.request("GET", "/api/v1/surveys", "", with_header("Authorization", value));
      CHECK(reply.status == 401);
    }
    // The scheme is case-insensitive (RFC 7235).
    auto lower = client.request("GET", "/api/v1/surveys", "",
                                with_header("Authorization", "bearer " + store.admin.secret));
    CHECK(lower.status == 200);
  }
  SECTION("routes for respondents need no token") {
    CHECK(client.get("/healthz").status == 200);
    auto unknown = client.get("/api/v1/invitations/nope/survey");
    CHECK(unknown.status == 404);
  }
}
