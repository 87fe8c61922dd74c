#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"
#include "hrs/engine/time.hpp"
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
  REQUIRE(eng::sync_definitions(**s, hrs::testing::source_path("survey_defs"),
                                eng::command_line_actor("test"))
              .ok);
  CHECK(eng::read_counts(**s, hrs::testing::whole_range()));
  (*s)->close();

  raw_db db(file);
  CHECK(db.integer("PRAGMA user_version") == eng::current_schema_version());
  const auto tables = db.tables();
  CHECK(std::ranges::find(tables, "agg_day") != tables.end());
  CHECK(std::ranges::find(tables, "access_tokens") != tables.end());
  CHECK(db.integrity() == "ok");
}

TEST_CASE("the upgrade to month buckets sums the day counts it finds", "[engine][migrations]") {
  temp_dir dir;
  const auto file = dir / "v2.db";
  REQUIRE(eng::migrate_store_file(file, 2));
  // 2026-01-30, 2026-01-31 and 2026-02-01 as day numbers: two days of January, one of
  // February; and no responses, so the buckets alone make the counts.
  const int jan30 = 20483, jan31 = 20484, feb1 = 20485;
  REQUIRE(eng::parse_date("2026-01-30") == jan30);
  {
    raw_db db(file, raw_db::mode::read_write);
    for (const auto& [day, c5] : {std::pair{jan30, 2}, {jan31, 3}, {feb1, 7}}) {
      db.exec("INSERT INTO agg_day VALUES ('hr-service', " + std::to_string(day) +
              ", 's-1', 'courtesy', '', 0, 0, 0, 1, " + std::to_string(c5) + ")");
    }
  }
  auto s = eng::store::open({.file = file});
  REQUIRE(s);
  (*s)->close();

  raw_db db(file);
  CHECK(db.integer("SELECT count(*) FROM agg_month") == 2);
  CHECK(db.integer("SELECT c5 FROM agg_month WHERE month = " + std::to_string(jan30 - 29)) == 5);
  CHECK(db.integer("SELECT c4 FROM agg_month WHERE month = " + std::to_string(jan30 - 29)) == 2);
  CHECK(db.integer("SELECT c5 FROM agg_month WHERE month = " + std::to_string(feb1)) == 7);
  CHECK(db.integer("SELECT count(*) FROM agg_day") == 3);
  CHECK(db.integrity() == "ok");

  auto reopened = eng::store::open({.file = file});
  REQUIRE(reopened);
  auto totals = eng::read_totals(**reopened, {jan30 - 29, feb1 + 27});
  REQUIRE(totals);
  CHECK(totals->at({"s-1", "courtesy", ""}) == eng::histogram{0, 0, 0, 3, 12});
  auto two_days = eng::read_totals(**reopened, {jan31, feb1});
  REQUIRE(two_days);
  CHECK(two_days->at({"s-1", "courtesy", ""}) == eng::histogram{0, 0, 0, 2, 10});
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

TEST_CASE("the upgrade to answered bits keeps which invitations were answered",
          "[engine][migrations][privacy]") {
  temp_dir dir;
  const auto file = dir / "v3.db";
  REQUIRE(eng::migrate_store_file(file, 3));
  std::ifstream in(HRS_SOURCE_DIR "/survey_defs/hr-service.json");
  std::string definition;  // as an SQL string literal's content: quotes doubled
  for (auto it = std::istreambuf_iterator<char>(in); it != std::istreambuf_iterator<char>(); ++it)
    definition += *it == '\'' ? std::string("''") : std::string(1, *it);
  // 130 invitations made at fixture_start (three blocks of 62), every third one answered
  // and all of the last seven, which share the third block.
  std::set<std::int64_t> answered;
  {
    raw_db db(file, raw_db::mode::read_write);
    db.exec("INSERT INTO surveys VALUES ('hr-service', 1, '" + definition + "', 0)");
    for (int seq = 1; seq <= 130; ++seq) {
      db.exec(
          "INSERT INTO invitations (seq, id, token_hash, survey, version, staff, locale, "
          "created_at, expires_at) VALUES (" +
          std::to_string(seq) + ", 'inv_" + std::to_string(seq) +
          "', randomblob(32), 'hr-service', 1, '[\"s-101\"]', 'en', " +
          std::to_string(hrs::testing::fixture_start) + ", " +
          std::to_string(hrs::testing::fixture_start + 86400) + ")");
      if (seq % 3 == 0 || seq > 123) {
        db.exec("INSERT INTO answered_invitations VALUES (" + std::to_string(seq) + ")");
        answered.insert(seq);
      }
    }
  }
  const auto day = eng::day_of(hrs::testing::fixture_start);
  auto s = eng::store::open({.file = file});
  REQUIRE(s);
  auto tally = eng::tally_invitations(**s, day, day, std::nullopt);
  REQUIRE(tally);
  CHECK(tally->invited == 130);
  CHECK(tally->answered == static_cast<std::int64_t>(answered.size()));
  (*s)->close();

  raw_db db(file);
  const auto tables = db.tables();
  CHECK(std::ranges::find(tables, "answered_invitations") == tables.end());
  CHECK(db.count("answered_bits") == 3);
  std::set<std::int64_t> marked;
  for (int seq = 1; seq <= 130; ++seq) {
    if (db.integer("SELECT bits & (1 << (?1 % 62)) != 0 FROM answered_bits WHERE block = ?1 / 62",
                   seq) != 0)
      marked.insert(seq);
  }
  CHECK(marked == answered);
  // Every block keeps bit 62, so that its value always takes eight bytes.
  CHECK(db.integer("SELECT count(*) FROM answered_bits WHERE bits & (1 << 62) = 0") == 0);
  CHECK(db.integrity() == "ok");
}
