// Slow and idle clients do not keep others out: connections that send nothing, or drip a
// request's headers a byte at a time, below and above --max-connections, while a normal
// client is served throughout. The timeouts are set far beyond the test's length: what
// keeps the server open is making room (server_context::make_room), not timing out.

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "server_process.hpp"

using hrs::testing::eventually;
using hrs::testing::http_client;
using hrs::testing::http_once;
using hrs::testing::raw_connection;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::valid_answers;
using json = nlohmann::json;

namespace {

// Headers that never end: a dripper sends them one byte per round.
const std::string endless_headers =
    "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(4000, 'a');

std::string submit_request(const std::string& token) {
  const auto body = json{{"token", token}, {"answers", valid_answers()}}.dump();
  return "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct dripper {
  std::unique_ptr<raw_connection> c;
  std::size_t sent = 0;
  // Sends the next byte; false once the server has closed the connection.
  bool drip() {
    if (!c->send(endless_headers.substr(sent++ % endless_headers.size(), 1))) return false;
    return c->open_and_quiet();
  }
};

const std::vector<std::string> slow_timeouts = {"--read-timeout", "600", "--idle-timeout", "600"};

std::vector<std::string> with(std::vector<std::string> extra) {
  extra.insert(extra.end(), slow_timeouts.begin(), slow_timeouts.end());
  return extra;
}

}  // namespace

TEST_CASE("idle and dripping connections from one address do not keep others out",
          "[http][slow-clients]") {
  served_store store;
  server_process server(store.db(),
                        with({"--max-connections", "8", "--max-connections-per-address", "4"}));
  const auto port = server.port();
  http_client setup(port);

  std::vector<std::unique_ptr<raw_connection>> silent;
  std::vector<dripper> drippers;
  int served = 0;
  // Rounds 1 to 4 stay under both caps; later ones go over the per-address cap and,
  // with the normal client, over --max-connections.
  for (int round = 1; round <= 24; ++round) {
    CAPTURE(round);
    silent.push_back(std::make_unique<raw_connection>(port, "127.0.0.2"));
    drippers.push_back({std::make_unique<raw_connection>(port, "127.0.0.3")});
    for (auto& d : drippers)
      (void)d.drip();  // the server may have closed some: that is the point

    CHECK(http_once(port, "GET", "/healthz").status == 200);
    if (round % 6 == 0) {
      const auto token = hrs::testing::create_invitation(setup, store.integration.secret);
      auto reply = http_once(port, "POST", "/api/v1/responses",
                             json{{"token", token}, {"answers", valid_answers()}}.dump());
      CHECK(reply.status == 201);
      if (reply.status == 201) ++served;
    }
    CHECK(setup.get("/healthz").status == 200);  // a kept-alive client, too
  }
  CHECK(hrs::testing::count_rows(store.db(), "responses") == served);
  // Room was made by closing the longest waiting of that address's connections.
  CHECK(silent.front()->wait_closed());
  CHECK(drippers.front().c->wait_closed());
  auto metrics = setup.get("/metrics", store.admin.secret);
  CHECK(metrics.body.find("hrsurvey_http_connections_evicted_total 0\n") == std::string::npos);
}

TEST_CASE("dripping connections from many addresses over --max-connections do not keep others out",
          "[http][slow-clients]") {
  served_store store;
  server_process server(store.db(), with({"--max-connections", "6", "--max-connections-per-address",
                                          "0", "--threads", "1"}));
  const auto port = server.port();
  http_client setup(port);
  const auto token = hrs::testing::create_invitation(setup, store.integration.secret);

  // A real client sending its body slowly has its headers read: it is not made to leave.
  const auto request = submit_request(token);
  const auto half = request.size() - 20;
  raw_connection uploading(port, "127.0.0.50");
  REQUIRE(uploading.send(request.substr(0, half)));
  REQUIRE(setup.get("/healthz").status == 200);  // one I/O thread: the headers were read

  std::vector<dripper> drippers;
  for (int round = 1; round <= 20; ++round) {
    CAPTURE(round);
    drippers.push_back(
        {std::make_unique<raw_connection>(port, "127.0.1." + std::to_string(round))});
    for (auto& d : drippers)
      (void)d.drip();
    CHECK(http_once(port, "GET", "/healthz").status == 200);
    CHECK(setup.get("/healthz").status == 200);
  }
  CHECK(uploading.open_and_quiet());
  REQUIRE(uploading.send(request.substr(half)));
  auto reply = uploading.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 201);
}

TEST_CASE("a newcomer gets 503 when every connection is busy with a request",
          "[http][slow-clients]") {
  served_store store;
  server_process server(store.db(), with({"--max-connections", "4", "--threads", "1"}));
  const auto port = server.port();

  // Four requests whose bodies are on their way: nothing to close to make room.
  const std::string head =
      "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 10\r\n\r\n{";
  // Each sends a request and, behind it, the start of the next: with one I/O thread, the
  // server has read the second one's headers by the time the first one's answer is read.
  std::vector<std::unique_ptr<raw_connection>> busy;
  for (int i = 0; i < 4; ++i) {
    busy.push_back(std::make_unique<raw_connection>(port));
    REQUIRE(busy.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + head));
    auto first = busy.back()->read_reply();
    REQUIRE(first);
    REQUIRE(first->status == 200);
  }

  raw_connection fifth(port);
  auto refused = fifth.read_reply();
  REQUIRE(refused);
  CHECK(refused->status == 503);
  CHECK(refused->error_code() == "unavailable");
  CHECK(fifth.wait_closed());
  for (auto& b : busy)
    CHECK(b->open_and_quiet());
  REQUIRE(busy[0]->send("\"x\":1}    "));
  auto answered = busy[0]->read_reply();
  REQUIRE(answered);
  CHECK(answered->status == 400);
}
