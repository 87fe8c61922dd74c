// Rate limits per client address: the public survey endpoints (JSON and web pages) and
// failed token checks (API bearer tokens, sign-in) answer 429 with Retry-After once an
// address has spent its budget, do nothing then, and leave other addresses alone.
// Clients are told apart by their loopback source address (127.0.0.x). The limits are
// set to refill in hours, so that nothing refills while a test runs.

#include <catch2/catch.hpp>

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "server_process.hpp"

using hrs::testing::http_client;
using hrs::testing::http_reply;
using hrs::testing::raw_connection;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::valid_answers;
using json = nlohmann::json;

namespace {

using header_list = std::vector<std::pair<std::string, std::string>>;

// One request on a fresh connection from the loopback address `from`.
http_reply ask(unsigned short port, const std::string& from, std::string_view method,
               std::string_view target, const std::string& body = {}, header_list headers = {}) {
  std::string bytes = std::string(method) + " " + std::string(target) +
                      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers)
    bytes += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST")
    bytes += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  bytes += "\r\n" + body;
  raw_connection c(port, from);
  REQUIRE(c.send(bytes));
  auto reply = c.read_reply();
  REQUIRE(reply);
  return *reply;
}

header_list json_type() {
  return {{"Content-Type", "application/json"}};
}

header_list form_type() {
  return {{"Content-Type", "application/x-www-form-urlencoded"}};
}

header_list bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

std::string submit_body(const std::string& token) {
  return json{{"token", token}, {"answers", valid_answers()}}.dump();
}

long retry_after(const http_reply& reply) {
  const auto text = reply.header("retry-after");
  long seconds = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc{} || end != text.data() + text.size()) return -1;
  return seconds;
}

// The 429 of an API route: the JSON error and a Retry-After in whole seconds.
void check_limited_json(const http_reply& reply) {
  CHECK(reply.status == 429);
  CHECK(reply.error_code() == "too_many_requests");
  CHECK(retry_after(reply) >= 1);
}

// The value of a counter line of /metrics, or -1 when missing.
double metric(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

}  // namespace

TEST_CASE("the public API endpoints answer 429 with Retry-After over an address's budget",
          "[http][rate]") {
  served_store store;
  // Three requests at once, then one every 100 minutes.
  server_process server(store.db(),
                        {"--rate-public-per-minute", "0.01", "--rate-public-burst", "3"});
  const auto port = server.port();
  http_client setup(port);
  const auto token = hrs::testing::create_invitation(setup, store.integration.secret);
  const auto survey = "/api/v1/invitations/" + token + "/survey";

  for (int i = 0; i < 3; ++i)
    CHECK(ask(port, "127.0.0.2", "GET", survey).status == 200);
  check_limited_json(ask(port, "127.0.0.2", "GET", survey));
  // The budget is the address's, not the endpoint's, and a refused answer stores nothing.
  check_limited_json(
      ask(port, "127.0.0.2", "POST", "/api/v1/responses", submit_body(token), json_type()));
  check_limited_json(ask(port, "127.0.0.2", "POST", "/api/v1/campaigns/hr-service/responses",
                         json{{"answers", valid_answers()}}.dump(), json_type()));
  CHECK(hrs::testing::count_rows(store.db(), "responses") == 0);

  // Endpoints without a limit still answer that address.
  CHECK(ask(port, "127.0.0.2", "GET", "/healthz").status == 200);
  CHECK(ask(port, "127.0.0.2", "GET", "/api/v1/surveys", {}, bearer(store.admin.secret)).status ==
        200);

  // Another address has its own budget.
  CHECK(
      ask(port, "127.0.0.3", "POST", "/api/v1/responses", submit_body(token), json_type()).status ==
      201);
  CHECK(hrs::testing::count_rows(store.db(), "responses") == 1);

  auto metrics = setup.get("/metrics", store.admin.secret);
  REQUIRE(metrics.status == 200);
  CHECK(metric(metrics.body, R"(hrsurvey_http_rate_limited_total{limit="public"})") == 3);
}

TEST_CASE("the survey web pages answer 429 with a page and Retry-After over the budget",
          "[http][rate]") {
  served_store store;
  server_process server(store.db(),
                        {"--rate-public-per-minute", "0.01", "--rate-public-burst", "2"});
  const auto port = server.port();
  http_client setup(port);
  const auto token = hrs::testing::create_invitation(setup, store.integration.secret);

  SECTION("the invitation form") {
    CHECK(ask(port, "127.0.0.4", "GET", "/s/" + token).status == 200);
    CHECK(ask(port, "127.0.0.4", "GET", "/s/" + token).status == 200);
    const auto refused =
        ask(port, "127.0.0.4", "POST", "/s/" + token,
            "courtesy=5&timeliness=4&quality=4&request_type=benefits", form_type());
    CHECK(refused.status == 429);
    CHECK(refused.header("content-type").starts_with("text/html"));
    CHECK(retry_after(refused) >= 1);
    CHECK(hrs::testing::count_rows(store.db(), "responses") == 0);
    // The link still works from elsewhere.
    CHECK(ask(port, "127.0.0.5", "GET", "/s/" + token).status == 200);
  }
  SECTION("the campaign form") {
    CHECK(ask(port, "127.0.0.6", "GET", "/c/hr-service").status == 200);
    CHECK(ask(port, "127.0.0.6", "GET", "/c/hr-service").status == 200);
    const auto refused = ask(port, "127.0.0.6", "GET", "/c/hr-service");
    CHECK(refused.status == 429);
    CHECK(refused.header("content-type").starts_with("text/html"));
    CHECK(retry_after(refused) >= 1);
    CHECK(ask(port, "127.0.0.7", "GET", "/c/hr-service").status == 200);
  }
}

TEST_CASE("an address that tried too many unknown tokens gets 429 and no token checked",
          "[http][rate]") {
  served_store store;
  server_process server(
      store.db(), {"--rate-failed-logins-per-minute", "0.01", "--rate-failed-logins-burst", "2"});
  const auto port = server.port();
  const std::string guess = "hrs_" + std::string(43, 'A');

  SECTION("bearer tokens on the API") {
    CHECK(ask(port, "127.0.0.2", "GET", "/api/v1/surveys", {}, bearer(guess)).status == 401);
    CHECK(ask(port, "127.0.0.2", "GET", "/api/v1/surveys", {}, bearer(guess + "B")).status == 401);
    check_limited_json(ask(port, "127.0.0.2", "GET", "/api/v1/surveys", {}, bearer(guess + "C")));
    // Not even the right token is looked at from there for now: a guess that happened to
    // be right would not be told apart from a wrong one.
    check_limited_json(
        ask(port, "127.0.0.2", "GET", "/api/v1/surveys", {}, bearer(store.admin.secret)));
    CHECK(ask(port, "127.0.0.3", "GET", "/api/v1/surveys", {}, bearer(store.admin.secret)).status ==
          200);
    // The public survey endpoints are another budget.
    CHECK(ask(port, "127.0.0.2", "GET", "/c/hr-service").status == 200);
  }
  SECTION("signing in on /login") {
    CHECK(ask(port, "127.0.0.4", "POST", "/login", "token=" + guess, form_type()).status == 401);
    CHECK(ask(port, "127.0.0.4", "POST", "/login", "token=" + guess + "B", form_type()).status ==
          401);
    const auto refused =
        ask(port, "127.0.0.4", "POST", "/login", "token=" + store.lead.secret, form_type());
    CHECK(refused.status == 429);
    CHECK(refused.header("content-type").starts_with("text/html"));
    CHECK(retry_after(refused) >= 1);
    CHECK(refused.header("set-cookie").empty());
    // Failures on the API and on the sign-in page share the budget.
    check_limited_json(
        ask(port, "127.0.0.4", "GET", "/api/v1/surveys", {}, bearer(store.admin.secret)));

    const auto signed_in =
        ask(port, "127.0.0.5", "POST", "/login", "token=" + store.lead.secret, form_type());
    CHECK(signed_in.status == 303);
    CHECK_FALSE(signed_in.header("set-cookie").empty());
  }
  SECTION("requests without a token are no guesses") {
    for (int i = 0; i < 5; ++i)
      CHECK(ask(port, "127.0.0.6", "GET", "/api/v1/surveys").status == 401);
    CHECK(ask(port, "127.0.0.6", "GET", "/api/v1/surveys", {}, bearer(store.admin.secret)).status ==
          200);
  }
}

TEST_CASE("behind a trusted proxy the forwarded address is the one limited", "[http][rate]") {
  served_store store;
  server_process server(store.db(), {"--rate-public-per-minute", "0.01", "--rate-public-burst", "2",
                                     "--trusted-proxy", "127.0.0.8"});
  const auto port = server.port();
  const auto from = [](std::string forwarded) {
    return header_list{{"X-Forwarded-For", std::move(forwarded)}};
  };

  CHECK(ask(port, "127.0.0.8", "GET", "/c/hr-service", {}, from("10.0.0.1")).status == 200);
  CHECK(ask(port, "127.0.0.8", "GET", "/c/hr-service", {}, from("10.0.0.1")).status == 200);
  CHECK(ask(port, "127.0.0.8", "GET", "/c/hr-service", {}, from("10.0.0.1")).status == 429);
  // Another client behind the same proxy.
  CHECK(ask(port, "127.0.0.8", "GET", "/c/hr-service", {}, from("10.0.0.2")).status == 200);
  // What the client itself put in front of the proxy's entry changes nothing.
  CHECK(ask(port, "127.0.0.8", "GET", "/c/hr-service", {}, from("10.9.9.9, 10.0.0.1")).status ==
        429);

  // From an address that is no trusted proxy, the header is the client's say-so: ignored.
  CHECK(ask(port, "127.0.0.9", "GET", "/c/hr-service", {}, from("10.0.0.3")).status == 200);
  CHECK(ask(port, "127.0.0.9", "GET", "/c/hr-service", {}, from("10.0.0.4")).status == 200);
  CHECK(ask(port, "127.0.0.9", "GET", "/c/hr-service", {}, from("10.0.0.5")).status == 429);
}

TEST_CASE("a public rate of 0 turns the limit off", "[http][rate]") {
  served_store store;
  server_process server(store.db(), {"--rate-public-per-minute", "0", "--rate-public-burst", "1"});
  http_client client(server.port());
  for (int i = 0; i < 20; ++i)
    CHECK(client.get("/c/hr-service").status == 200);
}

TEST_CASE("a trusted proxy that is no IP address stops the server at start", "[http][rate]") {
  served_store store;
  auto result = hrs::testing::run_hrsurvey(
      {"serve", "--listen", "127.0.0.1:0", "--db", store.db().string(), "--defs",
       std::string(HRS_SOURCE_DIR) + "/survey_defs", "--trusted-proxy", "proxy.example"});
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("proxy.example") != std::string::npos);
}
