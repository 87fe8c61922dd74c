#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/roster.hpp"
#include "store_fixture.hpp"

namespace {

using hrs::engine::detail;
using hrs::engine::errc;
using hrs::engine::put_outcome;
using hrs::engine::staff_member;
using hrs::testing::paths_of;
using hrs::testing::store_fixture;

namespace eng = hrs::engine;

std::vector<staff_member> roster_of(store_fixture& f) {
  auto listed = eng::list_staff(f.store());
  REQUIRE(listed);
  return *listed;
}

}  // namespace

TEST_CASE("put_staff creates, updates and leaves unchanged", "[engine][roster]") {
  store_fixture f({.roster = false});
  const staff_member ana{"s-1", "Ana Pop", "benefits"};

  auto first = eng::put_staff(f.store(), ana, eng::command_line_actor("test"));
  REQUIRE(first);
  CHECK(*first == put_outcome::created);

  auto again = eng::put_staff(f.store(), ana, eng::command_line_actor("test"));
  REQUIRE(again);
  CHECK(*again == put_outcome::unchanged);

  const staff_member moved{"s-1", "Ana Pop", "payroll"};
  auto updated = eng::put_staff(f.store(), moved, eng::command_line_actor("test"));
  REQUIRE(updated);
  CHECK(*updated == put_outcome::updated);

  auto found = eng::find_staff(f.store(), "s-1");
  REQUIRE(found);
  CHECK(*found == moved);
  CHECK(roster_of(f) == std::vector<staff_member>{moved});

  SECTION("the roster survives a reopen") {
    f.reopen();
    CHECK(roster_of(f) == std::vector<staff_member>{moved});
  }
}

TEST_CASE("put_staff rejects bad entries with a detail per field", "[engine][roster]") {
  store_fixture f({.roster = false});
  auto bad = eng::put_staff(f.store(), {"-bad id", "", std::string(101, 'x')},
                            eng::command_line_actor("test"));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == errc::validation_failed);
  CHECK(paths_of(bad.error().details) == std::vector<std::string>{"/id", "/name", "/team"});
  CHECK(roster_of(f).empty());

  auto not_utf8 = eng::put_staff(f.store(), {"s-1", std::string("Ana \xff"), "benefits"},
                                 eng::command_line_actor("test"));
  REQUIRE_FALSE(not_utf8);
  CHECK(paths_of(not_utf8.error().details) == std::vector<std::string>{"/name"});
}

TEST_CASE("find_staff of an unknown id is not_found", "[engine][roster]") {
  store_fixture f;
  auto missing = eng::find_staff(f.store(), "s-999");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == errc::not_found);
}

TEST_CASE("a good roster CSV imports every line", "[engine][roster][csv]") {
  store_fixture f({.roster = false});
  REQUIRE(eng::put_staff(f.store(), {"s-2", "Marco Rossi", "benefits"},
                         eng::command_line_actor("test")));
  REQUIRE(
      eng::put_staff(f.store(), {"s-3", "Chen Wei", "payroll"}, eng::command_line_actor("test")));

  const std::string csv =
      "id,name,team\r\n"
      "s-1,Ana Pop,benefits\r\n"
      "s-2,Marco Rossi,payroll\r\n"
      "s-3,Chen Wei,payroll\r\n";
  auto parsed = eng::parse_roster_csv(csv);
  REQUIRE(parsed);
  CHECK(parsed->size() == 3);
  auto imported = eng::import_staff(f.store(), *parsed, eng::command_line_actor("test"));
  REQUIRE(imported);
  CHECK(imported->created == 1);
  CHECK(imported->updated == 1);
  CHECK(imported->unchanged == 1);
  CHECK(roster_of(f) == std::vector<staff_member>{{"s-1", "Ana Pop", "benefits"},
                                                  {"s-3", "Chen Wei", "payroll"},
                                                  {"s-2", "Marco Rossi", "payroll"}});
}

TEST_CASE("roster CSV follows RFC 4180 quoting", "[engine][roster][csv]") {
  SECTION("commas, doubled quotes and line breaks inside quoted fields") {
    const std::string csv =
        "id,name,team\n"
        "s-1,\"Pop, Ana\",benefits\n"
        "s-2,\"Marco \"\"Max\"\" Rossi\",\"payroll, EMEA\"\n"
        "s-3,\"Chen\nWei\",payroll\n"
        "s-4,Ioana Marin,recruiting";  // no final line break
    auto parsed = eng::parse_roster_csv(csv);
    REQUIRE(parsed);
    CHECK(*parsed == std::vector<staff_member>{{"s-1", "Pop, Ana", "benefits"},
                                               {"s-2", "Marco \"Max\" Rossi", "payroll, EMEA"},
                                               {"s-3", "Chen\nWei", "payroll"},
                                               {"s-4", "Ioana Marin", "recruiting"}});
  }
  SECTION("a UTF-8 byte order mark before the header is accepted") {
    auto parsed = eng::parse_roster_csv("\xEF\xBB\xBFid,name,team\ns-1,Lucía Gómez,payroll\n");
    REQUIRE(parsed);
    CHECK(*parsed == std::vector<staff_member>{{"s-1", "Lucía Gómez", "payroll"}});
  }
  SECTION("a header alone is an empty roster") {
    auto parsed = eng::parse_roster_csv("id,name,team\n");
    REQUIRE(parsed);
    CHECK(parsed->empty());
  }
}

TEST_CASE("a roster CSV with a wrong header is refused at line 1", "[engine][roster][csv]") {
  auto [text] = GENERATE(table<std::string>({
      {"name,id,team\ns-1,Ana,benefits\n"},
      {"id,name\ns-1,Ana\n"},
      {"id,name,team,extra\ns-1,Ana,benefits,x\n"},
      {"s-1,Ana,benefits\n"},
      {""},
  }));
  CAPTURE(text);
  auto parsed = eng::parse_roster_csv(text);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == errc::validation_failed);
  CHECK(paths_of(parsed.error().details) == std::vector<std::string>{"/lines/1"});
}

TEST_CASE("every bad roster line is reported and nothing is imported", "[engine][roster][csv]") {
  store_fixture f;
  const auto before = roster_of(f);

  // Line 3 holds a quoted line break, so the lines after it are one further down.
  const std::string csv =
      "id,name,team\n"                  // 1
      "s-1,Ana Pop,benefits\n"          // 2: fine
      "s-2,\"Marco\nRossi\",payroll\n"  // 3-4: fine
      "-s3,Chen Wei,payroll\n"          // 5: bad id
      "s-4,,payroll\n"                  // 6: empty name
      "s-5,Ioana Marin\n"               // 7: two fields
      "s-1,Ana Again,benefits\n"        // 8: id of line 2
      "s-6,Sam Lee,recruiting\n";       // 9: fine
  auto parsed = eng::parse_roster_csv(csv);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == errc::validation_failed);
  CHECK(paths_of(parsed.error().details) ==
        std::vector<std::string>{"/lines/5/id", "/lines/6/name", "/lines/7", "/lines/8/id"});
  CHECK(roster_of(f) == before);
}

TEST_CASE("a roster CSV with an unclosed quote is refused", "[engine][roster][csv]") {
  auto parsed = eng::parse_roster_csv("id,name,team\ns-1,\"Ana,benefits\n");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == errc::validation_failed);
  REQUIRE(parsed.error().details.size() == 1);
  CHECK(parsed.error().details[0].path.starts_with("/lines/"));
}

TEST_CASE("duplicate ids in a roster CSV are reported on the later line", "[engine][roster][csv]") {
  auto parsed = eng::parse_roster_csv(
      "id,name,team\n"
      "s-1,Ana Pop,benefits\n"
      "s-2,Marco Rossi,payroll\n"
      "s-1,Ana Pop,benefits\n"
      "s-2,Marco Rossi,payroll\n");
  REQUIRE_FALSE(parsed);
  CHECK(paths_of(parsed.error().details) == std::vector<std::string>{"/lines/4/id", "/lines/5/id"});
}

TEST_CASE("CRLF line ends count one line each", "[engine][roster][csv]") {
  auto parsed = eng::parse_roster_csv(
      "id,name,team\r\n"
      "s-1,\"Ana\r\nPop\",benefits\r\n"
      "-bad,Marco Rossi,payroll\r\n");
  REQUIRE_FALSE(parsed);
  CHECK(paths_of(parsed.error().details) == std::vector<std::string>{"/lines/4/id"});
}

// libcsv skips blank lines without a callback; line numbers must still be physical.
TEST_CASE("a blank line in a roster CSV does not shift the reported line numbers",
          "[engine][roster][csv]") {
  // Editors and spreadsheets number physical lines; a bad line after a blank one must be
  // reported where the user sees it.
  auto parsed = eng::parse_roster_csv(
      "id,name,team\n"
      "s-1,Ana Pop,benefits\n"
      "\n"
      "-bad,Marco Rossi,payroll\n");
  REQUIRE_FALSE(parsed);
  CHECK(paths_of(parsed.error().details) == std::vector<std::string>{"/lines/4/id"});
}

TEST_CASE("import_staff validates every entry before writing any", "[engine][roster]") {
  store_fixture f;
  const auto before = roster_of(f);
  auto imported = eng::import_staff(f.store(),
                                    {{"s-201", "New Person", "benefits"},
                                     {"s 202", "Bad Id", "benefits"},
                                     {"s-203", "", "benefits"}},
                                    eng::command_line_actor("test"));
  REQUIRE_FALSE(imported);
  CHECK(imported.error().code == errc::validation_failed);
  CHECK(paths_of(imported.error().details) == std::vector<std::string>{"/1/id", "/2/name"});
  CHECK(roster_of(f) == before);
}
