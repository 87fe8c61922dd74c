#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"
#include "store_fixture.hpp"

namespace {

using hrs::engine::errc;
using hrs::testing::raw_db;
using hrs::testing::temp_dir;

namespace eng = hrs::engine;

}  // namespace

TEST_CASE("a new store has the current schema version", "[engine][migrations]") {
  temp_dir dir;
  auto s = eng::store::open({.file = dir / "new.db"});
  REQUIRE(s);
  (*s)->close();
  raw_db db(dir / "new.db");
  CHECK(db.integer("PRAGMA user_version") == eng::current_schema_version());
  CHECK(db.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("a store of an older schema is upgraded when opened", "[engine][migrations]") {
  temp_dir dir;
  const auto file = dir / "old.db";
  REQUIRE(eng::migrate_store_file(file, 1));
  {
    raw_db db(file, raw_db::mode::read_write);
    CHECK(db.integer("PRAGMA user_version") == 1);
    const auto tables = db.tables();
    CHECK(std::ranges::find(tables, "agg_day") == tables.end());
    // Data written by the old version, which the upgrade must keep.
    db.exec("INSERT INTO staff (id, name, team, updated_at) VALUES ('s-1', 'Ana Pop', 'hr', 0)");
  }

  auto s = eng::store::open({.file = file});
  REQUIRE(s);
  auto found = eng::find_staff(**s, "s-1");
  REQUIRE(found);
  CHECK(found->name == "Ana Pop");
  // The upgraded store works: templates, counts.
  REQUIRE(eng::sync_definitions(**s, hrs::testing::source_path("survey_defs")).ok);
  CHECK(eng::read_counts(**s, hrs::testing::whole_range()));
  (*s)->close();

  raw_db db(file);
  CHECK(db.integer("PRAGMA user_version") == eng::current_schema_version());
  const auto tables = db.tables();
  CHECK(std::ranges::find(tables, "agg_day") != tables.end());
  CHECK(std::ranges::find(tables, "access_tokens") != tables.end());
  CHECK(db.integrity() == "ok");
}

TEST_CASE("migrating to a version already reached changes nothing", "[engine][migrations]") {
  temp_dir dir;
  const auto file = dir / "store.db";
  REQUIRE(eng::migrate_store_file(file, eng::current_schema_version()));
  REQUIRE(eng::migrate_store_file(file, 1));
  REQUIRE(eng::migrate_store_file(file, eng::current_schema_version()));
  CHECK(raw_db(file).integer("PRAGMA user_version") == eng::current_schema_version());
  auto s = eng::store::open({.file = file});
  CHECK(s);
}

TEST_CASE("a store from a newer hrsurvey is refused", "[engine][migrations]") {
  temp_dir dir;
  const auto file = dir / "future.db";
  {
    auto s = eng::store::open({.file = file});
    REQUIRE(s);
  }
  raw_db(file, raw_db::mode::read_write).exec("PRAGMA user_version = 99");

  auto s = eng::store::open({.file = file});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == errc::unavailable);
  CHECK(s.error().message.find("99") != std::string::npos);
  // Refusing must not touch the file.
  CHECK(raw_db(file).integer("PRAGMA user_version") == 99);
}
