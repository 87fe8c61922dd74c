// Requests over the size limits are refused as soon as the limit is crossed, before the
// rest is read, on the survey web pages as on the API: a declared body over the limit
// after the headers, a chunked body as it crosses the limit, headers that never end,
// and a target over its length. Small limits are set by flags. A refused survey link is
// a page, an API request gets the JSON error.

#include <catch2/catch.hpp>

#include <string>

#include "server_process.hpp"

using hrs::testing::http_client;
using hrs::testing::http_once;
using hrs::testing::raw_connection;
using hrs::testing::served_store;
using hrs::testing::server_process;

namespace {

constexpr std::size_t body_limit = 1024;

std::string head(const std::string& target, const std::string& type, const std::string& framing) {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\n" + framing +
         "\r\n\r\n";
}

}  // namespace

TEST_CASE("bodies, headers and targets over their limits are refused before they are read whole",
          "[http][limits]") {
  served_store store;
  server_process server(store.db(), {"--max-body-bytes", std::to_string(body_limit),
                                     "--max-header-bytes", "1024", "--max-target-bytes", "128"});
  const auto port = server.port();
  http_client setup(port);
  const auto token = hrs::testing::create_invitation(setup, store.integration.secret);
  const std::string form = "application/x-www-form-urlencoded";

  SECTION("a survey form declaring a body over the limit: 413 without a byte of it") {
    raw_connection c(port);
    REQUIRE(c.send(head("/s/" + token, form, "Content-Length: " + std::to_string(body_limit + 1))));
    auto reply = c.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 413);
    CHECK(reply->header("connection") == "close");
    CHECK(c.wait_closed());
  }
  SECTION("a chunked campaign form crossing the limit: 413 without the rest") {
    raw_connection c(port);
    // Two chunks of 512 bytes fill the limit; the third's header crosses it and its data
    // never comes.
    std::string bytes = head("/c/hr-service", form, "Transfer-Encoding: chunked");
    for (int i = 0; i < 2; ++i)
      bytes += "200\r\n" + std::string(512, 'a') + "\r\n";
    bytes += "200\r\n";
    REQUIRE(c.send(bytes));
    auto reply = c.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 413);
    CHECK(c.wait_closed());
  }
  SECTION("a chunked campaign response on the API crossing the limit: 413") {
    raw_connection c(port);
    std::string bytes = head("/api/v1/campaigns/hr-service/responses", "application/json",
                             "Transfer-Encoding: chunked");
    bytes += "400\r\n" + std::string(1024, ' ') + "\r\n1\r\n";
    REQUIRE(c.send(bytes));
    auto reply = c.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 413);
    CHECK(reply->error_code() == "too_large");
    CHECK(c.wait_closed());
  }
  SECTION("headers that grow past the limit and never end: 431") {
    raw_connection c(port);
    REQUIRE(
        c.send("GET /s/" + token + " HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(1500, 'a')));
    auto reply = c.read_reply();  // the headers were never finished
    REQUIRE(reply);
    CHECK(reply->status == 431);
    CHECK(reply->error_code() == "headers_too_large");
    CHECK(c.wait_closed());
  }
  SECTION("a survey link over the target limit: 414, a page in the browser's language") {
    auto reply = http_once(port, "GET", "/s/" + std::string(200, 'A'), {},
                           hrs::testing::with_header("Accept-Language", "it"));
    CHECK(reply.status == 414);
    CHECK(reply.header("content-type") == "text/html; charset=utf-8");
    CHECK(reply.header("connection") == "close");
    CHECK(reply.body.find("<html lang=\"it\"") != std::string::npos);
    CHECK(reply.body.find("Questo link è troppo lungo") != std::string::npos);
  }
  SECTION("an API target over the limit: 414 with the JSON error") {
    auto reply = http_once(port, "GET", "/api/v1/surveys?q=" + std::string(200, 'a'), {},
                           hrs::testing::with_token(store.admin.secret));
    CHECK(reply.status == 414);
    CHECK(reply.error_code() == "target_too_long");
  }
  CHECK(hrs::testing::count_rows(store.db(), "responses") == 0);
  CHECK(setup.get("/s/" + token).status == 200);
}
