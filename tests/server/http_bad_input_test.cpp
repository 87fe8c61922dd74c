// Bad input never crashes the server or stores anything: each request below gets a 4xx
// with the contract's error code, the store holds no response afterwards, and the server
// still answers /healthz.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "server_process.hpp"

using hrs::testing::http_client;
using hrs::testing::http_once;
using hrs::testing::raw_connection;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::valid_answers;
using hrs::testing::with_header;
using hrs::testing::with_token;
using hrs::testing::with_type;
using json = nlohmann::json;

namespace {

struct bad_body {
  std::string name;
  std::string body;
  unsigned status;
  std::string code;
  std::vector<std::string> paths;  // empty: not checked
};

// A JSON text whose answers are the valid ones with `replacement` spliced in as the raw
// text of the courtesy answer.
std::string with_courtesy(const std::string& token, const std::string& replacement) {
  auto answers = valid_answers();
  answers["courtesy"] = "@@";
  std::string text = json{{"token", token}, {"answers", answers}}.dump();
  text.replace(text.find("\"@@\""), 4, replacement);
  return text;
}

std::string with_answers(const std::string& token, const json& answers) {
  return json{{"token", token}, {"answers", answers}}.dump();
}

void expect_nothing_stored_and_healthy(const served_store& store, unsigned short port) {
  CHECK(hrs::testing::count_rows(store.db(), "responses") == 0);
  CHECK(http_once(port, "GET", "/healthz").status == 200);
}

}  // namespace

TEST_CASE("bad response bodies get 400 and store nothing", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client setup(server.port());
  const auto token = hrs::testing::create_invitation(setup, store.integration.secret);

  auto unknown_question = valid_answers();
  unknown_question["mood"] = 3;
  auto missing_required = valid_answers();
  missing_required.erase("courtesy");
  auto unknown_option = valid_answers();
  unknown_option["request_type"] = "lunch";
  auto too_long = valid_answers();
  too_long["comment"] = std::string(2001, 'x');
  auto names_staff = valid_answers();
  names_staff["staff"] = {"s-102"};
  auto several = valid_answers();
  several["courtesy"] = 0;
  several["quality"] = "great";
  several.erase("timeliness");

  std::string invalid_utf8 = with_answers(token, valid_answers());
  invalid_utf8.replace(invalid_utf8.find("Quick"), 5, "Qu\xff\xfe\xc3");
  std::string deep(40, '[');
  deep += std::string(40, ']');

  const std::string v = "validation_failed";
  const std::vector<bad_body> rows = {
      {"malformed JSON", R"({"token": ")" + token + R"(", "answers": {)", 400, v, {}},
      {"not JSON at all", "courtesy=5", 400, v, {}},
      {"an array, not an object", "[1, 2, 3]", 400, v, {""}},
      {"answers is an array",
       json{{"token", token}, {"answers", json::array()}}.dump(),
       400,
       v,
       {"/answers"}},
      {"token is a number",
       json{{"token", 42}, {"answers", valid_answers()}}.dump(),
       400,
       v,
       {"/token"}},
      {"locale is a number",
       json{{"token", token}, {"locale", 7}, {"answers", valid_answers()}}.dump(),
       400,
       v,
       {"/locale"}},
      {"no answers", json{{"token", token}}.dump(), 400, v, {"/answers"}},
      {"no token", json{{"answers", valid_answers()}}.dump(), 400, v, {"/token"}},
      {"an unknown top-level key",
       json{{"token", token}, {"answers", valid_answers()}, {"extra", 1}}.dump(),
       400,
       v,
       {"/extra"}},
      {"score 0", with_courtesy(token, "0"), 400, v, {"/answers/courtesy"}},
      {"score 6", with_courtesy(token, "6"), 400, v, {"/answers/courtesy"}},
      {"score -1", with_courtesy(token, "-1"), 400, v, {"/answers/courtesy"}},
      {"score 3.5", with_courtesy(token, "3.5"), 400, v, {"/answers/courtesy"}},
      {"score 5.0", with_courtesy(token, "5.0"), 400, v, {"/answers/courtesy"}},
      {"score \"5\"", with_courtesy(token, "\"5\""), 400, v, {"/answers/courtesy"}},
      {"score null", with_courtesy(token, "null"), 400, v, {"/answers/courtesy"}},
      {"score true", with_courtesy(token, "true"), 400, v, {"/answers/courtesy"}},
      {"score [5]", with_courtesy(token, "[5]"), 400, v, {"/answers/courtesy"}},
      {"score 1e400", with_courtesy(token, "1e400"), 400, v, {}},
      {"score 99999999999999999999999",
       with_courtesy(token, "99999999999999999999999"),
       400,
       v,
       {"/answers/courtesy"}},
      {"score 18446744073709551621",
       with_courtesy(token, "18446744073709551621"),
       400,
       v,
       {"/answers/courtesy"}},
      {"score -9223372036854775809",
       with_courtesy(token, "-9223372036854775809"),
       400,
       v,
       {"/answers/courtesy"}},
      {"an unknown question", with_answers(token, unknown_question), 400, v, {"/answers/mood"}},
      {"a required question missing",
       with_answers(token, missing_required),
       400,
       v,
       {"/answers/courtesy"}},
      {"an unknown option", with_answers(token, unknown_option), 400, v, {"/answers/request_type"}},
      {"a comment over max_length", with_answers(token, too_long), 400, v, {"/answers/comment"}},
      {"staff named in invitation mode",
       with_answers(token, names_staff),
       400,
       v,
       {"/answers/staff"}},
      {"every problem at once",
       with_answers(token, several),
       400,
       v,
       {"/answers/courtesy", "/answers/quality", "/answers/timeliness"}},
      {"invalid UTF-8 in a string", invalid_utf8, 400, v, {}},
      {"a lone surrogate escape",
       R"({"token": ")" + token + R"(", "answers": {"comment": "\udc00"}})",
       400,
       v,
       {}},
      {"duplicate keys",
       R"({"token": ")" + token +
           R"(", "answers": {"request_type": "benefits", "courtesy": 5, "courtesy": 1,
           "timeliness": 4, "quality": 3}})",
       400,
       v,
       {}},
      {"duplicate top-level keys",
       R"({"token": "x", "token": ")" + token + R"(", "answers": {}})",
       400,
       v,
       {}},
      {"nested too deeply",
       R"({"token": ")" + token + R"(", "answers": {"comment": )" + deep + "}}",
       400,
       v,
       {}},
      {"an empty body", "", 400, v, {}},
  };

  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto reply = http_once(server.port(), "POST", "/api/v1/responses", row.body);
    CAPTURE(reply.body);
    CHECK(reply.status == row.status);
    CHECK(reply.error_code() == row.code);
    if (!row.paths.empty()) {
      auto paths = reply.detail_paths();
      std::sort(paths.begin(), paths.end());
      CHECK(paths == row.paths);
    }
    expect_nothing_stored_and_healthy(store, server.port());
  }

  SECTION("the wrong content type is 415") {
    for (const std::string type :
         {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""}) {
      CAPTURE(type);
      auto reply = http_once(server.port(), "POST", "/api/v1/responses",
                             with_answers(token, valid_answers()), with_type(type));
      CHECK(reply.status == 415);
      CHECK(reply.error_code() == "unsupported_media_type");
      expect_nothing_stored_and_healthy(store, server.port());
    }
    // Parameters and case do not matter.
    auto charset =
        http_once(server.port(), "POST", "/api/v1/responses", with_answers(token, valid_answers()),
                  with_type("Application/JSON; charset=utf-8"));
    CHECK(charset.status == 201);
  }
  SECTION("after all that, the invitation still takes its one response") {
    auto reply =
        http_once(server.port(), "POST", "/api/v1/responses", with_answers(token, valid_answers()));
    CHECK(reply.status == 201);
    CHECK(hrs::testing::count_rows(store.db(), "responses") == 1);
  }
}

TEST_CASE("requests over the limits are refused before they are read whole", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client setup(server.port());
  const auto token = hrs::testing::create_invitation(setup, store.integration.secret);
  const std::size_t limit = 64 * 1024;

  SECTION("a Content-Length over the body limit: 413 after the headers") {
    raw_connection c(server.port());
    REQUIRE(
        c.send("POST /api/v1/responses HTTP/1.1\r\nHost: x\r\n"
               "Content-Type: application/json\r\nContent-Length: " +
               std::to_string(limit + 1) + "\r\n\r\n"));
    auto reply = c.read_reply();  // sent without a byte of the body
    REQUIRE(reply);
    CHECK(reply->status == 413);
    CHECK(reply->error_code() == "too_large");
    CHECK(reply->header("connection") == "close");
    CHECK(c.wait_closed());
  }
  SECTION("a huge Content-Length: 413 at once") {
    raw_connection c(server.port());
    REQUIRE(
        c.send("POST /api/v1/responses HTTP/1.1\r\nHost: x\r\n"
               "Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{"));
    auto reply = c.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 413);
  }
  SECTION("a chunked body that crosses the limit: 413 without the rest") {
    raw_connection c(server.port());
    std::string bytes =
        "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    // Four chunks of 16 KiB fill the limit exactly; the fifth chunk's header crosses it and
    // its data never comes.
    for (int i = 0; i < 4; ++i)
      bytes += "4000\r\n" + std::string(16 * 1024, ' ') + "\r\n";
    bytes += "4000\r\n";
    REQUIRE(c.send(bytes));
    auto reply = c.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 413);
    CHECK(reply->error_code() == "too_large");
    CHECK(c.wait_closed());
  }
  SECTION("a body just under the limit is read and judged") {
    auto answers = valid_answers();
    answers["comment"] = std::string(limit - 400, 'x');
    auto reply =
        http_once(server.port(), "POST", "/api/v1/responses", with_answers(token, answers));
    CHECK(reply.status == 400);  // over the comment's max_length, not the body limit
    CHECK(reply.detail_paths() == std::vector<std::string>{"/answers/comment"});
  }
  SECTION("headers over the limit: 431") {
    raw_connection c(server.port());
    // Sent in one go: the server reads all of it before it answers and closes.
    REQUIRE(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(9000, 'a') +
                   "\r\n\r\n"));
    auto reply = c.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 431);
    CHECK(reply->error_code() == "headers_too_large");
    CHECK(c.wait_closed());
  }
  SECTION("a target over the limit: 414") {
    auto reply = http_once(server.port(), "GET", "/api/v1/surveys?q=" + std::string(3000, 'a'), {},
                           with_token(store.admin.secret));
    CHECK(reply.status == 414);
    CHECK(reply.error_code() == "target_too_long");
  }
  SECTION("garbage instead of HTTP: 400") {
    raw_connection c(server.port());
    REQUIRE(c.send("HELLO THERE\r\n\r\n"));
    auto reply = c.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 400);
    CHECK(c.wait_closed());
  }
  SECTION("a bad chunk size: 400") {
    raw_connection c(server.port());
    REQUIRE(
        c.send("POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: "
               "application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
    auto reply = c.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 400);
  }
  expect_nothing_stored_and_healthy(store, server.port());
}

TEST_CASE("unknown paths and wrong methods and hostile ids are 4xx and never 500", "[http]") {
  served_store store;
  server_process server(store.db());
  const auto& admin = store.admin.secret;

  SECTION("an unknown path of the API is 404") {
    for (const std::string target :
         {"/api/v1/nope", "/api/v2/surveys", "/api/v1/surveys/hr-service/extra", "/api/v1/staff/",
          "/healthz/"}) {
      CAPTURE(target);
      auto reply = http_once(server.port(), "GET", target, {}, with_token(admin));
      CHECK(reply.status == 404);
      CHECK(reply.error_code() == "not_found");
    }
  }
  SECTION("a wrong method is 405 with Allow") {
    auto del = http_once(server.port(), "DELETE", "/api/v1/staff", {}, with_token(admin));
    CHECK(del.status == 405);
    CHECK(del.error_code() == "method_not_allowed");
    CHECK(del.header("allow") == "GET");
    auto put = http_once(server.port(), "PUT", "/api/v1/surveys", "{}", with_token(admin));
    CHECK(put.status == 405);
    CHECK(put.header("allow") == "GET, POST");
    auto get = http_once(server.port(), "GET", "/api/v1/responses");
    CHECK(get.status == 405);
    CHECK(get.header("allow") == "POST");
    auto odd = http_once(server.port(), "BREW", "/healthz");
    CHECK(odd.status >= 400);
    CHECK(odd.status < 500);
  }
  SECTION("ids with quotes, dot segments or encoded slashes") {
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"GET", "/api/v1/surveys/%22hr-service%22"},
        {"GET", "/api/v1/surveys/'%20OR%201=1--"},
        {"GET", "/api/v1/surveys/..%2F..%2Fetc%2Fpasswd"},
        {"GET", "/api/v1/surveys/../staff"},
        {"GET", "/api/v1/surveys/%2E%2E"},
        {"GET", "/api/v1/surveys/hr-service%00"},
        {"GET", "/api/v1/reports/staff/..%2Fs-101"},
        {"GET", "/api/v1/reports/staff/%22%3E%3Cscript%3E"},
        {"GET", "/api/v1/invitations/%22'%3B--/survey"},
        {"GET", "/api/v1/invitations/..%2F..%2F/survey"},
        {"GET", "/api/v1/invitations/%ZZ/survey"},
        {"GET", "/api/v1/surveys/%ff%fe"},
        {"PUT", "/api/v1/staff/%22quoted%22"},
        {"PUT", "/api/v1/staff/..%2Fs-101"},
        {"PUT", "/api/v1/staff/%00"},
        {"POST", "/api/v1/campaigns/..%2Fhr-service/responses"},
        {"POST", "/api/v1/campaigns/%22hr-service%22/responses"},
    };
    for (const auto& [method, target] : requests) {
      CAPTURE(method, target);
      std::string body;
      if (method == "PUT") body = R"({"name": "X", "team": "payroll"})";
      if (method == "POST") body = json{{"answers", valid_answers()}}.dump();
      auto reply = http_once(server.port(), method, target, body, with_token(admin));
      CAPTURE(reply.body);
      CHECK((reply.status == 400 || reply.status == 404));
      CHECK(!reply.error_code().empty());
    }
    auto staff = http_once(server.port(), "GET", "/api/v1/staff", {}, with_token(admin));
    CHECK(staff.json()["staff"].size() == 6);
  }
  expect_nothing_stored_and_healthy(store, server.port());
}
