// An acknowledged response survives kill -9 of the server: concurrent clients answer
// through the JSON API, the web form and the campaign API while the server is killed
// with SIGKILL at a random moment, round after round, each round restarting it on the
// same store. The moment is a number of acknowledgements drawn from a seeded generator;
// the seed is printed, and HRS_DURABILITY_SEED replays a run.

#include <signal.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
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
using hrs::testing::with_type;
using json = nlohmann::json;

namespace {

// Campaign responses name only s-105 and invitations never do, so the two kinds can be
// told apart in the responses table.
const std::string campaign_staff = R"(["s-105"])";
const std::vector<std::string> invited_staff{"s-101", "s-102", "s-103", "s-104"};

std::string form_body(int courtesy) {
  return "request_type=payroll&importance=3&courtesy=" + std::to_string(courtesy) +
         "&timeliness=4&quality=" + std::to_string(6 - courtesy) + "&expectations=3";
}

json api_body(const std::string& token, int courtesy) {
  auto answers = hrs::testing::valid_answers(courtesy);
  answers["quality"] = 6 - courtesy;
  return {{"token", token}, {"answers", answers}};
}

json campaign_body(int courtesy) {
  auto answers = hrs::testing::valid_answers(courtesy);
  answers["staff"] = {"s-105"};
  answers["timeliness"] = 6 - courtesy;
  return {{"answers", answers}};
}

// What the server acknowledged, over all rounds.
struct ledger {
  std::mutex mutex;
  std::vector<std::int64_t> ids;         // from every 201 (API and campaign)
  std::vector<int> courtesy;             // the courtesy rating sent, beside each id
  std::vector<std::string> api_tokens;   // answered with a 201
  std::vector<std::string> form_tokens;  // answered with a 303
  std::int64_t campaign_acknowledged = 0;
  std::atomic<std::int64_t> campaign_sent{0};  // sent, whatever came back
  std::atomic<int> round_acks{0};
  std::vector<std::string> unexpected;  // any answer but the acknowledgement

  void note_unexpected(std::string what) {
    std::lock_guard lock(mutex);
    unexpected.push_back(std::move(what));
  }
};

// One round's load: two clients per way in, until the server is killed under them or
// their work runs out. A client whose connection fails stops: that is the kill.
std::vector<std::thread> start_load(unsigned short port,
                                    const std::vector<std::string>& round_tokens, ledger& book_kept,
                                    int campaign_per_client) {
  // The threads outlive this call, not the caller's tokens and ledger.
  const auto* all = &round_tokens;
  auto* log = &book_kept;
  std::vector<std::thread> threads;
  auto next_api = std::make_shared<std::atomic<std::size_t>>(0);
  auto next_form = std::make_shared<std::atomic<std::size_t>>(round_tokens.size() / 2);
  for (int c = 0; c < 2; ++c) {
    threads.emplace_back([port, next_api, all, log] {
      const auto& tokens = *all;
      auto& book = *log;
      try {
        http_client client(port);
        for (auto i = (*next_api)++; i < tokens.size() / 2; i = (*next_api)++) {
          const int courtesy = 1 + static_cast<int>(i % 5);
          auto reply = client.post_json("/api/v1/responses", api_body(tokens[i], courtesy));
          if (reply.status != 201) {
            book.note_unexpected("API " + std::to_string(reply.status) + " " + reply.body);
            continue;
          }
          std::lock_guard lock(book.mutex);
          book.ids.push_back(reply.json()["id"].get<std::int64_t>());
          book.courtesy.push_back(courtesy);
          book.api_tokens.push_back(tokens[i]);
          ++book.round_acks;
        }
      } catch (const std::exception&) {
        // The server was killed under this client.
      }
    });
    threads.emplace_back([port, next_form, all, log] {
      const auto& tokens = *all;
      auto& book = *log;
      try {
        http_client client(port);
        for (auto i = (*next_form)++; i < tokens.size(); i = (*next_form)++) {
          const int courtesy = 1 + static_cast<int>(i % 5);
          auto reply = client.request("POST", "/s/" + tokens[i], form_body(courtesy),
                                      with_type("application/x-www-form-urlencoded"));
          if (reply.status != 303) {
            book.note_unexpected("form " + std::to_string(reply.status) + " " + reply.body);
            continue;
          }
          std::lock_guard lock(book.mutex);
          book.form_tokens.push_back(tokens[i]);
          ++book.round_acks;
        }
      } catch (const std::exception&) {
      }
    });
    threads.emplace_back([port, campaign_per_client, log] {
      auto& book = *log;
      try {
        http_client client(port);
        for (int i = 0; i < campaign_per_client; ++i) {
          ++book.campaign_sent;
          const int courtesy = 1 + i % 5;
          auto reply =
              client.post_json("/api/v1/campaigns/hr-service/responses", campaign_body(courtesy));
          if (reply.status != 201) {
            book.note_unexpected("campaign " + std::to_string(reply.status) + " " + reply.body);
            continue;
          }
          std::lock_guard lock(book.mutex);
          book.ids.push_back(reply.json()["id"].get<std::int64_t>());
          book.courtesy.push_back(courtesy);
          ++book.campaign_acknowledged;
          ++book.round_acks;
        }
      } catch (const std::exception&) {
      }
    });
  }
  return threads;
}

// Everything acknowledged so far is in the store exactly once, answered where it was
// answered, and counted by the reports. The server serves `store` and nothing else
// writes to it.
void check_acknowledged(served_store& store, server_process& server, ledger& book) {
  // Each stored response as id * 10 + its courtesy rating: an acknowledged id must be
  // there with the rating that was sent under it.
  const auto ids = query_integers(
      store.db(), "SELECT id * 10 + json_extract(answers, '$.courtesy') FROM responses");
  const std::set<std::int64_t> stored(ids.begin(), ids.end());
  const std::set<std::int64_t> acknowledged(book.ids.begin(), book.ids.end());
  INFO(ids.size() << " responses stored, " << book.ids.size() << " ids acknowledged, "
                  << book.form_tokens.size() << " forms acknowledged");
  CHECK(acknowledged.size() == book.ids.size());  // no id acknowledged twice
  std::size_t missing = 0;
  for (std::size_t i = 0; i < book.ids.size(); ++i)
    if (!stored.contains(book.ids[i] * 10 + book.courtesy[i])) ++missing;
  CHECK(missing == 0);

  // One response per answered invitation, and every acknowledged one among them.
  const auto invited = query_integers(
      store.db(), "SELECT count(*) FROM responses WHERE staff <> '" + campaign_staff + "'");
  CHECK(invited.at(0) == hrs::testing::count_answered_marks(store.db()));
  CHECK(invited.at(0) >=
        static_cast<std::int64_t>(book.api_tokens.size() + book.form_tokens.size()));
  const auto campaign = query_integers(
      store.db(), "SELECT count(*) FROM responses WHERE staff = '" + campaign_staff + "'");
  CHECK(campaign.at(0) >= book.campaign_acknowledged);
  CHECK(campaign.at(0) <= book.campaign_sent.load());

  http_client client(server.port());
  std::size_t api_not_conflict = 0;
  for (const auto& token : book.api_tokens) {
    auto again = client.post_json("/api/v1/responses", api_body(token, 3));
    if (again.status != 409 || again.error_code() != "conflict") ++api_not_conflict;
  }
  CHECK(api_not_conflict == 0);
  std::size_t form_not_answered = 0;
  for (const auto& token : book.form_tokens) {
    auto page = client.get("/s/" + token);
    if (page.status != 409 || page.body.find("Already answered") == std::string::npos)
      ++form_not_answered;
  }
  CHECK(form_not_answered == 0);
  hrs::testing::check_reports_equal_recount(client, store.lead.secret, store.db());
}

}  // namespace

TEST_CASE("acknowledged responses survive kill -9 at random moments over several rounds",
          "[http][slow][durability]") {
  std::random_device entropy;
  const char* replay = std::getenv("HRS_DURABILITY_SEED");
  const auto seed = replay != nullptr ? static_cast<unsigned>(std::strtoul(replay, nullptr, 10))
                                      : static_cast<unsigned>(entropy());
  std::printf("durability: seed %u (HRS_DURABILITY_SEED=%u replays it)\n", seed, seed);
  std::fflush(stdout);
  INFO("seed " << seed);
  std::mt19937 random(seed);

  constexpr int rounds = 5;
  constexpr std::size_t invitations_per_round = 120;
  constexpr int campaign_per_client = 60;
  served_store store;
  ledger book;

  for (int round = 1; round <= rounds; ++round) {
    CAPTURE(round);
    server_process server(store.db());
    if (round > 1) check_acknowledged(store, server, book);

    std::vector<std::string> tokens;
    {
      http_client setup(server.port());
      for (std::size_t i = 0; i < invitations_per_round; ++i)
        tokens.push_back(hrs::testing::create_invitation(
            setup, store.integration.secret, {invited_staff[i % invited_staff.size()]}));
    }
    // Up to nearly all the round's work: a kill early, in the middle, or near the end.
    std::uniform_int_distribution<int> kill_at(
        1, static_cast<int>(invitations_per_round) + 2 * campaign_per_client - 10);
    const int kill_after = kill_at(random);
    CAPTURE(kill_after);
    book.round_acks = 0;
    auto threads = start_load(server.port(), tokens, book, campaign_per_client);
    const bool reached =
        hrs::testing::eventually([&] { return book.round_acks.load() >= kill_after; });
    // Still running: nothing but the kill below may end it (under TSan a race would).
    const auto ended = server.wait_for_exit(std::chrono::milliseconds{0});
    INFO((ended ? "the server's log:\n" + server.log() : std::string()));
    CHECK_FALSE(ended);
    server.kill();
    for (auto& t : threads)
      t.join();
    REQUIRE(reached);
    CHECK(book.unexpected.empty());
    CHECK(hrs::testing::integrity_check(store.db()) == "ok");
  }
  server_process server(store.db());
  check_acknowledged(store, server, book);
  hrs::testing::check_clean_exit(server);
  CHECK(hrs::testing::integrity_check(store.db()) == "ok");
}
