#include <atomic>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "store_fixture.hpp"

namespace {

using hrs::engine::detail;
using hrs::engine::errc;
using hrs::engine::invitation_request;
using hrs::testing::paths_of;
using hrs::testing::raw_db;
using hrs::testing::store_fixture;

namespace eng = hrs::engine;

invitation_request request_for(std::vector<std::string> staff,
                               std::optional<std::string> ref = std::nullopt) {
  invitation_request r;
  r.survey = "hr-service";
  r.staff = std::move(staff);
  r.external_ref = std::move(ref);
  return r;
}

bool base64url(const std::string& text) {
  return text.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
         std::string::npos;
}

}  // namespace

TEST_CASE("create_invitation returns a token shown once and an inv_ id", "[engine][invitations]") {
  store_fixture f;
  auto created = eng::create_invitation(f.store(), request_for({"s-101", "s-102"}, "HR-4711"));
  REQUIRE(created);
  CHECK(created->created);
  REQUIRE(created->token);
  CHECK(created->token->size() == 22);
  CHECK(base64url(*created->token));
  CHECK(created->id.starts_with("inv_"));
  CHECK(created->survey == "hr-service");
  CHECK(created->version == 1);
  CHECK(created->staff == std::vector<std::string>{"s-101", "s-102"});
  CHECK(created->locale.empty());  // none requested: the respondent's browser decides
  CHECK(created->created_at == hrs::testing::fixture_start);
  CHECK(created->expires_at == hrs::testing::fixture_start + 14 * eng::seconds_per_day);
  CHECK_FALSE(created->answered);

  auto found = eng::find_invitation(f.store(), *created->token);
  REQUIRE(found);
  CHECK(found->id == created->id);
  CHECK_FALSE(found->token);
  CHECK(found->external_ref == std::optional<std::string>("HR-4711"));

  SECTION("two invitations get different tokens and ids") {
    auto other = eng::create_invitation(f.store(), request_for({"s-101"}));
    REQUIRE(other);
    CHECK(other->id != created->id);
    CHECK(other->token != created->token);
  }
}

TEST_CASE("an invitation token is stored only as a hash", "[engine][invitations][privacy]") {
  store_fixture f;
  auto created = eng::create_invitation(f.store(), request_for({"s-101"}, "HR-1"));
  REQUIRE(created);
  REQUIRE(created->token);
  const std::string token = *created->token;

  CHECK(raw_db(f.file()).find_text(token).empty());
  CHECK_FALSE(hrs::testing::file_bytes_contain(f.file(), token));

  SECTION("also after it was answered and the store was closed") {
    REQUIRE(eng::submit_response(f.store(), {token, "", hrs::testing::good_answers()}));
    f.close();
    CHECK(raw_db(f.file()).find_text(token).empty());
    CHECK_FALSE(hrs::testing::file_bytes_contain(f.file(), token));
  }
}

TEST_CASE("the same external_ref returns the first invitation", "[engine][invitations]") {
  store_fixture f;
  auto first = eng::create_invitation(f.store(), request_for({"s-101"}, "HR-4711"));
  REQUIRE(first);
  REQUIRE(first->created);

  SECTION("same survey and staff: the same invitation, without its token") {
    auto again = eng::create_invitation(f.store(), request_for({"s-101"}, "HR-4711"));
    REQUIRE(again);
    CHECK_FALSE(again->created);
    CHECK(again->id == first->id);
    CHECK_FALSE(again->token);
    CHECK(again->expires_at == first->expires_at);
  }
  SECTION("other staff: a conflict at /external_ref") {
    auto other = eng::create_invitation(f.store(), request_for({"s-102"}, "HR-4711"));
    REQUIRE_FALSE(other);
    CHECK(other.error().code == errc::conflict);
    CHECK(paths_of(other.error().details) == std::vector<std::string>{"/external_ref"});
  }
  SECTION("more staff: a conflict") {
    auto other = eng::create_invitation(f.store(), request_for({"s-101", "s-102"}, "HR-4711"));
    REQUIRE_FALSE(other);
    CHECK(other.error().code == errc::conflict);
  }
  SECTION("after a reopen too") {
    f.reopen();
    auto again = eng::create_invitation(f.store(), request_for({"s-101"}, "HR-4711"));
    REQUIRE(again);
    CHECK_FALSE(again->created);
    CHECK(again->id == first->id);
  }
  CHECK(raw_db(f.file()).count("invitations") == 1);
}

TEST_CASE("invalid invitation requests name every bad field", "[engine][invitations]") {
  store_fixture f;

  struct bad_case {
    const char* name;
    invitation_request request;
    std::vector<std::string> paths;
  };
  const auto with = [](auto change) {
    auto r = request_for({"s-101"});
    change(r);
    return r;
  };
  const std::vector<bad_case> cases{
      {"unknown survey", with([](auto& r) { r.survey = "no-such-survey"; }), {"/survey"}},
      {"unsafe survey id", with([](auto& r) { r.survey = "../etc"; }), {"/survey"}},
      {"unknown staff",
       with([](auto& r) {
         r.staff = {"s-101", "s-999"};
       }),
       {"/staff/1"}},
      {"staff named twice",
       with([](auto& r) {
         r.staff = {"s-101", "s-101"};
       }),
       {"/staff/1"}},
      {"no staff", with([](auto& r) { r.staff.clear(); }), {"/staff"}},
      {"eleven staff",
       with([](auto& r) { r.staff = std::vector<std::string>(11, "s-101"); }),
       {"/staff", "/staff/1", "/staff/2", "/staff/3", "/staff/4", "/staff/5", "/staff/6",
        "/staff/7", "/staff/8", "/staff/9", "/staff/10"}},
      {"bad locale", with([](auto& r) { r.locale = "english please"; }), {"/locale"}},
      {"empty external_ref", with([](auto& r) { r.external_ref = ""; }), {"/external_ref"}},
      {"expires_in_days 0", with([](auto& r) { r.expires_in_days = 0; }), {"/expires_in_days"}},
      {"expires_in_days 366", with([](auto& r) { r.expires_in_days = 366; }), {"/expires_in_days"}},
      {"everything wrong",
       with([](auto& r) {
         r.survey = "nope";
         r.staff = {"s-999"};
         r.locale = "?";
         r.expires_in_days = -1;
       }),
       {"/survey", "/staff/0", "/locale", "/expires_in_days"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto created = eng::create_invitation(f.store(), c.request);
    REQUIRE_FALSE(created);
    CHECK(created.error().code == errc::validation_failed);
    CHECK(paths_of(created.error().details) == c.paths);
  }
  CHECK(raw_db(f.file()).count("invitations") == 0);
}

TEST_CASE("an invitation's locale resolves to one of the template's", "[engine][invitations]") {
  store_fixture f;
  auto [requested, expected] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"it", "it"},
      {"IT", "it"},
      {"it-CH", "it"},
      {"zh-Hant", "zh-Hant"},
      {"zh-Hant-TW", "zh-Hant"},
      {"ro-RO", "ro"},
      {"de", "en"},
      {"pt-BR", "en"},
  }));
  CAPTURE(requested);
  auto r = request_for({"s-101"});
  r.locale = requested;
  auto created = eng::create_invitation(f.store(), r);
  REQUIRE(created);
  CHECK(created->locale == expected);
  auto found = eng::find_invitation(f.store(), *created->token);
  REQUIRE(found);
  CHECK(found->locale == expected);
}

TEST_CASE("find_invitation: unknown tokens are not_found", "[engine][invitations]") {
  store_fixture f;
  f.invite();
  for (const char* token : {"", "short", "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAA!",
                            "' OR 1=1 --AAAAAAAAAAA"}) {
    CAPTURE(token);
    auto found = eng::find_invitation(f.store(), token);
    REQUIRE_FALSE(found);
    CHECK(found.error().code == errc::not_found);
  }
}

TEST_CASE("find_invitation for answering reports expired and answered", "[engine][invitations]") {
  store_fixture f;
  const auto inv = f.invite();
  REQUIRE(eng::find_invitation(f.store(), *inv.token, eng::token_use::answer));

  SECTION("one second before expiry it is answerable") {
    f.clock().set(inv.expires_at - 1);
    CHECK(eng::find_invitation(f.store(), *inv.token, eng::token_use::answer));
  }
  SECTION("at expiry it is gone, but can still be viewed") {
    f.clock().set(inv.expires_at);
    auto found = eng::find_invitation(f.store(), *inv.token, eng::token_use::answer);
    REQUIRE_FALSE(found);
    CHECK(found.error().code == errc::gone);
    CHECK(eng::find_invitation(f.store(), *inv.token, eng::token_use::view));
  }
  SECTION("once answered it is a conflict") {
    REQUIRE(eng::submit_response(f.store(), {*inv.token, "", hrs::testing::good_answers()}));
    auto found = eng::find_invitation(f.store(), *inv.token, eng::token_use::answer);
    REQUIRE_FALSE(found);
    CHECK(found.error().code == errc::conflict);
    auto viewed = eng::find_invitation(f.store(), *inv.token, eng::token_use::view);
    REQUIRE(viewed);
    CHECK(viewed->answered);
  }
}

TEST_CASE("concurrent requests with one external_ref create one invitation",
          "[engine][invitations][concurrency]") {
  store_fixture f;
  constexpr int threads = 16;
  for (int round = 0; round < 3; ++round) {
    const std::string ref = "HR-RACE-" + std::to_string(round);
    std::latch start(threads);
    std::vector<eng::result<eng::invitation>> results(threads, std::unexpected(eng::error{}));
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&, i] {
        start.arrive_and_wait();
        results[static_cast<std::size_t>(i)] =
            eng::create_invitation(f.store(), request_for({"s-101", "s-103"}, ref));
      });
    }
    for (auto& t : pool)
      t.join();

    int created = 0;
    std::set<std::string> ids;
    for (const auto& r : results) {
      REQUIRE(r);
      if (r->created) {
        ++created;
        CHECK(r->token);
      } else {
        CHECK_FALSE(r->token);
      }
      ids.insert(r->id);
    }
    CHECK(created == 1);
    CHECK(ids.size() == 1);
    raw_db db(f.file());
    auto stmt_count = db.integer("SELECT count(*) FROM invitations WHERE external_ref = 'HR-RACE-" +
                                 std::to_string(round) + "'");
    CHECK(stmt_count == 1);
  }
}
