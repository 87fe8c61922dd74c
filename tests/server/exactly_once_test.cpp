// Exactly once under concurrent requests: double submits of one invitation through the
// JSON API and the web form at the same moment store one response, and concurrent
// invitations with one external_ref make one invitation, round after round.

#include <catch2/catch.hpp>

#include <algorithm>
#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "qos_checks.hpp"
#include "server_process.hpp"

using hrs::testing::count_rows;
using hrs::testing::http_client;
using hrs::testing::http_reply;
using hrs::testing::query_integers;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::with_type;
using json = nlohmann::json;

namespace {

// Runs `send(i, client)` for i in 0..n-1, each on its own thread and connection, all
// connected before any request is sent and released together by a latch.
template <class Send>
std::vector<http_reply> all_at_once(unsigned short port, int n, Send send) {
  std::vector<std::unique_ptr<http_client>> clients;
  for (int i = 0; i < n; ++i)
    clients.push_back(std::make_unique<http_client>(port));
  std::vector<http_reply> replies(static_cast<std::size_t>(n));
  std::latch start(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      const auto at = static_cast<std::size_t>(i);
      start.arrive_and_wait();
      try {
        replies[at] = send(i, *clients[at]);
      } catch (const std::exception& e) {
        replies[at].body = e.what();  // status 0: counted as neither outcome below
      }
    });
  }
  for (auto& t : threads)
    t.join();
  return replies;
}

}  // namespace

TEST_CASE("double submits of one invitation through the API and the form store one response",
          "[http][slow]") {
  served_store store;
  server_process server(store.db());
  http_client setup(server.port());
  constexpr int rounds = 50;
  constexpr int submitters = 8;  // half through the API, half through the form

  for (int round = 1; round <= rounds; ++round) {
    CAPTURE(round);
    const auto token = hrs::testing::create_invitation(setup, store.integration.secret);
    const auto replies = all_at_once(server.port(), submitters, [&](int i, http_client& client) {
      const int courtesy = 1 + i % 5;
      // Which way goes first in the thread list changes from round to round.
      if ((i + round) % 2 == 0)
        return client.post_json(
            "/api/v1/responses",
            {{"token", token}, {"answers", hrs::testing::valid_answers(courtesy)}});
      return client.request(
          "POST", "/s/" + token,
          "request_type=benefits&courtesy=" + std::to_string(courtesy) + "&timeliness=4&quality=3",
          with_type("application/x-www-form-urlencoded"));
    });

    int stored = 0;
    int refused = 0;
    for (int i = 0; i < submitters; ++i) {
      const auto& reply = replies[static_cast<std::size_t>(i)];
      CAPTURE(i, reply.status, reply.body);
      const bool api = (i + round) % 2 == 0;
      if (reply.status == (api ? 201u : 303u)) {
        ++stored;
      } else if (reply.status == 409) {
        ++refused;
        if (api)
          CHECK(reply.error_code() == "conflict");
        else
          CHECK(reply.body.find("Already answered") != std::string::npos);
      }
    }
    CHECK(stored == 1);
    CHECK(refused == submitters - 1);
    CHECK(count_rows(store.db(), "responses") == round);
    CHECK(hrs::testing::count_answered_marks(store.db()) == round);
  }
  hrs::testing::check_clean_exit(server);
  CHECK(hrs::testing::integrity_check(store.db()) == "ok");
}

TEST_CASE("concurrent invitations with one external_ref make one invitation", "[http][slow]") {
  served_store store;
  server_process server(store.db());
  constexpr int rounds = 40;
  constexpr int requesters = 8;

  for (int round = 1; round <= rounds; ++round) {
    CAPTURE(round);
    const std::string ref = "HR-" + std::to_string(4700 + round);
    const json request{{"survey", "hr-service"},
                       {"staff", {"s-101", "s-103"}},
                       {"locale", "it"},
                       {"external_ref", ref}};
    const auto replies = all_at_once(server.port(), requesters, [&](int, http_client& client) {
      return client.post_json("/api/v1/invitations", request, store.integration.secret);
    });

    int created = 0;
    int found = 0;
    std::set<std::string> ids;
    std::string token;
    for (const auto& reply : replies) {
      CAPTURE(reply.status, reply.body);
      const auto body = reply.json();
      if (reply.status == 201) {
        ++created;
        REQUIRE(body.contains("token"));
        token = body["token"].get<std::string>();
      } else if (reply.status == 200) {
        ++found;
        CHECK_FALSE(body.contains("token"));  // shown once, to the request that made it
      }
      if (body.is_object() && body.contains("id")) ids.insert(body["id"].get<std::string>());
    }
    CHECK(created == 1);
    CHECK(found == requesters - 1);
    CHECK(ids.size() == 1);
    CHECK(query_integers(store.db(),
                         "SELECT count(*) FROM invitations WHERE external_ref = '" + ref + "'")
              .at(0) == 1);
    CHECK(count_rows(store.db(), "invitations") == round);
    // The one token shown is the invitation's working link.
    if (!token.empty()) {
      http_client client(server.port());
      CHECK(client.get("/api/v1/invitations/" + token + "/survey").status == 200);
    }
  }
  hrs::testing::check_clean_exit(server);
}
