// The report endpoints over HTTP, on a store filled through the real API with answers
// whose every figure the test works out by hand (report_figures.hpp): scorecards with
// their filters and sorting, one staff member's trend, segments and recognition, the
// department overview, comments, CSV, and the requests they refuse.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "report_figures.hpp"
#include "server_process.hpp"

namespace {

using hrs::testing::check_cell;
using hrs::testing::create_invitation;
using hrs::testing::expect_cell;
using hrs::testing::format_day;
using hrs::testing::http_client;
using hrs::testing::mean_of;
using hrs::testing::parse_day;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::suppressed_cell;
using hrs::testing::with_token;
using json = nlohmann::json;
using std::chrono::days;

const std::vector<std::string> dimensions = {"courtesy", "expectations", "quality", "timeliness"};

// The standards the server uses without settings: 4 for every dimension, 3 ("as
// expected") for expectations.
double standard_of(const std::string& dimension) {
  return dimension == "expectations" ? 3.0 : 4.0;
}

struct known_response {
  std::string staff;  // s-101 answers invitations, the others are named in campaign responses
  int courtesy;
  int timeliness;
  int quality;
  std::optional<int> expectations;
  std::string request_type;
  int importance;
  std::string comment;
  std::string locale = "en";
};

// Ana Pop (s-101, benefits): 10 invitation responses, above the standard everywhere.
// Marco Rossi (s-102, benefits): 5 campaign responses, exactly the threshold; his
// quality is all 5s, a higher mean than Ana's 4.7 but a lower shrunk mean.
// Lucía Gómez (s-103, payroll): 7 campaign responses, below the standard everywhere.
// Nobody else has responses.
const std::vector<known_response> known = {
    {"s-101", 5, 4, 5, 4, "benefits", 5, "Ana note 01"},
    {"s-101", 5, 5, 5, 5, "benefits", 5, "Ana note 02"},
    {"s-101", 5, 4, 5, 4, "benefits", 5, "Ana note 03"},
    {"s-101", 5, 5, 4, 3, "benefits", 5, "Ana note 04"},
    {"s-101", 4, 4, 5, std::nullopt, "benefits", 5, "Ana note 05"},
    {"s-101", 5, 5, 5, 5, "leave", 4, "Ana note 06"},
    {"s-101", 5, 4, 5, 4, "leave", 4, "Ana note 07"},             // ratings' mean 4.5: praise
    {"s-101", 5, 5, 5, 4, "leave", 4, "Ana note 08"},             // 4.75: praise
    {"s-101", 4, 4, 4, 5, "leave", 4, "Ana note 09"},             // 4.25: not praise
    {"s-101", 5, 5, 4, std::nullopt, "leave", 4, "Ana note 10"},  // 4.67: praise
    {"s-102", 4, 3, 5, 3, "payroll", 2, "Marco nota 1", "it"},
    {"s-102", 3, 4, 5, 3, "payroll", 3, "Marco note 2"},
    {"s-102", 4, 3, 5, 2, "payroll", 3, ""},
    {"s-102", 5, 4, 5, 3, "payroll", 2, "Marco note 4"},
    {"s-102", 4, 3, 5, 3, "payroll", 2, ""},
    {"s-103", 2, 1, 2, 1, "payroll", 5, "Lucía note 1"},
    {"s-103", 2, 2, 2, 2, "payroll", 5, ""},
    {"s-103", 3, 1, 2, 1, "hiring", 4, "Lucía note 3"},
    {"s-103", 2, 2, 3, 2, "hiring", 4, ""},
    {"s-103", 2, 1, 2, 2, "hiring", 5, ""},
    {"s-103", 3, 2, 2, 1, "hiring", 4, ""},
    {"s-103", 2, 1, 1, 2, "hiring", 5, "Lucía note 7"},
};

std::optional<int> rating(const known_response& r, const std::string& dimension) {
  if (dimension == "courtesy") return r.courtesy;
  if (dimension == "timeliness") return r.timeliness;
  if (dimension == "quality") return r.quality;
  return r.expectations;
}

template <class Predicate>
std::vector<int> ratings_where(const std::string& dimension, Predicate keep) {
  std::vector<int> out;
  for (const auto& r : known)
    if (keep(r))
      if (auto value = rating(r, dimension)) out.push_back(*value);
  return out;
}

std::vector<int> ratings_of(const std::string& staff, const std::string& dimension) {
  return ratings_where(dimension, [&](const known_response& r) { return r.staff == staff; });
}

std::vector<int> all_ratings(const std::string& dimension) {
  return ratings_where(dimension, [](const known_response&) { return true; });
}

// The department mean: the prior every shrunk mean is pulled towards.
double department_mean(const std::string& dimension) {
  return mean_of(all_ratings(dimension));
}

hrs::testing::expected_cell expected_for(const std::string& staff, const std::string& dimension) {
  return expect_cell(ratings_of(staff, dimension), standard_of(dimension),
                     department_mean(dimension));
}

hrs::testing::expected_cell expected_department(const std::string& dimension) {
  return expect_cell(all_ratings(dimension), standard_of(dimension), department_mean(dimension));
}

json answers_of(const known_response& r) {
  json answers = {{"courtesy", r.courtesy},
                  {"timeliness", r.timeliness},
                  {"quality", r.quality},
                  {"request_type", r.request_type},
                  {"importance", r.importance}};
  if (r.expectations) answers["expectations"] = *r.expectations;
  if (!r.comment.empty()) answers["comment"] = r.comment;
  return answers;
}

std::vector<std::string> ids_of(const json& staff) {
  std::vector<std::string> ids;
  for (const auto& card : staff)
    ids.push_back(card.at("id").get<std::string>());
  return ids;
}

// A copy, so that a missing key reads as null rather than asserting.
json card_of(const json& staff, const std::string& id) {
  for (const auto& card : staff)
    if (card.at("id") == id) return card;
  FAIL("no card of " << id);
  return nullptr;
}

// The store of `known`, served: the real binary on a loopback port, filled through the
// API. The server's clock is the real one, so every response lands on its today.
class known_store {
 public:
  known_store() {
    const auto before = server_today();
    for (const auto& r : known)
      submit(r);
    // Two more invitations that nobody answers: 10 of 12 answered.
    create_invitation(client, store.integration.secret, {"s-101"});
    create_invitation(client, store.integration.secret, {"s-101"});
    today = server_today();
    // Were it midnight UTC meanwhile, responses would sit on two days; run again.
    REQUIRE(today == before);
  }

  // "from=<today - days_back>&to=<today>".
  std::string period(int days_back = 6) const {
    return "from=" + day_before(days_back) + "&to=" + today;
  }
  std::string day_before(int days_back) const {
    return format_day(parse_day(today) - days{days_back});
  }

  // GET with the all-teams lead token; requires 200 and returns the JSON body.
  json get(const std::string& target) { return get(target, store.lead.secret); }
  json get(const std::string& target, const std::string& token) {
    const auto reply = client.get(target, token);
    INFO("GET " << target << ": " << reply.body);
    REQUIRE(reply.status == 200);
    REQUIRE(reply.header("content-type") == "application/json");
    auto body = reply.json();
    REQUIRE(body.is_object());
    return body;
  }

  served_store store;
  server_process server{store.db()};
  http_client client{server.port()};
  std::string today;

 private:
  std::string server_today() {
    const auto reply = client.get("/api/v1/reports/staff", store.lead.secret);
    REQUIRE(reply.status == 200);
    return reply.json().at("to").get<std::string>();
  }

  void submit(const known_response& r) {
    json body = {{"answers", answers_of(r)}, {"locale", r.locale}};
    std::string target = "/api/v1/campaigns/hr-service/responses";
    if (r.staff == "s-101") {
      body["token"] = create_invitation(client, store.integration.secret, {r.staff}, r.locale);
      target = "/api/v1/responses";
    } else {
      body["answers"]["staff"] = {r.staff};
    }
    const auto reply = client.post_json(target, body);
    INFO(reply.body);
    REQUIRE(reply.status == 201);
  }
};

void check_all_suppressed(const json& cells, int threshold = 5) {
  INFO(cells.dump());
  REQUIRE(cells.is_object());
  CHECK(cells.size() == dimensions.size());
  for (const auto& d : dimensions)
    CHECK(cells.value(d, json()) == suppressed_cell(threshold));
}

// Splits RFC 4180 text into records of fields; every record must end in CRLF, and a
// line break may only occur quoted.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      REQUIRE(field.empty());  // quotes open a field or not at all
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
      REQUIRE(i + 1 < text.size());
      REQUIRE(text[i + 1] == '\n');
      ++i;
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
    } else {
      REQUIRE(c != '\n');  // a bare LF ends no record
      field += c;
    }
  }
  REQUIRE(!quoted);
  REQUIRE(field.empty());
  REQUIRE(record.empty());  // the last record ended with CRLF too
  return records;
}

}  // namespace

TEST_CASE("GET /api/v1/reports/staff shows every figure of the known ratings", "[http][reports]") {
  known_store k;
  auto body = k.get("/api/v1/reports/staff?" + k.period());
  CHECK(body["from"] == k.day_before(6));
  CHECK(body["to"] == k.today);
  CHECK(body["anonymity_threshold"] == 5);
  CHECK(!body.contains("team"));
  CHECK(!body.contains("survey"));

  // Each response counted once; a department's shrunk mean is its own mean.
  REQUIRE(body["department"].size() == dimensions.size());
  for (const auto& d : dimensions) {
    CAPTURE(d);
    check_cell(body["department"][d], expected_department(d));
  }
  CHECK(body["department"]["timeliness"]["vs_standard"] == "below");

  // By name without a sort.
  CHECK(ids_of(body["staff"]) ==
        std::vector<std::string>{"s-101", "s-104", "s-105", "s-103", "s-102", "s-106"});
  for (const std::string id : {"s-101", "s-102", "s-103"}) {
    auto card = card_of(body["staff"], id);
    REQUIRE(card["dimensions"].size() == dimensions.size());
    for (const auto& d : dimensions) {
      CAPTURE(id, d);
      check_cell(card["dimensions"][d], expected_for(id, d));
    }
  }
  auto ana = card_of(body["staff"], "s-101");
  CHECK(ana["name"] == "Ana Pop");
  CHECK(ana["team"] == "benefits");
  // Spelled out once, to see that the yardstick measures what DESIGN.md says: courtesy
  // 5 5 5 5 4 5 5 5 4 5 has mean 4.8, sd sqrt(1.6 / 9), so ci95 = 4.8 -/+ t(0.975, 9) *
  // sd / sqrt(10), t(0.975, 9) = 2.262157; every rating a 4 or a 5, so csat is 1 and
  // Wilson's interval [n / (n + z^2), 1]; shrunk towards the department's 84 / 22 with
  // the weight 10.
  auto courtesy = ana["dimensions"]["courtesy"];
  const double half = 2.2621571627982055 * std::sqrt(1.6 / 9) / std::sqrt(10.0);
  CHECK(courtesy["ci95"][0].get<double>() == Approx(4.8 - half).epsilon(1e-12));
  CHECK(courtesy["ci95"][1] == 5.0);  // 5.10 clamped
  CHECK(courtesy["csat"] == 1.0);
  const double z = 1.959963984540054;
  CHECK(courtesy["csat_ci95"][0].get<double>() == Approx(10 / (10 + z * z)).epsilon(1e-12));
  CHECK(courtesy["csat_ci95"][1] == 1.0);
  CHECK(courtesy["shrunk_mean"].get<double>() ==
        Approx((10 * 4.8 + 10 * (84.0 / 22)) / 20).epsilon(1e-12));
  CHECK(courtesy["vs_standard"] == "above");
  CHECK(card_of(body["staff"], "s-103")["dimensions"]["courtesy"]["vs_standard"] == "below");

  // Staff without responses: every dimension the department has, each suppressed.
  for (const std::string id : {"s-104", "s-105", "s-106"}) {
    CAPTURE(id);
    check_all_suppressed(card_of(body["staff"], id)["dimensions"]);
  }

  SECTION("sort=<dimension> orders by shrunk mean, best first, suppressed last") {
    auto quality = k.get("/api/v1/reports/staff?sort=quality&" + k.period());
    // Marco's quality mean 5.0 from 5 ratings is above Ana's 4.7 from 10; pulled towards
    // the department's 3.9 it is not.
    auto staff = quality["staff"];
    CHECK(card_of(staff, "s-102")["dimensions"]["quality"]["mean"] >
          card_of(staff, "s-101")["dimensions"]["quality"]["mean"]);
    CHECK(expected_for("s-101", "quality").shrunk_mean >
          expected_for("s-102", "quality").shrunk_mean);
    // The suppressed after the shown, by name: Chen Wei, Ioana Marin, Sam Lee.
    CHECK(ids_of(staff) ==
          std::vector<std::string>{"s-101", "s-102", "s-103", "s-104", "s-105", "s-106"});
    for (std::size_t i = 1; i < 3; ++i)
      CHECK(staff[i - 1]["dimensions"]["quality"]["shrunk_mean"] >
            staff[i]["dimensions"]["quality"]["shrunk_mean"]);

    auto expectations = k.get("/api/v1/reports/staff?sort=expectations&" + k.period());
    CHECK(ids_of(expectations["staff"]) ==
          std::vector<std::string>{"s-101", "s-102", "s-103", "s-104", "s-105", "s-106"});
    // Sorting changes the order, nothing else.
    auto sorted_cards = quality["staff"];
    auto by_id = [](const json& a, const json& b) { return a["id"] < b["id"]; };
    std::sort(sorted_cards.begin(), sorted_cards.end(), by_id);
    auto plain_cards = body["staff"];
    std::sort(plain_cards.begin(), plain_cards.end(), by_id);
    CHECK(sorted_cards == plain_cards);

    // An unknown dimension sorts nobody first: by name.
    auto unknown = k.get("/api/v1/reports/staff?sort=charm&" + k.period());
    CHECK(ids_of(unknown["staff"]) == ids_of(body["staff"]));
  }
}

TEST_CASE("report filters: from and to, survey, team, and a lead held to its team",
          "[http][reports]") {
  known_store k;
  auto all = k.get("/api/v1/reports/staff?" + k.period());

  SECTION("a period before the responses shows no figure at all") {
    auto past = k.get("/api/v1/reports/staff?from=" + k.day_before(30) + "&to=" + k.day_before(1));
    CHECK(past["from"] == k.day_before(30));
    CHECK(past["to"] == k.day_before(1));
    CHECK(past["department"] == json::object());
    CHECK(past["staff"].size() == 6);
    for (const auto& card : past["staff"])
      CHECK(card["dimensions"] == json::object());
  }
  SECTION("any period that holds today shows the same figures") {
    const auto tomorrow = format_day(parse_day(k.today) + days{1});
    for (const auto& period :
         {"from=" + k.today + "&to=" + k.today, "from=" + k.today + "&to=" + tomorrow,
          "from=" + k.day_before(365) + "&to=" + k.today}) {
      CAPTURE(period);
      auto body = k.get("/api/v1/reports/staff?" + period);
      CHECK(body["department"] == all["department"]);
      CHECK(body["staff"] == all["staff"]);
    }
    // Without from and to: the last 90 days up to today.
    auto fallback = k.get("/api/v1/reports/staff");
    CHECK(fallback["from"] == k.day_before(89));
    CHECK(fallback["to"] == k.today);
    CHECK(fallback["staff"] == all["staff"]);
  }
  SECTION("team=<team> lists that team's staff with the same figures") {
    auto payroll = k.get("/api/v1/reports/staff?team=payroll&" + k.period());
    CHECK(payroll["team"] == "payroll");
    CHECK(ids_of(payroll["staff"]) == std::vector<std::string>{"s-104", "s-103"});
    CHECK(payroll["department"] == all["department"]);
    for (const std::string id : {"s-103", "s-104"})
      CHECK(card_of(payroll["staff"], id) == card_of(all["staff"], id));
    auto nobody = k.get("/api/v1/reports/staff?team=legal&" + k.period());
    CHECK(nobody["staff"] == json::array());
  }
  SECTION("a lead scoped to a team is held to it") {
    const auto& lead = k.store.benefits_lead.secret;
    auto scoped = k.get("/api/v1/reports/staff?" + k.period(), lead);
    CHECK(scoped["team"] == "benefits");
    CHECK(ids_of(scoped["staff"]) == std::vector<std::string>{"s-101", "s-102"});
    CHECK(scoped["department"] == all["department"]);
    CHECK(k.get("/api/v1/reports/staff?team=benefits&" + k.period(), lead)["staff"] ==
          scoped["staff"]);
    for (const std::string target :
         {"/api/v1/reports/staff?team=payroll", "/api/v1/reports/overview?team=payroll",
          "/api/v1/reports/staff.csv?team=payroll", "/api/v1/reports/staff/s-101?team=payroll",
          "/api/v1/reports/staff/s-101/comments?team=payroll"}) {
      CAPTURE(target);
      const auto refused = k.client.get(target, lead);
      CHECK(refused.status == 403);
      CHECK(refused.error_code() == "forbidden");
    }
    // Another team's staff member does not exist for this token.
    for (const std::string target :
         {"/api/v1/reports/staff/s-103", "/api/v1/reports/staff/s-103/comments"}) {
      CAPTURE(target);
      const auto hidden = k.client.get(target, lead);
      CHECK(hidden.status == 404);
      CHECK(hidden.error_code() == "not_found");
      CHECK(hidden.body.find("Lucía") == std::string::npos);
    }
    auto ana = k.get("/api/v1/reports/staff/s-101?" + k.period(), lead);
    CHECK(ana["team"] == "benefits");
    CHECK(ana["dimensions"] == card_of(all["staff"], "s-101")["dimensions"]);
  }
  SECTION("survey=<id> counts only that template's responses") {
    // A second template, in campaign mode, rating courtesy only: 5 answers for Ioana.
    const json exit_chat = {{"id", "exit-chat"},
                            {"version", 1},
                            {"default_locale", "en"},
                            {"locales", {"en"}},
                            {"campaign", true},
                            {"title", "Leaving us?"},
                            {"questions",
                             {{{"id", "courtesy"},
                               {"type", "rating"},
                               {"dimension", "courtesy"},
                               {"required", true},
                               {"text", "How were you treated?"}},
                              {{"id", "staff"}, {"type", "staff"}, {"text", "Who helped you?"}}}}};
    const auto posted = k.client.post_json("/api/v1/surveys", exit_chat, k.store.admin.secret);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    const std::vector<int> ioana = {1, 1, 2, 1, 1};
    for (int courtesy : ioana)
      REQUIRE(k.client
                  .post_json("/api/v1/campaigns/exit-chat/responses",
                             {{"answers", {{"courtesy", courtesy}, {"staff", {"s-105"}}}}})
                  .status == 201);

    auto hr = k.get("/api/v1/reports/staff?survey=hr-service&" + k.period());
    CHECK(hr["survey"] == "hr-service");
    CHECK(hr["department"] == all["department"]);
    CHECK(hr["staff"] == all["staff"]);

    auto exit = k.get("/api/v1/reports/staff?survey=exit-chat&" + k.period());
    CHECK(exit["survey"] == "exit-chat");
    REQUIRE(exit["department"].size() == 1);
    check_cell(exit["department"]["courtesy"], expect_cell(ioana, 4.0, mean_of(ioana)));
    check_cell(card_of(exit["staff"], "s-105")["dimensions"]["courtesy"],
               expect_cell(ioana, 4.0, mean_of(ioana)));
    for (const std::string id : {"s-101", "s-102", "s-103", "s-104", "s-106"})
      CHECK(card_of(exit["staff"], id)["dimensions"] == json{{"courtesy", suppressed_cell()}});

    // Both templates: courtesy counts 27 responses, and every shrunk mean follows the
    // department mean over the same responses.
    auto both = k.get("/api/v1/reports/staff?" + k.period());
    auto courtesy = all_ratings("courtesy");
    courtesy.insert(courtesy.end(), ioana.begin(), ioana.end());
    const double mu = mean_of(courtesy);
    check_cell(both["department"]["courtesy"], expect_cell(courtesy, 4.0, mu));
    check_cell(card_of(both["staff"], "s-105")["dimensions"]["courtesy"],
               expect_cell(ioana, 4.0, mu));
    check_cell(card_of(both["staff"], "s-101")["dimensions"]["courtesy"],
               expect_cell(ratings_of("s-101", "courtesy"), 4.0, mu));
    CHECK(card_of(both["staff"], "s-105")["dimensions"]["quality"] == suppressed_cell());

    auto nothing = k.get("/api/v1/reports/staff?survey=no-such-survey&" + k.period());
    CHECK(nothing["department"] == json::object());
  }
  SECTION("bad periods are refused") {
    for (const std::string& query : {std::string("from=yesterday"), std::string("to=2026-02-30"),
                                     "from=" + k.today + "&to=" + k.day_before(1)}) {
      CAPTURE(query);
      for (const std::string path :
           {"/api/v1/reports/staff", "/api/v1/reports/overview", "/api/v1/reports/staff/s-101",
            "/api/v1/reports/staff.csv", "/api/v1/reports/staff/s-101/comments"}) {
        CAPTURE(path);
        const auto refused = k.client.get(path + "?" + query, k.store.lead.secret);
        CHECK(refused.status == 400);
        CHECK(refused.error_code() == "validation_failed");
      }
    }
  }
}

TEST_CASE("a period is at most 3660 days, on every report endpoint", "[http][reports]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  // 2020-01-01 + 3659 days = 2030-01-07: 3660 days in all.
  const std::string longest = "from=2020-01-01&to=2030-01-07";
  const std::string longer = "from=2020-01-01&to=2030-01-08";
  for (const std::string path :
       {"/api/v1/reports/staff", "/api/v1/reports/overview", "/api/v1/reports/staff/s-101",
        "/api/v1/reports/staff.csv", "/api/v1/reports/staff/s-101/comments"}) {
    CAPTURE(path);
    CHECK(client.get(path + "?" + longest, store.lead.secret).status == 200);
    const auto refused = client.get(path + "?" + longer, store.lead.secret);
    CHECK(refused.status == 400);
    CHECK(refused.error_code() == "validation_failed");
    CHECK(refused.detail_paths() == std::vector<std::string>{"from"});
  }
  // Who may read reports at all.
  CHECK(client.get("/api/v1/reports/staff").status == 401);
  CHECK(client.get("/api/v1/reports/staff", store.integration.secret).status == 403);
  CHECK(client.get("/api/v1/reports/staff", store.admin.secret).status == 200);
}

TEST_CASE("GET /api/v1/reports/staff/{id}: the card with its trend, segments and recognition",
          "[http][reports]") {
  known_store k;
  const auto today = parse_day(k.today);

  SECTION("the card is the one of the scorecards") {
    auto ana = k.get("/api/v1/reports/staff/s-101?" + k.period());
    CHECK(ana["id"] == "s-101");
    CHECK(ana["name"] == "Ana Pop");
    CHECK(ana["team"] == "benefits");
    CHECK(ana["from"] == k.day_before(6));
    CHECK(ana["to"] == k.today);
    CHECK(ana["anonymity_threshold"] == 5);
    CHECK(ana["bucket"] == "month");  // the default
    for (const auto& d : dimensions) {
      CAPTURE(d);
      check_cell(ana["dimensions"][d], expected_for("s-101", d));
    }
    auto nobody = k.get("/api/v1/reports/staff/s-106?" + k.period());
    check_all_suppressed(nobody["dimensions"]);
    CHECK(nobody["recognition"] == json{{"strengths", json::array()}, {"praise", json::array()}});
  }
  SECTION("bucket=week: Monday to Sunday weeks cut to the period") {
    const auto from = today - days{40};
    const auto ana = k.get("/api/v1/reports/staff/s-101?bucket=week&from=" + format_day(from) +
                           "&to=" + k.today);
    CHECK(ana["bucket"] == "week");
    auto trend = ana["trend"];
    // 41 days: 6 or 7 weeks, depending on the weekday of today.
    REQUIRE(trend.size() >= 6);
    REQUIRE(trend.size() <= 7);
    CHECK(trend.front()["from"] == format_day(from));
    CHECK(trend.back()["to"] == k.today);
    for (std::size_t i = 0; i < trend.size(); ++i) {
      CAPTURE(i, trend[i]["from"], trend[i]["to"]);
      const auto start = parse_day(trend[i]["from"].get<std::string>());
      const auto end = parse_day(trend[i]["to"].get<std::string>());
      CHECK(start <= end);
      CHECK(end - start < days{7});
      if (i > 0) {
        CHECK(std::chrono::weekday{start} == std::chrono::Monday);
        CHECK(start == parse_day(trend[i - 1]["to"].get<std::string>()) + days{1});
      }
      if (i + 1 < trend.size()) CHECK(std::chrono::weekday{end} == std::chrono::Sunday);
    }
    // Every response is in today's week, which shows what the card shows; the empty
    // weeks show nothing.
    for (std::size_t i = 0; i + 1 < trend.size(); ++i)
      check_all_suppressed(trend[i]["dimensions"]);
    for (const auto& d : dimensions) {
      CAPTURE(d);
      check_cell(trend.back()["dimensions"][d], expected_for("s-101", d));
    }
  }
  SECTION("bucket=month: calendar months cut to the period") {
    const auto from = today - days{70};
    const auto ana = k.get("/api/v1/reports/staff/s-101?bucket=month&from=" + format_day(from) +
                           "&to=" + k.today);
    CHECK(ana["bucket"] == "month");
    auto trend = ana["trend"];
    using std::chrono::year_month_day;
    const year_month_day first{from};
    const year_month_day last{today};
    const auto months = (last.year() - first.year()).count() * 12 +
                        (static_cast<int>(static_cast<unsigned>(last.month())) -
                         static_cast<int>(static_cast<unsigned>(first.month()))) +
                        1;
    REQUIRE(trend.size() == static_cast<std::size_t>(months));
    CHECK(trend.front()["from"] == format_day(from));
    CHECK(trend.back()["to"] == k.today);
    for (std::size_t i = 0; i < trend.size(); ++i) {
      CAPTURE(i, trend[i]["from"], trend[i]["to"]);
      const year_month_day start{parse_day(trend[i]["from"].get<std::string>())};
      const year_month_day end{parse_day(trend[i]["to"].get<std::string>())};
      CHECK(start.year() == end.year());
      CHECK(start.month() == end.month());
      if (i > 0) CHECK(start.day() == std::chrono::day{1});
      if (i + 1 < trend.size())
        CHECK(end == year_month_day{std::chrono::year_month_day_last{
                         end.year(), std::chrono::month_day_last{end.month()}}});
    }
    for (std::size_t i = 0; i + 1 < trend.size(); ++i)
      check_all_suppressed(trend[i]["dimensions"]);
    for (const auto& d : dimensions)
      check_cell(trend.back()["dimensions"][d], expected_for("s-101", d));

    // A month cut to a single day at each end.
    auto month = k.get("/api/v1/reports/staff/s-101?bucket=month&from=2025-01-31&to=2025-03-01");
    CHECK(month["trend"] == json::parse(R"([
      {"from": "2025-01-31", "to": "2025-01-31", "dimensions": {}},
      {"from": "2025-02-01", "to": "2025-02-28", "dimensions": {}},
      {"from": "2025-03-01", "to": "2025-03-01", "dimensions": {}}])"));
    // 2025-01-01 was a Wednesday.
    auto week = k.get("/api/v1/reports/staff/s-101?bucket=week&from=2025-01-01&to=2025-01-13");
    CHECK(week["trend"] == json::parse(R"([
      {"from": "2025-01-01", "to": "2025-01-05", "dimensions": {}},
      {"from": "2025-01-06", "to": "2025-01-12", "dimensions": {}},
      {"from": "2025-01-13", "to": "2025-01-13", "dimensions": {}}])"));
  }
  SECTION("a bucket other than week or month is refused") {
    for (const std::string bucket : {"day", "WEEK", "", "year"}) {
      CAPTURE(bucket);
      const auto refused =
          k.client.get("/api/v1/reports/staff/s-101?bucket=" + bucket, k.store.lead.secret);
      CHECK(refused.status == 400);
      CHECK(refused.error_code() == "validation_failed");
      CHECK(refused.detail_paths() == std::vector<std::string>{"bucket"});
    }
  }
  SECTION("segments: by request_type and importance, small values hidden") {
    auto ana = k.get("/api/v1/reports/staff/s-101?" + k.period());
    auto segments = ana["segments"];
    REQUIRE(segments.size() == 2);
    CHECK(segments[0]["question"] == "importance");
    CHECK(segments[1]["question"] == "request_type");
    const std::map<std::string, std::pair<std::string, std::string>> values = {
        {"importance", {"4", "5"}}, {"request_type", {"benefits", "leave"}}};
    for (auto segment : segments) {
      const auto question = segment["question"].get<std::string>();
      REQUIRE(segment["values"].size() == 2);
      CHECK(segment["values"][0]["value"] == values.at(question).first);
      CHECK(segment["values"][1]["value"] == values.at(question).second);
      for (auto value : segment["values"]) {
        const auto v = value["value"].get<std::string>();
        auto in_value = [&](const known_response& r) {
          return r.staff == "s-101" && (question == "importance" ? std::to_string(r.importance) == v
                                                                 : r.request_type == v);
        };
        // Five responses each: courtesy, timeliness and quality shown; expectations
        // was answered 4 times in each, too few.
        for (const std::string d : {"courtesy", "timeliness", "quality"}) {
          CAPTURE(question, v, d);
          check_cell(value["dimensions"][d],
                     expect_cell(ratings_where(d, in_value), standard_of(d), department_mean(d)));
        }
        CHECK(value["dimensions"]["expectations"] == suppressed_cell());
      }
    }

    // Lucía: 2 payroll and 5 hiring. The 2 are hidden, and so are the 5, which her total
    // minus them would give away; importance 5 (4) and 4 (3) are both too few.
    auto lucia = k.get("/api/v1/reports/staff/s-103?" + k.period());
    REQUIRE(lucia["segments"].size() == 2);
    for (auto segment : lucia["segments"]) {
      CAPTURE(segment["question"]);
      REQUIRE(segment["values"].size() == 2);
      for (const auto& value : segment["values"])
        check_all_suppressed(value["dimensions"]);
    }
    CHECK(lucia["segments"][1]["values"][0]["value"] == "hiring");

    // Marco: payroll all 5 shown; importance 2 (3) and 3 (2) hidden together.
    auto marco = k.get("/api/v1/reports/staff/s-102?" + k.period());
    REQUIRE(marco["segments"].size() == 2);
    auto payroll = marco["segments"][1]["values"];
    REQUIRE(payroll.size() == 1);
    CHECK(payroll[0]["value"] == "payroll");
    for (const auto& d : dimensions)
      check_cell(payroll[0]["dimensions"][d], expected_for("s-102", d));
    for (auto value : marco["segments"][0]["values"])
      check_all_suppressed(value["dimensions"]);
  }
  SECTION("recognition: dimensions above the standard and recent praise") {
    auto ana = k.get("/api/v1/reports/staff/s-101?" + k.period());
    CHECK(ana["recognition"]["strengths"] ==
          json{"courtesy", "expectations", "quality", "timeliness"});
    // The newest comments of responses whose ratings average 4.5 or more, at most 3.
    auto praise = ana["recognition"]["praise"];
    REQUIRE(praise.size() == 3);
    const std::vector<std::string> texts = {"Ana note 10", "Ana note 08", "Ana note 07"};
    for (std::size_t i = 0; i < texts.size(); ++i) {
      CHECK(praise[i] ==
            json{{"question", "comment"}, {"text", texts[i]}, {"locale", "en"}, {"date", k.today}});
    }
    // Marco is above the standard on quality only; none of his responses averages 4.5.
    auto marco = k.get("/api/v1/reports/staff/s-102?" + k.period());
    CHECK(marco["recognition"] == json{{"strengths", {"quality"}}, {"praise", json::array()}});
    // Lucía is above on nothing: her best dimension by shrunk mean.
    auto lucia = k.get("/api/v1/reports/staff/s-103?" + k.period());
    CHECK(lucia["recognition"]["strengths"] == json{"courtesy"});
    double best = 0;
    for (const auto& d : dimensions)
      best = std::max(best, expected_for("s-103", d).shrunk_mean);
    CHECK(expected_for("s-103", "courtesy").shrunk_mean == best);
    CHECK(lucia["recognition"]["praise"] == json::array());
  }
  SECTION("an unknown staff member is 404") {
    for (const std::string target :
         {"/api/v1/reports/staff/s-999", "/api/v1/reports/staff/s-999?bucket=week",
          "/api/v1/reports/staff/s-999/comments"}) {
      CAPTURE(target);
      const auto unknown = k.client.get(target, k.store.lead.secret);
      CHECK(unknown.status == 404);
      CHECK(unknown.error_code() == "not_found");
    }
  }
}

TEST_CASE("GET /api/v1/reports/overview: department, segments, areas needing work, standings",
          "[http][reports]") {
  known_store k;
  auto overview = k.get("/api/v1/reports/overview?" + k.period());
  CHECK(overview["from"] == k.day_before(6));
  CHECK(overview["to"] == k.today);
  CHECK(overview["anonymity_threshold"] == 5);

  SECTION("the department per dimension") {
    REQUIRE(overview["dimensions"].size() == dimensions.size());
    for (const auto& d : dimensions) {
      CAPTURE(d);
      check_cell(overview["dimensions"][d], expected_department(d));
    }
  }
  SECTION("the department by segment") {
    auto segments = overview["segments"];
    REQUIRE(segments.size() == 2);
    CHECK(segments[0]["question"] == "importance");
    CHECK(segments[1]["question"] == "request_type");
    // importance: 2 (3 responses) and 3 (2) hidden together; 4 (8) and 5 (9) shown.
    auto importance = segments[0]["values"];
    REQUIRE(importance.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
      const auto v = importance[i]["value"].get<std::string>();
      CAPTURE(v);
      CHECK(v == std::to_string(i + 2));
      if (v == "2" || v == "3") {
        check_all_suppressed(importance[i]["dimensions"]);
        continue;
      }
      for (const auto& d : dimensions) {
        CAPTURE(d);
        check_cell(importance[i]["dimensions"][d],
                   expect_cell(ratings_where(d,
                                             [&](const known_response& r) {
                                               return std::to_string(r.importance) == v;
                                             }),
                               standard_of(d), department_mean(d)));
      }
    }
    // request_type: benefits 5, hiring 5, leave 5, payroll 7; expectations was answered
    // only 4 times for benefits and for leave, which are hidden together.
    auto types = segments[1]["values"];
    REQUIRE(types.size() == 4);
    const std::vector<std::string> names = {"benefits", "hiring", "leave", "payroll"};
    for (std::size_t i = 0; i < 4; ++i) {
      const auto v = names[i];
      CHECK(types[i]["value"] == v);
      for (const auto& d : dimensions) {
        CAPTURE(v, d);
        if (d == "expectations" && (v == "benefits" || v == "leave")) {
          CHECK(types[i]["dimensions"][d] == suppressed_cell());
          continue;
        }
        check_cell(types[i]["dimensions"][d],
                   expect_cell(ratings_where(
                                   d, [&](const known_response& r) { return r.request_type == v; }),
                               standard_of(d), department_mean(d)));
      }
    }
  }
  SECTION("areas needing work: every shown cell wholly below its standard, worst first") {
    struct area {
      std::string dimension;
      std::optional<std::string> request_type;  // absent: the department overall
    };
    // Worked out from the ratings: the standard minus the interval's high end is 1.92
    // for hiring's timeliness, then 1.12, 0.92, 0.72 for hiring's quality, courtesy and
    // expectations, 0.15 for payroll's timeliness, 0.08 for the department's timeliness.
    const std::vector<area> expected = {{"timeliness", "hiring"},  {"quality", "hiring"},
                                        {"courtesy", "hiring"},    {"expectations", "hiring"},
                                        {"timeliness", "payroll"}, {"timeliness", std::nullopt}};
    auto areas = overview["areas_needing_work"];
    REQUIRE(areas.size() == expected.size());
    double previous_shortfall = 5;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto& [d, type] = expected[i];
      CAPTURE(i, areas[i].dump());
      CHECK(areas[i]["dimension"] == d);
      const auto ratings =
          type ? ratings_where(d, [&](const known_response& r) { return r.request_type == *type; })
               : all_ratings(d);
      const auto cell = expect_cell(ratings, standard_of(d), department_mean(d));
      CHECK(cell.vs_standard == "below");
      const double shortfall = cell.standard - cell.ci95->second;
      CHECK(shortfall < previous_shortfall);
      previous_shortfall = shortfall;
      check_cell(areas[i]["figures"], cell);
      if (type)
        CHECK(areas[i]["segment"] == json{{"question", "request_type"}, {"value", *type}});
      else
        CHECK(!areas[i].contains("segment"));
    }
  }
  SECTION("staff above and below the standard") {
    struct standing {
      std::string id;
      std::string dimension;
    };
    // Above, by how far the interval's low end clears the standard: Marco's quality
    // (all 5s: 1.0), Ana's expectations (0.66), courtesy (0.50), quality (0.35),
    // timeliness (0.12). Below, by how far the high end falls short: Lucía's timeliness
    // (2.08), quality (1.47), courtesy (1.26), expectations (0.93).
    const std::vector<standing> above = {{"s-102", "quality"},
                                         {"s-101", "expectations"},
                                         {"s-101", "courtesy"},
                                         {"s-101", "quality"},
                                         {"s-101", "timeliness"}};
    const std::vector<standing> below = {{"s-103", "timeliness"},
                                         {"s-103", "quality"},
                                         {"s-103", "courtesy"},
                                         {"s-103", "expectations"}};
    for (const auto& [list, entries, name] :
         {std::tuple{"staff_above_standard", &above, "above"},
          std::tuple{"staff_below_standard", &below, "below"}}) {
      auto shown = overview[list];
      REQUIRE(shown.size() == entries->size());
      double previous = 5;
      for (std::size_t i = 0; i < entries->size(); ++i) {
        const auto& [id, d] = (*entries)[i];
        CAPTURE(list, i, shown[i].dump());
        CHECK(shown[i]["id"] == id);
        CHECK(shown[i]["dimension"] == d);
        CHECK(shown[i]["name"].is_string());
        CHECK(shown[i]["team"].is_string());
        const auto cell = expected_for(id, d);
        CHECK(cell.vs_standard == name);
        const double margin = std::string_view(name) == "above" ? cell.ci95->first - cell.standard
                                                                : cell.standard - cell.ci95->second;
        CHECK(margin < previous);
        previous = margin;
        check_cell(shown[i]["figures"], cell);
      }
    }

    // A team's lead: the department as it is, the standings of the team only.
    const auto scoped =
        k.get("/api/v1/reports/overview?" + k.period(), k.store.benefits_lead.secret);
    CHECK(scoped["team"] == "benefits");
    CHECK(scoped["dimensions"] == overview["dimensions"]);
    CHECK(scoped["segments"] == overview["segments"]);
    CHECK(scoped["staff_above_standard"] == overview["staff_above_standard"]);
    CHECK(scoped["staff_below_standard"] == json::array());
  }
  SECTION("the response rate of the invitations created in the period") {
    // 12 invitations, all to Ana, 10 answered; campaign responses have none.
    CHECK(overview["response_rate"]["invited"] == 12);
    CHECK(overview["response_rate"]["answered"] == 10);
    CHECK(overview["response_rate"]["rate"].get<double>() == Approx(10.0 / 12));
    auto past =
        k.get("/api/v1/reports/overview?from=" + k.day_before(30) + "&to=" + k.day_before(1));
    CHECK(past["response_rate"] == json{{"invited", 0}, {"answered", 0}, {"rate", nullptr}});
    CHECK(past["dimensions"] == json::object());
    CHECK(past["areas_needing_work"] == json::array());
  }
}

TEST_CASE("comments come newest first, one page at a time", "[http][reports]") {
  known_store k;
  const std::string base = "/api/v1/reports/staff/s-101/comments?" + k.period();
  auto texts_of = [](const json& body) {
    std::vector<std::string> texts;
    for (const auto& c : body["comments"])
      texts.push_back(c["text"].get<std::string>());
    return texts;
  };

  auto all = k.get(base);
  CHECK(all["staff"] == "s-101");
  CHECK(all["suppressed"] == false);
  CHECK(all["limit"] == 50);
  CHECK(all["offset"] == 0);
  CHECK(all["from"] == k.day_before(6));
  CHECK(all["to"] == k.today);
  CHECK(texts_of(all) == std::vector<std::string>{"Ana note 10", "Ana note 09", "Ana note 08",
                                                  "Ana note 07", "Ana note 06", "Ana note 05",
                                                  "Ana note 04", "Ana note 03", "Ana note 02",
                                                  "Ana note 01"});
  for (auto c : all["comments"])
    CHECK(c ==
          json{{"question", "comment"}, {"text", c["text"]}, {"locale", "en"}, {"date", k.today}});

  auto first = k.get(base + "&limit=3");
  CHECK(first["limit"] == 3);
  CHECK(texts_of(first) == std::vector<std::string>{"Ana note 10", "Ana note 09", "Ana note 08"});
  auto second = k.get(base + "&limit=3&offset=3");
  CHECK(second["offset"] == 3);
  CHECK(texts_of(second) == std::vector<std::string>{"Ana note 07", "Ana note 06", "Ana note 05"});
  CHECK(texts_of(k.get(base + "&limit=3&offset=9")) == std::vector<std::string>{"Ana note 01"});
  CHECK(k.get(base + "&offset=10")["comments"] == json::array());
  CHECK(texts_of(k.get(base + "&limit=200")).size() == 10);

  // Comments keep the locale they were written in; responses without one add none.
  auto marco = k.get("/api/v1/reports/staff/s-102/comments?" + k.period());
  CHECK(marco["suppressed"] == false);
  REQUIRE(marco["comments"].size() == 3);
  CHECK(marco["comments"][2]["text"] == "Marco nota 1");
  CHECK(marco["comments"][2]["locale"] == "it");

  // No comment of a period without figures.
  auto past = k.get("/api/v1/reports/staff/s-101/comments?from=" + k.day_before(30) +
                    "&to=" + k.day_before(1));
  CHECK(past["suppressed"] == true);
  CHECK(past["comments"] == json::array());

  for (const auto& [query, path] :
       std::vector<std::pair<std::string, std::string>>{{"limit=201", "limit"},
                                                        {"limit=-1", "limit"},
                                                        {"limit=ten", "limit"},
                                                        {"limit=3.5", "limit"},
                                                        {"limit=", "limit"},
                                                        {"offset=-3", "offset"},
                                                        {"offset=1000001", "offset"},
                                                        {"offset=1e3", "offset"}}) {
    CAPTURE(query);
    const auto refused = k.client.get(base + "&" + query, k.store.lead.secret);
    CHECK(refused.status == 400);
    CHECK(refused.error_code() == "validation_failed");
    CHECK(refused.detail_paths() == std::vector<std::string>{path});
  }
}

TEST_CASE("GET /api/v1/reports/staff.csv: one RFC 4180 row per staff and dimension",
          "[http][reports]") {
  known_store k;
  // Roster entries a spreadsheet would run as formulas, or that need quoting.
  for (const auto& [id, name, team] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"s-107", "=SUM(A1:A9)", "ops, \"west\""},
           {"s-108", "-1+2", "+x"},
           {"s-109", "@cmd", "payroll"}}) {
    REQUIRE(k.client
                .request("PUT", "/api/v1/staff/" + id, json{{"name", name}, {"team", team}}.dump(),
                         with_token(k.store.admin.secret))
                .status == 201);
  }
  const auto reply = k.client.get("/api/v1/reports/staff.csv?" + k.period(), k.store.lead.secret);
  REQUIRE(reply.status == 200);
  CHECK(reply.header("content-type") == "text/csv; charset=utf-8; header=present");
  CHECK(reply.header("content-disposition") ==
        "attachment; filename=\"staff-" + k.day_before(6) + "-" + k.today + ".csv\"");
  const auto& text = reply.body;
  INFO(text);

  const std::string header =
      "staff_id,name,team,dimension,n,mean,ci95_low,ci95_high,csat,csat_ci95_low,"
      "csat_ci95_high,count_1,count_2,count_3,count_4,count_5,standard,vs_standard,"
      "shrunk_mean,note\r\n";
  CHECK(text.starts_with(header));
  // The formula-like values get a leading ', quoting doubles quotes.
  CHECK(text.find("\r\ns-107,'=SUM(A1:A9),\"ops, \"\"west\"\"\",courtesy,") != std::string::npos);
  CHECK(text.find("\r\ns-108,'-1+2,'+x,courtesy,") != std::string::npos);
  CHECK(text.find("\r\ns-109,'@cmd,payroll,courtesy,") != std::string::npos);

  const auto records = parse_csv(text);
  REQUIRE(records.size() == 1 + 9 * dimensions.size());
  const auto& columns = records[0];
  REQUIRE(columns.size() == 20);
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& row = records[i];
    CAPTURE(i, row);
    REQUIRE(row.size() == columns.size());
    CHECK(seen.insert({row[0], row[3]}).second);  // each staff and dimension once
    std::map<std::string, std::string> field;
    for (std::size_t c = 0; c < columns.size(); ++c)
      field[columns[c]] = row[c];
    const bool has_figures = field["staff_id"] == "s-101" || field["staff_id"] == "s-102" ||
                             field["staff_id"] == "s-103";
    if (!has_figures) {
      for (std::size_t c = 4; c < 19; ++c)
        CHECK(row[c].empty());
      CHECK(field["note"] == "fewer than 5 responses");
      continue;
    }
    const auto e = expected_for(field["staff_id"], field["dimension"]);
    auto number = [&](const std::string& column) { return std::stod(field.at(column)); };
    // Six significant digits.
    auto near = [](double x) { return Approx(x).epsilon(1e-5); };
    CHECK(field["n"] == std::to_string(e.n));
    CHECK(number("mean") == near(e.mean));
    CHECK(number("ci95_low") == near(e.ci95->first));
    CHECK(number("ci95_high") == near(e.ci95->second));
    CHECK(number("csat") == near(e.csat));
    CHECK(number("csat_ci95_low") == near(e.csat_ci95.first));
    CHECK(number("csat_ci95_high") == near(e.csat_ci95.second));
    for (std::size_t c = 0; c < 5; ++c)
      CHECK(field["count_" + std::to_string(c + 1)] == std::to_string(e.histogram[c]));
    CHECK(number("standard") == e.standard);
    CHECK(field["vs_standard"] == e.vs_standard);
    CHECK(number("shrunk_mean") == near(e.shrunk_mean));
    CHECK(field["note"].empty());
  }
  // Ana's courtesy, as a reader sees it.
  CHECK(text.find("\r\ns-101,Ana Pop,benefits,courtesy,10,4.8,4.49838,5,1,") != std::string::npos);

  // Filters and sorting apply as in JSON: a team's rows, best quality first.
  const auto payroll = k.client.get(
      "/api/v1/reports/staff.csv?team=payroll&sort=quality&" + k.period(), k.store.lead.secret);
  REQUIRE(payroll.status == 200);
  const auto rows = parse_csv(payroll.body);
  REQUIRE(rows.size() == 1 + 3 * dimensions.size());
  std::vector<std::string> order;
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (order.empty() || order.back() != rows[i][0]) order.push_back(rows[i][0]);
  CHECK(order == std::vector<std::string>{"s-103", "s-109", "s-104"});
}
