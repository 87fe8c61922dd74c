#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/surveys.hpp"
#include "store_fixture.hpp"

namespace {

using hrs::engine::detail;
using hrs::engine::errc;
using hrs::testing::good_answers;
using hrs::testing::paths_of;
using hrs::testing::raw_db;
using hrs::testing::store_fixture;
using nlohmann::json;

namespace eng = hrs::engine;

json without(json answers, const std::string& key) {
  answers.erase(key);
  return answers;
}

json with(json answers, const std::string& key, json value) {
  answers[key] = std::move(value);
  return answers;
}

eng::campaign_response_request campaign(json answers, std::string survey = "hr-service") {
  return {std::move(survey), "", std::move(answers)};
}

// How many invitations are marked answered, counted as the engine counts them.
std::int64_t answered_marks(raw_db& db) {
  return db.integer(
      "SELECT count(*) FROM invitations i JOIN answered_bits a ON a.block = i.seq / 62 "
      "AND a.bits & (1 << (i.seq % 62)) != 0");
}
std::int64_t answered_marks(raw_db&& db) {
  return answered_marks(db);
}

// The bytes of every page of a table's B-tree as they lie in the closed file, read
// without SQLite: what someone with a hex editor sees. Small tables only (the root page
// and, if it is an interior page, its children).
std::string table_pages(const std::filesystem::path& file, const std::string& table) {
  std::int64_t root = 0, page_size = 0;
  {
    raw_db db(file);
    page_size = db.integer("PRAGMA page_size");
    root = db.integer("SELECT rootpage FROM sqlite_schema WHERE name = '" + table + "'");
  }
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto page = [&](std::int64_t n) {
    return bytes.substr(static_cast<std::size_t>((n - 1) * page_size),
                        static_cast<std::size_t>(page_size));
  };
  std::string out = page(root);
  if (static_cast<unsigned char>(out[0]) == 0x05) {  // interior table page: add its children
    const auto u16 = [&](std::size_t at) {
      return static_cast<std::size_t>(static_cast<unsigned char>(out[at])) << 8 |
             static_cast<unsigned char>(out[at + 1]);
    };
    const auto u32 = [&](std::size_t at) {
      return static_cast<std::int64_t>(u16(at)) << 16 | static_cast<std::int64_t>(u16(at + 2));
    };
    const std::size_t cells = u16(3);
    for (std::size_t i = 0; i < cells; ++i)
      out += page(u32(u16(12 + 2 * i)));
    out += page(u32(8));
  }
  return out;
}

}  // namespace

TEST_CASE("a valid response is stored with its id and time", "[engine][responses]") {
  store_fixture f;
  const auto inv = f.invite({"s-101", "s-102"});
  f.clock().advance(3600);

  auto stored = eng::submit_response(f.store(), {*inv.token, "", good_answers()});
  REQUIRE(stored);
  CHECK(stored->id > 0);
  CHECK(stored->received_at == hrs::testing::fixture_start + 3600);

  raw_db db(f.file());
  CHECK(db.count("responses") == 1);
  // The store keeps the UTC day only; the exact time is in the acknowledgement.
  CHECK(db.integer("SELECT received_at FROM responses WHERE id = ?1", stored->id) ==
        eng::day_of(stored->received_at) * eng::seconds_per_day);
  CHECK(db.text("SELECT staff FROM responses") == R"(["s-101","s-102"])");
  CHECK(json::parse(db.text("SELECT answers FROM responses")) == good_answers());
  CHECK(db.text("SELECT locale FROM responses") == "en");
  CHECK(answered_marks(db) == 1);
}

TEST_CASE("the response's locale is resolved against the template", "[engine][responses]") {
  store_fixture f;
  auto [requested, expected] = GENERATE(table<std::string, std::string>({
      {"", "en"},
      {"it-IT", "it"},
      {"zh-Hant-TW", "zh-Hant"},
      {"fr", "en"},
  }));
  const auto inv = f.invite();
  REQUIRE(eng::submit_response(f.store(), {*inv.token, requested, good_answers()}));
  CHECK(raw_db(f.file()).text("SELECT locale FROM responses") == expected);
}

TEST_CASE("a second answer to one invitation is a conflict", "[engine][responses]") {
  store_fixture f;
  const auto inv = f.invite();
  REQUIRE(eng::submit_response(f.store(), {*inv.token, "", good_answers()}));
  auto second =
      eng::submit_response(f.store(), {*inv.token, "", with(good_answers(), "courtesy", 1)});
  REQUIRE_FALSE(second);
  CHECK(second.error().code == errc::conflict);

  SECTION("also after a reopen") {
    f.reopen();
    auto third = eng::submit_response(f.store(), {*inv.token, "", good_answers()});
    REQUIRE_FALSE(third);
    CHECK(third.error().code == errc::conflict);
  }
  CHECK(raw_db(f.file()).count("responses") == 1);
}

TEST_CASE("an expired invitation is gone", "[engine][responses]") {
  store_fixture f;
  const auto inv = f.invite();
  f.clock().set(inv.expires_at);
  auto late = eng::submit_response(f.store(), {*inv.token, "", good_answers()});
  REQUIRE_FALSE(late);
  CHECK(late.error().code == errc::gone);
  CHECK(raw_db(f.file()).count("responses") == 0);
  CHECK(answered_marks(raw_db(f.file())) == 0);

  SECTION("one second earlier it was answerable") {
    f.clock().set(inv.expires_at - 1);
    CHECK(eng::submit_response(f.store(), {*inv.token, "", good_answers()}));
  }
}

TEST_CASE("an unknown token is not_found", "[engine][responses]") {
  store_fixture f;
  f.invite();
  for (const char* token : {"", "nope", "AAAAAAAAAAAAAAAAAAAAAA"}) {
    CAPTURE(token);
    auto stored = eng::submit_response(f.store(), {token, "", good_answers()});
    REQUIRE_FALSE(stored);
    CHECK(stored.error().code == errc::not_found);
  }
  CHECK(raw_db(f.file()).count("responses") == 0);
}

TEST_CASE("bad answers are refused at their pointer and nothing is stored",
          "[engine][responses][validation]") {
  store_fixture f;
  const auto inv = f.invite();

  // A string that is not UTF-8: a lone continuation byte and a truncated sequence.
  const std::string not_utf8 = std::string("ok \x80 then \xE2\x82");
  struct bad_case {
    const char* name;
    json answers;
    std::vector<std::string> paths;
  };
  const std::vector<bad_case> cases{
      {"rating 0", with(good_answers(), "courtesy", 0), {"/answers/courtesy"}},
      {"rating 6", with(good_answers(), "courtesy", 6), {"/answers/courtesy"}},
      {"rating -1", with(good_answers(), "quality", -1), {"/answers/quality"}},
      {"rating 3.5", with(good_answers(), "timeliness", 3.5), {"/answers/timeliness"}},
      {"rating \"5\"", with(good_answers(), "courtesy", "5"), {"/answers/courtesy"}},
      {"rating null", with(good_answers(), "courtesy", nullptr), {"/answers/courtesy"}},
      {"rating true", with(good_answers(), "courtesy", true), {"/answers/courtesy"}},
      {"rating huge",
       with(good_answers(), "courtesy", 18446744073709551615ULL),
       {"/answers/courtesy"}},
      {"optional rating 0", with(good_answers(), "importance", 0), {"/answers/importance"}},
      {"unknown question", with(good_answers(), "mood", 5), {"/answers/mood"}},
      {"question id needing escapes", with(good_answers(), "a/b~c", 5), {"/answers/a~1b~0c"}},
      {"missing required rating", without(good_answers(), "quality"), {"/answers/quality"}},
      {"missing required choice",
       without(good_answers(), "request_type"),
       {"/answers/request_type"}},
      {"unknown option", with(good_answers(), "request_type", "lunch"), {"/answers/request_type"}},
      {"option as a list",
       with(good_answers(), "request_type", json::array({"benefits"})),
       {"/answers/request_type"}},
      {"text over max_length",
       with(good_answers(), "comment", std::string(2001, 'x')),
       {"/answers/comment"}},
      {"text not a string", with(good_answers(), "comment", 42), {"/answers/comment"}},
      {"text with a control character",
       with(good_answers(), "comment", "bell\x07"),
       {"/answers/comment"}},
      {"text not UTF-8", with(good_answers(), "comment", not_utf8), {"/answers/comment"}},
      {"staff answer in invitation mode",
       with(good_answers(), "staff", json::array({"s-101"})),
       {"/answers/staff"}},
      {"answers an array", json::array({5, 4, 3}), {"/answers"}},
      {"answers a string", json("courtesy=5"), {"/answers"}},
      {"answers null", json(nullptr), {"/answers"}},
      {"everything wrong",
       json{{"courtesy", 0}, {"timeliness", "fast"}, {"request_type", "lunch"}, {"mood", 1}},
       {"/answers/mood", "/answers/request_type", "/answers/courtesy", "/answers/timeliness",
        "/answers/quality"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto stored = eng::submit_response(f.store(), {*inv.token, "", c.answers});
    REQUIRE_FALSE(stored);
    CHECK(stored.error().code == errc::validation_failed);
    CHECK(paths_of(stored.error().details) == c.paths);
    CHECK(raw_db(f.file()).count("responses") == 0);
  }

  SECTION("a bad locale is refused at /locale") {
    auto stored = eng::submit_response(f.store(), {*inv.token, "not a locale", good_answers()});
    REQUIRE_FALSE(stored);
    CHECK(stored.error().code == errc::validation_failed);
    CHECK(paths_of(stored.error().details) == std::vector<std::string>{"/locale"});
  }
  SECTION("the invitation can still be answered afterwards") {
    CHECK(answered_marks(raw_db(f.file())) == 0);
    CHECK(eng::submit_response(f.store(), {*inv.token, "", good_answers()}));
    CHECK(raw_db(f.file()).count("responses") == 1);
  }
}

TEST_CASE("valid edge answers are accepted", "[engine][responses][validation]") {
  store_fixture f;
  auto [name, answers] = GENERATE(table<std::string, json>({
      {"only the required answers",
       json{{"request_type", "payroll"}, {"courtesy", 1}, {"timeliness", 1}, {"quality", 1}}},
      {"text at max_length in code points", with(good_answers(), "comment",
                                                 [] {
                                                   std::string s;
                                                   for (int i = 0; i < 2000; ++i)
                                                     s += "\xE4\xBA\xBA";  // 人
                                                   return s;
                                                 }())},
      {"blank text counts as unanswered", with(good_answers(), "comment", "  \n ")},
  }));
  CAPTURE(name);
  const auto inv = f.invite();
  REQUIRE(eng::submit_response(f.store(), {*inv.token, "", answers}));
}

TEST_CASE("campaign responses name the staff in the staff answer",
          "[engine][responses][campaign]") {
  store_fixture f;

  SECTION("known staff are stored with the response") {
    auto stored = eng::submit_campaign_response(
        f.store(), campaign(with(good_answers(), "staff", json::array({"s-103", "s-101"}))));
    REQUIRE(stored);
    raw_db db(f.file());
    CHECK(db.text("SELECT staff FROM responses") == R"(["s-103","s-101"])");
    CHECK_FALSE(json::parse(db.text("SELECT answers FROM responses")).contains("staff"));
  }
  SECTION("no staff answer: a response for the department") {
    auto stored = eng::submit_campaign_response(f.store(), campaign(good_answers()));
    REQUIRE(stored);
    CHECK(raw_db(f.file()).text("SELECT staff FROM responses") == "[]");
  }
  SECTION("an unknown staff id is refused") {
    auto stored = eng::submit_campaign_response(
        f.store(), campaign(with(good_answers(), "staff", json::array({"s-101", "s-999"}))));
    REQUIRE_FALSE(stored);
    CHECK(stored.error().code == errc::validation_failed);
    CHECK(paths_of(stored.error().details) == std::vector<std::string>{"/answers/staff"});
    CHECK(raw_db(f.file()).count("responses") == 0);
  }
  SECTION("bad staff answers are refused") {
    for (const json& staff : {json("s-101"), json::array({1}), json::array({"s-101", "s-101"}),
                              json(std::vector<std::string>(11, "s-101")), json::array({"../x"})}) {
      CAPTURE(staff.dump());
      auto stored =
          eng::submit_campaign_response(f.store(), campaign(with(good_answers(), "staff", staff)));
      REQUIRE_FALSE(stored);
      CHECK(stored.error().code == errc::validation_failed);
      CHECK(paths_of(stored.error().details) == std::vector<std::string>{"/answers/staff"});
    }
    CHECK(raw_db(f.file()).count("responses") == 0);
  }
  SECTION("an unknown survey is not_found") {
    auto stored = eng::submit_campaign_response(f.store(), campaign(good_answers(), "no-such"));
    REQUIRE_FALSE(stored);
    CHECK(stored.error().code == errc::not_found);
  }
  SECTION("a template that is not a campaign is not_found") {
    auto closed = eng::parse_definition(R"({
      "id": "exit-interview", "version": 1, "default_locale": "en", "locales": ["en"],
      "title": "Exit interview",
      "questions": [{"id": "courtesy", "type": "rating", "dimension": "courtesy",
                     "required": true, "text": "How courteous were we?"}]})");
    REQUIRE(closed);
    REQUIRE(eng::register_survey(f.store(), *closed, eng::command_line_actor("test")));
    auto stored =
        eng::submit_campaign_response(f.store(), campaign(json{{"courtesy", 4}}, "exit-interview"));
    REQUIRE_FALSE(stored);
    CHECK(stored.error().code == errc::not_found);
    CHECK(raw_db(f.file()).count("responses") == 0);
  }
}

TEST_CASE("exactly one of many concurrent submits of one token succeeds",
          "[engine][responses][concurrency]") {
  store_fixture f;
  constexpr int threads = 50;
  for (int round = 1; round <= 5; ++round) {
    const auto inv = f.invite({"s-102"});
    std::latch start(threads);
    std::vector<eng::result<eng::stored_response>> results(
        threads, std::unexpected(eng::error{errc::internal, "not run", {}, {}}));
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&, i] {
        auto answers = with(good_answers(), "courtesy", 1 + i % 5);
        start.arrive_and_wait();
        results[static_cast<std::size_t>(i)] =
            eng::submit_response(f.store(), {*inv.token, "", answers});
      });
    }
    for (auto& t : pool)
      t.join();

    int ok = 0, conflicts = 0;
    for (const auto& r : results) {
      if (r) {
        ++ok;
      } else if (r.error().code == errc::conflict) {
        ++conflicts;
      } else {
        FAIL_CHECK("unexpected error " << eng::to_string(r.error().code) << ": " << r.error().log);
      }
    }
    CAPTURE(round);
    CHECK(ok == 1);
    CHECK(conflicts == threads - 1);
    CHECK(raw_db(f.file()).count("responses") == round);
  }
}

TEST_CASE("a response cannot be tied to its invitation", "[engine][responses][privacy]") {
  store_fixture f;
  const auto inv = f.invite({"s-101"}, "HR-4711");

  raw_db db(f.file());
  for (const auto& column : db.columns("responses")) {
    CAPTURE(column);
    CHECK(column.find("invitation") == std::string::npos);
    CHECK(column.find("token") == std::string::npos);
    CHECK(column.find("ref") == std::string::npos);
    CHECK(column.find("case") == std::string::npos);
  }
  // Only the columns a response needs: nothing that could name the invitation.
  CHECK(db.columns("responses") == std::vector<std::string>{"id", "survey", "version",
                                                            "received_at", "locale", "staff",
                                                            "answers"});

  auto before = db.rows("invitations");
  REQUIRE(before.size() == 1);

  f.clock().advance(5 * 3600 + 17);
  auto stored = eng::submit_response(f.store(), {*inv.token, "", good_answers()});
  REQUIRE(stored);

  // The invitation row does not change; the answered mark holds the invitation's number
  // only: no time of answering, no response id.
  CHECK(db.rows("invitations") == before);
  CHECK(db.columns("answered_bits") == std::vector<std::string>{"block", "bits"});
  CHECK(answered_marks(db) == 1);
  for (const auto& where : db.find_text(std::to_string(stored->received_at)))
    CHECK_FALSE(where.starts_with("invitations."));
  // Nor is the time of answering kept with the response: only its UTC day, which many
  // invitations share.
  CHECK(db.integer("SELECT count(*) FROM responses WHERE received_at = ?1", stored->received_at) ==
        0);
  CHECK(db.integer("SELECT count(*) FROM response_texts WHERE received_at = ?1",
                   stored->received_at) == 0);
  CHECK(db.find_text(inv.id) == std::vector<std::string>{"invitations.id"});
  CHECK(db.find_text("HR-4711") == std::vector<std::string>{"invitations.external_ref"});
}

TEST_CASE("the file keeps no trace of the order in which invitations were answered",
          "[engine][responses][privacy]") {
  // Two stores with the same invitations, answered in opposite orders. Responses are
  // stored in the order they arrive (their ids say so), so if the answered marks kept
  // their order too, ranking both would pair each response with its invitation.
  constexpr int invitations = 130;  // three blocks of marks
  std::vector<std::string> pages;
  for (const bool reversed : {false, true}) {
    store_fixture f;
    std::vector<std::string> tokens;
    for (int i = 0; i < invitations; ++i)
      tokens.push_back(*f.invite({"s-101"}, "HR-" + std::to_string(i)).token);
    // Every third invitation stays unanswered.
    std::vector<std::string> answered;
    for (int i = 0; i < invitations; ++i)
      if (i % 3 != 0) answered.push_back(tokens[static_cast<std::size_t>(i)]);
    if (reversed) std::reverse(answered.begin(), answered.end());
    for (const auto& token : answered) {
      f.clock().advance(61);
      REQUIRE(eng::submit_response(f.store(), {token, "", good_answers()}));
    }
    CHECK(answered_marks(raw_db(f.file())) == static_cast<std::int64_t>(answered.size()));
    f.close();
    raw_db(f.file(), raw_db::mode::read_write).exec("PRAGMA wal_checkpoint(TRUNCATE)");
    pages.push_back(table_pages(f.file(), "answered_bits"));
  }
  REQUIRE(pages[0].size() == pages[1].size());
  const auto differ = std::mismatch(pages[0].begin(), pages[0].end(), pages[1].begin());
  // Where the bytes first differ, for the message; npos when they are the same.
  const auto first_difference = differ.first == pages[0].end()
                                    ? std::string::npos
                                    : static_cast<std::size_t>(differ.first - pages[0].begin());
  CHECK(first_difference == std::string::npos);
}
