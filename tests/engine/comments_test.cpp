#include <catch2/catch.hpp>

#include "hrs/engine/comments.hpp"
#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/surveys.hpp"
#include "store_fixture.hpp"

namespace eng = hrs::engine;
using hrs::testing::store_fixture;

namespace {

// A second campaign template beside hr-service, with a comment question of its own.
void register_quick_check(eng::store& s) {
  auto definition = eng::parse_definition(R"({
    "id": "quick-check", "version": 1, "default_locale": "en", "locales": ["en"],
    "title": "Quick check", "campaign": true,
    "questions": [
      {"id": "who", "type": "staff", "text": "Who helped you?"},
      {"id": "overall", "type": "rating", "dimension": "courtesy", "required": true, "text": "Overall?"},
      {"id": "note", "type": "text", "text": "Anything to add?"}
    ]})");
  REQUIRE(definition);
  REQUIRE(eng::register_survey(s, *definition, eng::command_line_actor("test")));
}

}  // namespace

TEST_CASE("comments are listed per staff member, newest first, and by template when asked",
          "[engine][comments]") {
  store_fixture f;
  register_quick_check(f.store());
  auto hr = hrs::testing::good_answers();
  hr["staff"] = {"s-101"};
  hr["comment"] = "Sorted out my payslip";
  REQUIRE(eng::submit_campaign_response(f.store(), {"hr-service", "", hr}));
  f.clock().advance(eng::seconds_per_day);
  REQUIRE(eng::submit_campaign_response(
      f.store(),
      {"quick-check", "", {{"who", {"s-101", "s-102"}}, {"overall", 4}, {"note", "Fast reply"}}}));

  const auto today = eng::day_of(f.clock().now());
  auto all = eng::list_written_answers(f.store(), {"s-101", today - 7, today, 50, 0, std::nullopt});
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).text == "Fast reply");  // newest first
  CHECK(all->at(1).text == "Sorted out my payslip");

  auto only_hr =
      eng::list_written_answers(f.store(), {"s-101", today - 7, today, 50, 0, "hr-service"});
  REQUIRE(only_hr);
  REQUIRE(only_hr->size() == 1);
  CHECK(only_hr->front().question == "comment");

  auto colleague =
      eng::list_written_answers(f.store(), {"s-102", today - 7, today, 50, 0, std::nullopt});
  REQUIRE(colleague);
  REQUIRE(colleague->size() == 1);
  CHECK(colleague->front().text == "Fast reply");

  auto paged =
      eng::list_written_answers(f.store(), {"s-101", today - 7, today, 1, 1, std::nullopt});
  REQUIRE(paged);
  REQUIRE(paged->size() == 1);
  CHECK(paged->front().text == "Sorted out my payslip");
}
