#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/access_tokens.hpp"
#include "store_fixture.hpp"

namespace {

using hrs::engine::errc;
using hrs::engine::role;
using hrs::testing::paths_of;
using hrs::testing::raw_db;
using hrs::testing::store_fixture;

namespace eng = hrs::engine;

}  // namespace

TEST_CASE("an access token authenticates with its grant", "[engine][tokens]") {
  store_fixture f({.templates = false, .roster = false});
  auto lead = eng::create_access_token(f.store(), {role::lead, "benefits", "Maria (HR lead)"},
                                       eng::command_line_actor("test"));
  REQUIRE(lead);
  REQUIRE(lead->token);
  CHECK(lead->token->starts_with("hrs_"));
  CHECK(lead->token->size() == 36);
  CHECK(lead->id.starts_with("tok_"));
  CHECK(lead->created_at == hrs::testing::fixture_start);
  CHECK_FALSE(lead->revoked_at);

  auto who = eng::authenticate(f.store(), *lead->token);
  REQUIRE(who);
  CHECK(who->id == lead->id);
  CHECK(who->granted == role::lead);
  CHECK(who->team == std::optional<std::string>("benefits"));
  CHECK(who->label == "Maria (HR lead)");
  CHECK_FALSE(who->token);

  auto admin = eng::create_access_token(f.store(), {role::admin, std::nullopt, "ops"},
                                        eng::command_line_actor("test"));
  auto integration = eng::create_access_token(f.store(), {role::integration, std::nullopt, "HRIS"},
                                              eng::command_line_actor("test"));
  REQUIRE(admin);
  REQUIRE(integration);
  CHECK(admin->token != lead->token);
  CHECK(eng::authenticate(f.store(), *admin->token)->granted == role::admin);
  CHECK(eng::authenticate(f.store(), *integration->token)->granted == role::integration);

  SECTION("the list shows every token without its text") {
    auto listed = eng::list_access_tokens(f.store());
    REQUIRE(listed);
    REQUIRE(listed->size() == 3);
    for (const auto& t : *listed)
      CHECK_FALSE(t.token);
  }
  SECTION("tokens still work after a reopen") {
    f.reopen();
    CHECK(eng::authenticate(f.store(), *lead->token));
  }
}

TEST_CASE("unknown and malformed access tokens are unauthorized", "[engine][tokens]") {
  store_fixture f({.templates = false, .roster = false});
  auto made = eng::create_access_token(f.store(), {role::admin, std::nullopt, ""},
                                       eng::command_line_actor("test"));
  REQUIRE(made);
  std::string altered = *made->token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& token : {std::string(), std::string("hrs_"), std::string("Bearer x"),
                                   altered, *made->token + "x", made->id}) {
    CAPTURE(token);
    auto who = eng::authenticate(f.store(), token);
    REQUIRE_FALSE(who);
    CHECK(who.error().code == errc::unauthorized);
  }
}

TEST_CASE("a revoked access token is unauthorized", "[engine][tokens]") {
  store_fixture f({.templates = false, .roster = false});
  auto made = eng::create_access_token(f.store(), {role::integration, std::nullopt, "HRIS"},
                                       eng::command_line_actor("test"));
  auto other = eng::create_access_token(f.store(), {role::integration, std::nullopt, "ATS"},
                                        eng::command_line_actor("test"));
  REQUIRE(made);
  REQUIRE(other);
  f.clock().advance(60);

  auto revoked = eng::revoke_access_token(f.store(), made->id, eng::command_line_actor("test"));
  REQUIRE(revoked);
  CHECK(revoked->revoked_at == std::optional<eng::unix_seconds>(hrs::testing::fixture_start + 60));
  auto who = eng::authenticate(f.store(), *made->token);
  REQUIRE_FALSE(who);
  CHECK(who.error().code == errc::unauthorized);
  CHECK(eng::authenticate(f.store(), *other->token));

  SECTION("revoking twice keeps the first revocation") {
    f.clock().advance(60);
    auto again = eng::revoke_access_token(f.store(), made->id, eng::command_line_actor("test"));
    REQUIRE(again);
    CHECK(again->revoked_at == revoked->revoked_at);
  }
  SECTION("revoking an unknown id is not_found") {
    auto unknown = eng::revoke_access_token(f.store(), "tok_nope", eng::command_line_actor("test"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == errc::not_found);
  }
  SECTION("the revocation survives a reopen") {
    f.reopen();
    CHECK_FALSE(eng::authenticate(f.store(), *made->token));
  }
}

TEST_CASE("only lead tokens are scoped to a team", "[engine][tokens]") {
  store_fixture f({.templates = false, .roster = false});
  for (role r : {role::admin, role::integration}) {
    CAPTURE(eng::to_string(r));
    auto made =
        eng::create_access_token(f.store(), {r, "benefits", ""}, eng::command_line_actor("test"));
    REQUIRE_FALSE(made);
    CHECK(made.error().code == errc::validation_failed);
    CHECK(paths_of(made.error().details) == std::vector<std::string>{"/team"});
  }
  auto empty_team =
      eng::create_access_token(f.store(), {role::lead, "", ""}, eng::command_line_actor("test"));
  REQUIRE_FALSE(empty_team);
  CHECK(paths_of(empty_team.error().details) == std::vector<std::string>{"/team"});
  auto bad_label = eng::create_access_token(f.store(), {role::lead, std::nullopt, "a\x01"},
                                            eng::command_line_actor("test"));
  REQUIRE_FALSE(bad_label);
  CHECK(paths_of(bad_label.error().details) == std::vector<std::string>{"/label"});
  CHECK(raw_db(f.file()).count("access_tokens") == 0);
}

TEST_CASE("access token text is never stored", "[engine][tokens][privacy]") {
  store_fixture f({.templates = false, .roster = false});
  auto made = eng::create_access_token(f.store(), {role::admin, std::nullopt, "ops"},
                                       eng::command_line_actor("test"));
  REQUIRE(made);
  const std::string token = *made->token;
  const std::string secret = token.substr(4);  // without the "hrs_" prefix
  CHECK(raw_db(f.file()).find_text(secret).empty());
  CHECK_FALSE(hrs::testing::file_bytes_contain(f.file(), secret));
  REQUIRE(eng::revoke_access_token(f.store(), made->id, eng::command_line_actor("test")));
  f.close();
  CHECK(raw_db(f.file()).find_text(secret).empty());
  CHECK_FALSE(hrs::testing::file_bytes_contain(f.file(), secret));
}

TEST_CASE("roles convert to and from their names", "[engine][tokens]") {
  for (role r : {role::admin, role::lead, role::integration})
    CHECK(eng::parse_role(eng::to_string(r)) == r);
  CHECK_FALSE(eng::parse_role("root"));
  CHECK_FALSE(eng::parse_role("Admin"));
}
