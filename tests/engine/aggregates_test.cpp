#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/surveys.hpp"
#include "store_fixture.hpp"

namespace {

using hrs::engine::aggregate_key;
using hrs::engine::histogram;
using hrs::testing::counts_disagreement;
using hrs::testing::fixture_start;
using hrs::testing::raw_db;
using hrs::testing::store_fixture;
using nlohmann::json;

namespace eng = hrs::engine;
using namespace std::chrono_literals;

// A second campaign template, so that reports per survey have something to tell apart.
constexpr const char* onboarding_template = R"({
  "id": "onboarding", "version": 1, "default_locale": "en", "locales": ["en"],
  "campaign": true, "title": "Your first weeks",
  "questions": [
    {"id": "site", "type": "choice", "required": true, "segment": true, "text": "Where?",
     "options": [{"id": "hq", "label": "HQ"}, {"id": "remote", "label": "Remote"}]},
    {"id": "courtesy", "type": "rating", "dimension": "courtesy", "required": true,
     "text": "How courteous were we?"},
    {"id": "clarity", "type": "rating", "dimension": "clarity", "segment": true,
     "text": "How clear was it?"},
    {"id": "staff", "type": "staff", "text": "Who helped you?"}
  ]})";

void register_onboarding(eng::store& s) {
  auto parsed = eng::parse_definition(onboarding_template);
  REQUIRE(parsed);
  REQUIRE(eng::register_survey(s, *parsed, eng::command_line_actor("test")));
}

// Random but valid writes, from one seed, in every way responses reach the store.
class workload {
 public:
  workload(store_fixture& f, unsigned seed) : f_(f), rng_(seed) {}

  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool chance(int percent) { return pick(1, 100) <= percent; }

  std::vector<std::string> staff(int low, int high) {
    std::vector<std::string> all;
    for (const auto& m : hrs::testing::fixture_roster())
      all.push_back(m.id);
    std::shuffle(all.begin(), all.end(), rng_);
    all.resize(static_cast<std::size_t>(pick(low, high)));
    return all;
  }

  json hr_answers() {
    static const char* const types[] = {"benefits", "payroll", "leave", "hiring",
                                        "training", "policy",  "other"};
    json a{{"request_type", types[pick(0, 6)]},
           {"courtesy", pick(1, 5)},
           {"timeliness", pick(1, 5)},
           {"quality", pick(1, 5)}};
    if (chance(60)) a["importance"] = pick(1, 5);
    if (chance(70)) a["expectations"] = pick(1, 5);
    if (chance(30)) a["comment"] = "comment " + std::to_string(pick(1, 1000));
    return a;
  }

  json onboarding_answers() {
    json a{{"site", chance(50) ? "hq" : "remote"}, {"courtesy", pick(1, 5)}};
    if (chance(70)) a["clarity"] = pick(1, 5);
    return a;
  }

  // Moves the clock to a random time in the 75 days from fixture_start (2026-01-01):
  // three calendar months, so that periods split into month buckets and days.
  void random_time() {
    f_.clock().set(fixture_start + pick(0, 74) * eng::seconds_per_day + pick(0, 86399));
  }

  void invitation_response() {
    random_time();
    const auto inv = f_.invite(staff(1, 3));
    REQUIRE(eng::submit_response(f_.store(), {*inv.token, "", hr_answers()}));
  }

  json campaign_staff() { return json(staff(0, 3)); }

  eng::campaign_response_request campaign_request() {
    if (chance(50)) {
      auto a = hr_answers();
      a["staff"] = campaign_staff();
      return {"hr-service", "", a};
    }
    auto a = onboarding_answers();
    a["staff"] = campaign_staff();
    return {"onboarding", "", a};
  }

  void campaign_response() {
    random_time();
    REQUIRE(eng::submit_campaign_response(f_.store(), campaign_request()));
  }

  // Many asynchronous submits at once, so that the writer groups them.
  void burst() {
    random_time();
    const int n = pick(5, 40);
    std::latch done(n);
    std::atomic<int> failed{0};
    for (int i = 0; i < n; ++i) {
      eng::submit_campaign_response(f_.store(), campaign_request(),
                                    [&](eng::result<eng::stored_response> r) {
                                      if (!r) ++failed;
                                      done.count_down();
                                    });
    }
    done.wait();
    CHECK(failed == 0);
  }

  // History over 60 days around the fixture's start, some of it outside the sub-ranges.
  void import() {
    std::vector<eng::historical_response> batch;
    const int n = pick(1, 25);
    for (int i = 0; i < n; ++i) {
      const auto when = fixture_start + pick(-30, 30) * eng::seconds_per_day + pick(0, 86399);
      if (chance(70)) {
        batch.push_back({"hr-service", 1, when, "en", staff(0, 3), hr_answers()});
      } else {
        batch.push_back({"onboarding", 1, when, "en", staff(0, 2), onboarding_answers()});
      }
    }
    auto imported = eng::import_responses(f_.store(), std::move(batch));
    REQUIRE(imported);
    CHECK(*imported == static_cast<std::size_t>(n));
  }

  // A submit that fails validation: it must count nothing.
  void rejected() {
    auto a = hr_answers();
    a["courtesy"] = 9;
    a["staff"] = json::array({"s-999"});
    CHECK_FALSE(eng::submit_campaign_response(f_.store(), {"hr-service", "", a}));
  }

  void step() {
    const int op = pick(1, 100);
    if (op <= 35) {
      invitation_response();
    } else if (op <= 55) {
      campaign_response();
    } else if (op <= 65) {
      burst();
    } else if (op <= 75) {
      import();
    } else if (op <= 80) {
      f_.reopen();
    } else if (op <= 85) {
      rejected();
    } else {
      REQUIRE(counts_disagreement(f_.store()) == "");
    }
  }

 private:
  store_fixture& f_;
  std::mt19937 rng_;
};

std::int64_t unfolded_responses(const store_fixture& f) {
  return raw_db(f.file()).integer(
      "SELECT count(*) FROM responses WHERE id > "
      "(SELECT value FROM meta WHERE key = 'folded_through_response')");
}

void run_workload(store_fixture& f, unsigned seed, int steps) {
  register_onboarding(f.store());
  workload w(f, seed);
  for (int i = 0; i < steps; ++i) {
    CAPTURE(seed, i);
    w.step();
  }
  // Right after writes: folded part plus unfolded tail.
  REQUIRE(counts_disagreement(f.store()) == "");
  f.reopen();
  // After a reopen everything is folded.
  CHECK(unfolded_responses(f) == 0);
  REQUIRE(counts_disagreement(f.store()) == "");
}

}  // namespace

TEST_CASE("read_counts equals a recount after random workloads", "[engine][aggregates]") {
  const auto seed = GENERATE(as<unsigned>{}, 20260101u, 7u);
  CAPTURE(seed);

  SECTION("folding every 7 responses") {
    store_fixture f({.fold_after_responses = 7, .fold_idle = 1h});
    run_workload(f, seed, 120);
  }
  SECTION("folding only when closing: reports add a long tail") {
    store_fixture f({.fold_after_responses = 1'000'000, .fold_idle = 1h});
    run_workload(f, seed, 120);
  }
  SECTION("folding whenever the writer is idle") {
    store_fixture f({.fold_after_responses = 1'000'000, .fold_idle = 1ms});
    run_workload(f, seed, 80);
  }
}

TEST_CASE("an unfolded tail is added to the folded counts", "[engine][aggregates]") {
  store_fixture f({.fold_after_responses = 1'000'000, .fold_idle = 1h});
  auto answers = hrs::testing::good_answers();
  answers["courtesy"] = 5;
  for (int i = 0; i < 3; ++i) {
    const auto inv = f.invite({"s-101", "s-102"});
    REQUIRE(eng::submit_response(f.store(), {*inv.token, "", answers}));
  }
  f.reopen();
  CHECK(unfolded_responses(f) == 0);
  answers["courtesy"] = 2;
  const auto inv = f.invite({"s-101"});
  REQUIRE(eng::submit_response(f.store(), {*inv.token, "", answers}));
  CHECK(unfolded_responses(f) == 1);

  auto counts = eng::read_counts(f.store(), hrs::testing::whole_range());
  REQUIRE(counts);
  const auto day = eng::day_of(fixture_start);
  const auto key = [&](std::string staff, std::string segment) {
    return aggregate_key{"hr-service", day, std::move(staff), "courtesy", std::move(segment)};
  };
  CHECK(counts->at(key(eng::department, eng::all_segments)) == histogram{0, 1, 0, 0, 3});
  CHECK(counts->at(key("s-101", eng::all_segments)) == histogram{0, 1, 0, 0, 3});
  CHECK(counts->at(key("s-102", eng::all_segments)) == histogram{0, 0, 0, 0, 3});
  CHECK(counts->at(key("s-101", "request_type=benefits")) == histogram{0, 1, 0, 0, 3});
  CHECK(counts->at(key("s-101", "importance=4")) == histogram{0, 1, 0, 0, 3});
  CHECK_FALSE(counts->contains(key("s-103", eng::all_segments)));

  SECTION("a period that ends before the responses has none of them") {
    auto none = eng::read_counts(f.store(), {day - 10, day - 1, std::nullopt});
    REQUIRE(none);
    CHECK(none->empty());
  }
  SECTION("a survey filter keeps only that survey") {
    auto none = eng::read_counts(f.store(), {day - 10, day + 10, std::string("onboarding")});
    REQUIRE(none);
    CHECK(none->empty());
  }
}

namespace {

eng::result<eng::stored_response> submit_rated(eng::store& s, int courtesy) {
  eng::invitation_request r;
  r.survey = "hr-service";
  r.staff = {"s-101"};
  auto inv = eng::create_invitation(s, r);
  if (!inv) return std::unexpected(inv.error());
  auto answers = hrs::testing::good_answers();
  answers["courtesy"] = courtesy;
  return eng::submit_response(s, {*inv->token, "", answers});
}

}  // namespace

// A second store folds the first one's responses when it opens, then writes as many of
// its own: the first store's in-memory counts then match the tail by size and max id
// while describing other responses. The fold must notice that the mark moved.
TEST_CASE("a second store opened beside an unfolded tail keeps the counts exact",
          "[engine][aggregates][multiprocess][concurrency]") {
  // Like the CLI started beside a running server. Neither store folds while idle, so
  // the interleaving is deterministic.
  store_fixture f({.fold_after_responses = 1'000'000, .fold_idle = 1h});
  REQUIRE(submit_rated(f.store(), 1));          // unfolded in the first store
  auto opened = eng::store::open(f.options());  // folds what it finds
  REQUIRE(opened);
  auto& second = **opened;
  REQUIRE(submit_rated(second, 2));
  REQUIRE(submit_rated(f.store(), 3));
  CHECK(counts_disagreement(f.store()) == "");
  CHECK(counts_disagreement(second) == "");
  f.close();  // the first store folds what it holds in memory
  CHECK(counts_disagreement(second) == "");
  second.close();
  f.reopen();
  CHECK(counts_disagreement(f.store()) == "");
}

TEST_CASE("two stores writing to one file in turns keep the counts exact",
          "[engine][aggregates][multiprocess]") {
  store_fixture f({.fold_after_responses = 1'000'000, .fold_idle = 1h});
  auto opened = eng::store::open(f.options());
  REQUIRE(opened);
  auto& second = **opened;
  for (int i = 0; i < 10; ++i) {
    REQUIRE(submit_rated(i % 3 == 0 ? second : f.store(), 1 + i % 5));
    CHECK(counts_disagreement(f.store()) == "");
    CHECK(counts_disagreement(second) == "");
  }
  second.close();
  CHECK(counts_disagreement(f.store()) == "");
  f.reopen();
  CHECK(counts_disagreement(f.store()) == "");
}

// The same hazard reached by chance: both stores fold often while they write, so
// sometimes a fold finds a tail that looks like its own pending counts.
TEST_CASE("two stores writing to one file at once keep the counts exact",
          "[engine][aggregates][multiprocess][concurrency]") {
  store_fixture f({.fold_after_responses = 3, .fold_idle = 1ms});
  auto opened = eng::store::open(f.options());
  REQUIRE(opened);
  auto& second = **opened;
  std::atomic<int> failed{0};
  std::vector<std::thread> writers;
  for (eng::store* s : {&f.store(), &second}) {
    writers.emplace_back([s, &failed] {
      for (int i = 0; i < 40; ++i) {
        auto answers = hrs::testing::good_answers();
        answers["courtesy"] = 1 + i % 5;
        if (!eng::submit_campaign_response(*s, {"hr-service", "", answers})) ++failed;
      }
    });
  }
  for (auto& t : writers)
    t.join();
  CHECK(failed == 0);
  CHECK(raw_db(f.file()).count("responses") == 80);
  CHECK(counts_disagreement(f.store()) == "");
  CHECK(counts_disagreement(second) == "");
  second.close();
  f.reopen();
  CHECK(counts_disagreement(f.store()) == "");
}
