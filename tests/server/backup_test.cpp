// `hrsurvey backup FILE --db DB` while clients submit responses to the server that
// serves DB: the copy is a sound store that a server serves at once, holding a
// consistent prefix of the responses (each whole, with its aggregates and its
// invitation's answered mark) and every response acknowledged before the backup began.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "qos_checks.hpp"
#include "server_process.hpp"

using hrs::testing::count_rows;
using hrs::testing::http_client;
using hrs::testing::query_integers;
using hrs::testing::served_store;
using hrs::testing::server_process;
using json = nlohmann::json;

namespace {

json response_body(const std::string& token, int courtesy) {
  return {{"token", token}, {"answers", hrs::testing::valid_answers(courtesy)}};
}

}  // namespace

TEST_CASE("a backup taken under load is a consistent store that a server serves",
          "[http][slow][backup]") {
  served_store store;
  server_process server(store.db());
  constexpr std::size_t invitations = 400;
  std::vector<std::string> tokens;
  {
    http_client setup(server.port());
    for (std::size_t i = 0; i < invitations; ++i)
      tokens.push_back(hrs::testing::create_invitation(setup, store.integration.secret,
                                                       {i % 2 == 0 ? "s-101" : "s-104"}));
  }

  std::mutex mutex;
  std::vector<std::string> acknowledged;  // tokens answered with a 201, in order
  std::vector<std::int64_t> ids;          // their response ids
  std::vector<std::string> unexpected;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 3; ++c) {
    clients.emplace_back([&] {
      try {
        http_client client(server.port());
        for (auto i = next++; i < tokens.size() && !stop; i = next++) {
          auto reply = client.post_json("/api/v1/responses",
                                        response_body(tokens[i], 1 + static_cast<int>(i % 5)));
          std::lock_guard lock(mutex);
          if (reply.status == 201) {
            acknowledged.push_back(tokens[i]);
            ids.push_back(reply.json()["id"].get<std::int64_t>());
          } else {
            unexpected.push_back(std::to_string(reply.status) + " " + reply.body);
          }
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        unexpected.push_back(e.what());
      }
    });
  }

  const auto acknowledged_count = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  };
  const bool loaded = hrs::testing::eventually([&] { return acknowledged_count() >= 40; });
  std::vector<std::string> before_tokens;
  std::vector<std::int64_t> before_ids;
  {
    std::lock_guard lock(mutex);
    before_tokens = acknowledged;
    before_ids = ids;
  }
  const auto copy = store.dir() / "copy.db";
  const auto backup =
      hrs::testing::run_hrsurvey({"backup", copy.string(), "--db", store.db().string()});
  const auto during = acknowledged_count() - before_tokens.size();
  stop = true;
  for (auto& t : clients)
    t.join();
  REQUIRE(loaded);
  INFO(before_tokens.size() << " responses acknowledged before the backup, " << during
                            << " while it ran, " << acknowledged.size() << " in all");
  CHECK(unexpected.empty());
  CAPTURE(backup.out, backup.err);
  REQUIRE(backup.exit_code == 0);

  CHECK(hrs::testing::integrity_check(copy) == "ok");
  // A prefix: the writer numbers responses in commit order, so a copy of one moment
  // holds every response up to its last one and none after.
  const auto copied = query_integers(copy, "SELECT id FROM responses ORDER BY id");
  REQUIRE_FALSE(copied.empty());
  const auto original = query_integers(
      store.db(),
      "SELECT id FROM responses WHERE id <= " + std::to_string(copied.back()) + " ORDER BY id");
  CHECK(copied == original);
  const std::set<std::int64_t> in_copy(copied.begin(), copied.end());
  std::size_t missing = 0;
  for (const auto id : before_ids)
    if (!in_copy.contains(id)) ++missing;
  CHECK(missing == 0);
  CHECK(hrs::testing::count_answered_marks(copy) == static_cast<std::int64_t>(copied.size()));
  CHECK(count_rows(copy, "invitations") == static_cast<std::int64_t>(invitations));

  // Served: its reports equal a recount of its responses, and its answered tokens answer
  // 409 while the others still take an answer.
  server_process served_copy(copy);
  http_client client(served_copy.port());
  hrs::testing::check_reports_equal_recount(client, store.lead.secret, copy);
  const std::set<std::string> answered_before(before_tokens.begin(), before_tokens.end());
  std::size_t conflicts = 0;
  std::size_t answered_before_not_conflict = 0;
  std::string open_token;
  for (const auto& token : tokens) {
    const auto page = client.get("/s/" + token);
    if (page.status == 409) {
      ++conflicts;
    } else {
      if (answered_before.contains(token)) ++answered_before_not_conflict;
      if (page.status == 200 && open_token.empty()) open_token = token;
    }
  }
  CHECK(answered_before_not_conflict == 0);
  CHECK(conflicts == copied.size());
  for (const auto& token : before_tokens) {
    auto again = client.post_json("/api/v1/responses", response_body(token, 2));
    CHECK(again.status == 409);
  }
  if (!open_token.empty()) {
    CHECK(client.post_json("/api/v1/responses", response_body(open_token, 4)).status == 201);
    CHECK(client.post_json("/api/v1/responses", response_body(open_token, 4)).status == 409);
    hrs::testing::check_reports_equal_recount(client, store.lead.secret, copy);
  }
  hrs::testing::check_clean_exit(served_copy);
  hrs::testing::check_clean_exit(server);
}
