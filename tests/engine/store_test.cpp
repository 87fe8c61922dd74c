#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"
#include "store_fixture.hpp"

namespace {

using hrs::engine::errc;
using hrs::testing::good_answers;
using hrs::testing::raw_db;
using hrs::testing::store_fixture;
using hrs::testing::temp_dir;

namespace eng = hrs::engine;

eng::campaign_response_request campaign_answer(int i) {
  auto answers = good_answers();
  answers["courtesy"] = 1 + i % 5;
  answers["staff"] = nlohmann::json::array({i % 2 == 0 ? "s-101" : "s-104"});
  return {"hr-service", "", answers};
}

}  // namespace

TEST_CASE("a store needs a file name", "[engine][store]") {
  auto s = eng::store::open({});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == errc::validation_failed);
}

TEST_CASE("a store that cannot be created fails cleanly", "[engine][store]") {
  temp_dir dir;
  auto s = eng::store::open({.file = dir / "missing-dir" / "store.db"});
  REQUIRE_FALSE(s);
  CHECK(s.error().code != errc::validation_failed);
}

TEST_CASE("a file that is not a store is refused", "[engine][store]") {
  temp_dir dir;
  std::ofstream(dir / "notes.db") << "these are not the pages you are looking for\n"
                                  << std::string(8192, 'x');
  auto s = eng::store::open({.file = dir / "notes.db"});
  REQUIRE_FALSE(s);
}

TEST_CASE("the store keeps everything across close and reopen", "[engine][store][concurrency]") {
  store_fixture f;
  const auto inv = f.invite({"s-101"}, "HR-1");
  REQUIRE(eng::submit_response(f.store(), {*inv.token, "", good_answers()}));
  auto before = eng::read_counts(f.store(), hrs::testing::whole_range());
  REQUIRE(before);
  REQUIRE_FALSE(before->empty());

  f.reopen();
  auto versions = eng::list_survey_versions(f.store());
  REQUIRE(versions);
  REQUIRE(versions->size() == 1);
  CHECK((*versions)[0].responses == 1);
  CHECK(eng::list_staff(f.store())->size() == hrs::testing::fixture_roster().size());
  auto found = eng::find_invitation(f.store(), *inv.token);
  REQUIRE(found);
  CHECK(found->answered);
  auto after = eng::read_counts(f.store(), hrs::testing::whole_range());
  REQUIRE(after);
  CHECK(hrs::testing::counts_difference(*before, *after) == "");
}

TEST_CASE("after close a store refuses writes", "[engine][store][concurrency]") {
  store_fixture f;
  f.store().close();
  f.store().close();  // idempotent
  auto stored = eng::submit_campaign_response(f.store(), campaign_answer(1));
  REQUIRE_FALSE(stored);
  CHECK(stored.error().code == errc::unavailable);
  auto put =
      eng::put_staff(f.store(), {"s-900", "New Person", "hr"}, eng::command_line_actor("test"));
  REQUIRE_FALSE(put);
  CHECK(put.error().code == errc::unavailable);
}

TEST_CASE("a write completes only after it is committed", "[engine][store][concurrency]") {
  store_fixture f;
  // A second connection sees the response as soon as submit_response returns.
  raw_db db(f.file());
  for (int i = 0; i < 20; ++i) {
    auto stored = eng::submit_campaign_response(f.store(), campaign_answer(i));
    REQUIRE(stored);
    CHECK(db.integer("SELECT count(*) FROM responses WHERE id = ?1", stored->id) == 1);
  }
}

TEST_CASE("a backup taken while responses arrive is a consistent store",
          "[engine][store][backup][concurrency]") {
  store_fixture f({.fold_after_responses = 7});
  std::atomic<bool> stop{false};
  std::atomic<int> written{0}, failed{0};
  std::thread writer([&] {
    for (int i = 0; !stop || written < 60; ++i) {
      if (eng::submit_campaign_response(f.store(), campaign_answer(i)))
        ++written;
      else
        ++failed;
    }
  });

  std::vector<std::filesystem::path> backups;
  for (int i = 0; i < 3; ++i) {
    // Wait for progress by polling the writer's count, not the clock.
    const int seen = written;
    while (written < seen + 10 && failed == 0)
      std::this_thread::yield();
    backups.push_back(f.dir() / ("backup-" + std::to_string(i) + ".db"));
    REQUIRE(f.store().backup(backups.back()));
  }
  stop = true;
  writer.join();
  CHECK(failed == 0);

  std::int64_t previous = 0;
  for (const auto& file : backups) {
    CAPTURE(file.string());
    {
      raw_db db(file);
      CHECK(db.integrity() == "ok");
      const auto responses = db.count("responses");
      CHECK(responses >= previous);
      CHECK(responses <= written);
      previous = responses;
    }
    auto copy = eng::store::open({.file = file});
    REQUIRE(copy);
    CHECK(hrs::testing::counts_disagreement(**copy) == "");
    CHECK(eng::list_staff(**copy)->size() == hrs::testing::fixture_roster().size());
    (*copy)->close();
    CHECK(raw_db(file).integrity() == "ok");
  }
}

TEST_CASE("a backup to an unwritable place fails cleanly", "[engine][store][backup]") {
  store_fixture f;
  auto done = f.store().backup(f.dir() / "no-such-dir" / "backup.db");
  REQUIRE_FALSE(done);
}
