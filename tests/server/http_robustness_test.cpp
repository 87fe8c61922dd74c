// Quality of service over HTTP: exactly one response per invitation under concurrent
// submits, acknowledged responses that survive kill -9, graceful shutdown on SIGTERM,
// and the limits on slow clients and connections.

#include <signal.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "server_process.hpp"

using hrs::testing::eventually;
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

std::string submit_body(const std::string& token, int courtesy = 5) {
  return json{{"token", token}, {"answers", valid_answers(courtesy)}}.dump();
}

std::string response_request(const std::string& body) {
  return "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string healthz_request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

TEST_CASE("50 simultaneous submits of one token store exactly one response", "[http][slow]") {
  served_store store;
  server_process server(store.db());
  http_client setup(server.port());
  constexpr int submitters = 50;

  for (int round = 1; round <= 3; ++round) {
    CAPTURE(round);
    const auto token = hrs::testing::create_invitation(setup, store.integration.secret);
    // Every connection is open before any request is sent; the latch lets them go at once.
    std::vector<std::unique_ptr<http_client>> clients;
    for (int i = 0; i < submitters; ++i)
      clients.push_back(std::make_unique<http_client>(server.port()));
    std::vector<unsigned> statuses(submitters, 0);
    std::vector<std::string> bodies(submitters);
    std::latch start(submitters);
    std::vector<std::thread> threads;
    for (int i = 0; i < submitters; ++i) {
      threads.emplace_back([&, i] {
        const auto body = submit_body(token, 1 + i % 5);
        start.arrive_and_wait();
        try {
          auto reply =
              clients[static_cast<std::size_t>(i)]->request("POST", "/api/v1/responses", body);
          statuses[static_cast<std::size_t>(i)] = reply.status;
          bodies[static_cast<std::size_t>(i)] = reply.error_code();
        } catch (const std::exception& e) {
          bodies[static_cast<std::size_t>(i)] = e.what();
        }
      });
    }
    for (auto& t : threads)
      t.join();

    const auto created = std::count(statuses.begin(), statuses.end(), 201u);
    const auto conflicts = std::count(statuses.begin(), statuses.end(), 409u);
    CHECK(created == 1);
    CHECK(conflicts == submitters - 1);
    for (int i = 0; i < submitters; ++i)
      if (statuses[static_cast<std::size_t>(i)] == 409)
        CHECK(bodies[static_cast<std::size_t>(i)] == "conflict");
    CHECK(hrs::testing::count_rows(store.db(), "responses") == round);
  }
}

TEST_CASE("every acknowledged response survives kill -9 of the server", "[http][slow]") {
  served_store store;
  auto server = std::make_unique<server_process>(store.db());
  constexpr std::size_t invitations = 240;
  constexpr int acknowledged_before_kill = 40;
  constexpr int streams = 4;

  std::vector<std::string> tokens;
  {
    http_client setup(server->port());
    for (std::size_t i = 0; i < invitations; ++i)
      tokens.push_back(hrs::testing::create_invitation(setup, store.integration.secret,
                                                       {i % 2 == 0 ? "s-101" : "s-102"}));
  }

  std::mutex mutex;
  std::vector<std::pair<std::string, std::int64_t>> acknowledged;  // token, response id
  std::vector<std::string> unexpected;
  std::atomic<int> acks{0};
  std::atomic<std::size_t> next{0};
  const auto port = server->port();
  std::vector<std::thread> threads;
  for (int s = 0; s < streams; ++s) {
    threads.emplace_back([&] {
      try {
        http_client client(port);
        for (auto i = next++; i < tokens.size(); i = next++) {
          auto reply = client.request("POST", "/api/v1/responses", submit_body(tokens[i]));
          std::lock_guard lock(mutex);
          if (reply.status == 201) {
            acknowledged.emplace_back(tokens[i], reply.json()["id"].get<std::int64_t>());
            ++acks;
          } else {
            unexpected.push_back(std::to_string(reply.status) + " " + reply.body);
          }
        }
      } catch (const std::exception&) {
        // The server was killed under this stream: expected, the stream ends here.
      }
    });
  }
  REQUIRE(eventually([&] { return acks.load() >= acknowledged_before_kill; }));
  server->kill();
  for (auto& t : threads)
    t.join();
  CHECK(unexpected.empty());
  INFO(acknowledged.size() << " responses acknowledged before the kill");

  server = std::make_unique<server_process>(store.db());
  CHECK(hrs::testing::integrity_check(store.db()) == "ok");
  const auto ids = hrs::testing::stored_response_ids(store.db());
  const std::set<std::int64_t> stored(ids.begin(), ids.end());
  CHECK(ids.size() >= acknowledged.size());
  CHECK(ids.size() <= invitations);
  http_client client(server->port());
  for (const auto& [token, id] : acknowledged) {
    CAPTURE(id);
    CHECK(stored.contains(id));
    auto again = client.request("POST", "/api/v1/responses", submit_body(token));
    CHECK(again.status == 409);
  }
  CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("SIGTERM closes idle connections and refuses new ones and exits 0", "[http]") {
  served_store store;
  server_process server(store.db());
  const auto port = server.port();

  raw_connection kept_alive(port);
  REQUIRE(kept_alive.send(healthz_request));
  auto first = kept_alive.read_reply();
  REQUIRE(first);
  REQUIRE(first->status == 200);
  REQUIRE(first->keep_alive);
  raw_connection silent(port);  // connected, never sends
  REQUIRE(silent.open_and_quiet());

  server.signal(SIGTERM);
  CHECK(kept_alive.wait_closed());
  CHECK(silent.wait_closed());
  CHECK(server.wait_for_exit(hrs::testing::patience) == 0);
  CHECK(hrs::testing::connection_refused(port));
}

TEST_CASE("SIGTERM lets a request in flight finish and then exits 0", "[http]") {
  served_store store;
  // One I/O thread: the partial request below is read before the barrier request.
  server_process server(store.db(), {"--threads", "1"});
  const auto port = server.port();
  http_client setup(port);
  const auto token = hrs::testing::create_invitation(setup, store.integration.secret);

  // The request is under way: its headers and half its body are with the server.
  const auto request = response_request(submit_body(token));
  const auto half = request.size() - 40;
  raw_connection in_flight(port);
  REQUIRE(in_flight.send(request.substr(0, half)));
  REQUIRE(http_once(port, "GET", "/healthz").status == 200);  // the partial bytes are read

  server.signal(SIGTERM);
  // Draining has begun once the listener is closed.
  REQUIRE(eventually([&] { return hrs::testing::connection_refused(port); }));
  REQUIRE(in_flight.send(request.substr(half)));
  auto reply = in_flight.read_reply();
  REQUIRE(reply);
  CAPTURE(reply->body);
  CHECK(reply->status == 201);
  CHECK(in_flight.wait_closed());
  CHECK(server.wait_for_exit(hrs::testing::patience) == 0);
  CHECK(hrs::testing::connection_refused(port));
  CHECK(hrs::testing::count_rows(store.db(), "responses") == (reply->status == 201 ? 1 : 0));
}

TEST_CASE("a stalled client is dropped while others are served", "[http][slow]") {
  served_store store;
  server_process server(store.db(), {"--read-timeout", "1", "--idle-timeout", "1"});
  const auto port = server.port();
  http_client setup(port);
  const auto token = hrs::testing::create_invitation(setup, store.integration.secret);

  const auto request = response_request(submit_body(token));
  raw_connection stalled(port);
  REQUIRE(stalled.send(request.substr(0, request.size() / 2)));
  raw_connection silent(port);

  // Served normally while the stalled one is still connected.
  auto other = http_once(port, "POST", "/api/v1/responses", submit_body(token));
  CHECK(other.status == 201);
  CHECK(stalled.open_and_quiet());

  CHECK(stalled.wait_closed());
  CHECK(silent.wait_closed());
  // A kept-alive connection that goes quiet is closed too.
  raw_connection idle(port);
  REQUIRE(idle.send(healthz_request));
  auto reply = idle.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(idle.wait_closed());

  CHECK(http_once(port, "GET", "/healthz").status == 200);
  CHECK(hrs::testing::count_rows(store.db(), "responses") == 1);
}

// --max-connections and the connections closed to make room: slow_clients_test.cpp.

// Admin writes (roster, templates) wait for their commit on the I/O thread; with every
// I/O thread waiting so, the commit's completion must not need one of them.
TEST_CASE("admin writes are answered when every I/O thread is waiting for one", "[http]") {
  served_store store;
  server_process server(store.db(), {"--threads", "1"});
  http_client client(server.port());
  auto put =
      client.request("PUT", "/api/v1/staff/s-900", R"({"name":"Nora Berg","team":"payroll"})",
                     with_token(store.admin.secret));
  CHECK(put.status == 201);
  auto csv =
      client.request("POST", "/api/v1/staff:import", "id,name,team\ns-901,Ian Holt,payroll\n",
                     hrs::testing::with_type("text/csv", store.admin.secret));
  CHECK(csv.status == 200);
  CHECK(client.get("/healthz").status == 200);
  server.signal(SIGTERM);
  CHECK(server.wait_for_exit(hrs::testing::patience) == 0);
}

// Methods and paths come from clients; metrics labels must not, or anyone could add
// series to /metrics without end.
TEST_CASE("unknown methods and paths add no metrics series", "[http]") {
  served_store store;
  server_process server(store.db());
  for (const char* method : {"XMETHOD1", "XMETHOD2", "BREW"}) {
    auto reply = http_once(server.port(), method, "/nowhere-" + std::string(method));
    CHECK((reply.status == 404 || reply.status == 405 || reply.status == 400));
  }
  http_client client(server.port());
  auto metrics = client.get("/metrics", store.admin.secret);
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("XMETHOD") == std::string::npos);
  CHECK(metrics.body.find("BREW") == std::string::npos);
  CHECK(metrics.body.find("nowhere") == std::string::npos);
  CHECK(metrics.body.find(R"x(route="(no route)")x") != std::string::npos);
}
