#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/access_tokens.hpp"
#include "hrs/engine/audit.hpp"
#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/surveys.hpp"
#include "store_fixture.hpp"

namespace {

using hrs::engine::errc;
using hrs::engine::role;
using hrs::testing::raw_db;
using hrs::testing::store_fixture;

namespace eng = hrs::engine;

const eng::actor maria{"tok_maria", "Maria (admin)"};

std::vector<eng::audit_entry> whole_log(eng::store& s) {
  auto entries = eng::read_audit_log(s, {.limit = eng::max_audit_page});
  REQUIRE(entries);
  return *entries;
}

}  // namespace

TEST_CASE("each admin action that changes the store leaves one audit entry", "[engine][audit]") {
  store_fixture f({.templates = false, .roster = false});
  auto& s = f.store();

  auto created = eng::create_access_token(s, {role::lead, "benefits", "Pat"}, maria);
  REQUIRE(created);
  f.clock().advance(60);
  REQUIRE(eng::put_staff(s, {"s-1", "Ana Pop", "benefits"}, maria));
  REQUIRE(eng::put_staff(s, {"s-1", "Ana Pop", "payroll"}, maria));
  auto roster = eng::parse_roster_csv("id,name,team\ns-1,Ana Pop,payroll\ns-2,Chen Wei,payroll\n");
  REQUIRE(roster);
  REQUIRE(eng::import_staff(s, *roster, eng::command_line_actor("staff import")));
  auto definition =
      eng::load_definition_file(hrs::testing::source_path("survey_defs/hr-service.json"));
  REQUIRE(definition);
  REQUIRE(eng::register_survey(s, *definition, maria));
  REQUIRE(eng::revoke_access_token(s, created->id, maria));

  const auto log = whole_log(s);
  REQUIRE(log.size() == 6);
  // Newest first.
  CHECK(log[0].action == "token.revoked");
  CHECK(log[0].target == created->id);
  CHECK(log[1].action == "survey.stored");
  CHECK(log[1].target == "hr-service");
  CHECK(log[1].details == nlohmann::json{{"version", definition->version}, {"outcome", "created"}});
  CHECK(log[2].action == "staff.imported");
  CHECK(log[2].target == "roster");
  CHECK(log[2].details == nlohmann::json{{"created", 1}, {"updated", 0}, {"unchanged", 1}});
  CHECK(log[2].by.id == "cli");
  CHECK(log[2].by.label == "hrsurvey staff import");
  CHECK(log[3].action == "staff.put");
  CHECK(log[3].details == nlohmann::json{{"outcome", "updated"}});
  CHECK(log[4].action == "staff.put");
  CHECK(log[4].details == nlohmann::json{{"outcome", "created"}});
  CHECK(log[5].action == "token.created");
  CHECK(log[5].target == created->id);
  CHECK(log[5].details == nlohmann::json{{"role", "lead"}, {"team", "benefits"}, {"label", "Pat"}});
  CHECK(log[5].at == hrs::testing::fixture_start);
  CHECK(log[4].at == hrs::testing::fixture_start + 60);
  for (const auto& e : log) {
    if (e.by.id != "cli") {
      CHECK(e.by.id == maria.id);
      CHECK(e.by.label == maria.label);
    }
  }
  for (std::size_t i = 1; i < log.size(); ++i)
    CHECK(log[i - 1].id > log[i].id);

  // The token itself is nowhere in the file, the audit log included.
  CHECK(raw_db(f.file()).find_text(*created->token).empty());
}

TEST_CASE("actions that change nothing or fail leave no audit entry", "[engine][audit]") {
  store_fixture f({.templates = false, .roster = false});
  auto& s = f.store();
  REQUIRE(eng::put_staff(s, {"s-1", "Ana Pop", "benefits"}, maria));
  const auto before = whole_log(s).size();

  CHECK(eng::put_staff(s, {"s-1", "Ana Pop", "benefits"}, maria));  // unchanged
  CHECK_FALSE(eng::put_staff(s, {"-bad", "", ""}, maria));          // invalid
  CHECK(eng::revoke_access_token(s, "tok_nope", maria).error().code == errc::not_found);
  auto same = eng::parse_roster_csv("id,name,team\ns-1,Ana Pop,benefits\n");
  REQUIRE(same);
  CHECK(eng::import_staff(s, *same, maria));  // all unchanged
  auto made = eng::create_access_token(s, {role::admin, std::nullopt, "ops"}, maria);
  REQUIRE(made);
  REQUIRE(eng::revoke_access_token(s, made->id, maria));
  const auto with_revoke = whole_log(s).size();
  CHECK(with_revoke == before + 2);
  CHECK(eng::revoke_access_token(s, made->id, maria));  // twice: nothing changes
  CHECK(whole_log(s).size() == with_revoke);
}

TEST_CASE("an action whose audit entry cannot be written is not done", "[engine][audit]") {
  store_fixture f({.templates = false, .roster = false});
  auto& s = f.store();
  raw_db(f.file(), raw_db::mode::read_write).exec("DROP TABLE audit_log");

  CHECK_FALSE(eng::put_staff(s, {"s-1", "Ana Pop", "benefits"}, maria));
  CHECK_FALSE(eng::create_access_token(s, {role::admin, std::nullopt, "ops"}, maria));
  raw_db db(f.file());
  CHECK(db.count("staff") == 0);
  CHECK(db.count("access_tokens") == 0);
}

TEST_CASE("the audit log pages newest first and filters by UTC day", "[engine][audit]") {
  store_fixture f({.templates = false, .roster = false});
  auto& s = f.store();
  // One entry per day for five days, from the fixture's start (2026-01-01).
  for (int i = 0; i < 5; ++i) {
    REQUIRE(eng::put_staff(s, {"s-" + std::to_string(i), "Person", "benefits"}, maria));
    f.clock().advance(hrs::engine::seconds_per_day);
  }
  auto first = eng::read_audit_log(s, {.limit = 2});
  REQUIRE(first);
  REQUIRE(first->size() == 2);
  CHECK(first->at(0).target == "s-4");
  CHECK(first->at(1).target == "s-3");
  auto second = eng::read_audit_log(s, {.before = first->back().id, .limit = 2});
  REQUIRE(second);
  REQUIRE(second->size() == 2);
  CHECK(second->at(0).target == "s-2");
  CHECK(second->at(1).target == "s-1");

  const auto jan2 = *eng::parse_date("2026-01-02");
  const auto jan3 = *eng::parse_date("2026-01-03");
  auto days = eng::read_audit_log(s, {.from = jan2, .to = jan3});
  REQUIRE(days);
  REQUIRE(days->size() == 2);
  CHECK(days->at(0).target == "s-2");
  CHECK(days->at(1).target == "s-1");

  CHECK(eng::read_audit_log(s, {.limit = 0}).error().code == errc::validation_failed);
  CHECK(eng::read_audit_log(s, {.limit = eng::max_audit_page + 1}).error().code ==
        errc::validation_failed);
}
