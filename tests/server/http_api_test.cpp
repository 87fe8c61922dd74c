// The JSON API as clients use it: every endpoint of the contract with its success status
// and body shape, spoken over HTTP to the real server binary.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "server_process.hpp"

using hrs::testing::create_invitation;
using hrs::testing::http_client;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::valid_answers;
using hrs::testing::with_header;
using hrs::testing::with_token;
using hrs::testing::with_type;
using json = nlohmann::json;

namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

const json* find_by_id(const json& list, const std::string& id) {
  for (const auto& item : list)
    if (item.value("id", std::string{}) == id) return &item;
  return nullptr;
}

}  // namespace

TEST_CASE("GET /healthz is public and /metrics needs a token", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());

  auto health = client.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.header("content-type") == "application/json");
  CHECK(health.json() == json{{"status", "ok"}});

  auto metrics = client.get("/metrics", store.admin.secret);
  CHECK(metrics.status == 200);
  CHECK(metrics.header("content-type").starts_with("text/plain"));
  CHECK(metrics.body.find("hrsurvey_http_requests_total") != std::string::npos);
  CHECK(client.get("/metrics", store.integration.secret).status == 200);
  CHECK(client.get("/metrics").status == 401);
  CHECK(client.open());  // kept alive across all of these
}

TEST_CASE("surveys are listed and posted and a broken template gets every problem", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto& lead = store.lead.secret;
  const auto& admin = store.admin.secret;

  SECTION("the list shows each template with its active version") {
    auto list = client.get("/api/v1/surveys", lead);
    REQUIRE(list.status == 200);
    const auto body = list.json();
    REQUIRE(body["surveys"].size() == 1);
    const auto& s = body["surveys"][0];
    CHECK(s["id"] == "hr-service");
    CHECK(s["active_version"] == 1);
    CHECK(s["title"] == "How did HR do?");
    CHECK(s["versions"] == json::parse(R"([{"version": 1, "responses": 0}])"));
  }
  SECTION("one template, its versions and its definition") {
    auto one = client.get("/api/v1/surveys/hr-service", lead);
    REQUIRE(one.status == 200);
    const auto body = one.json();
    CHECK(body["id"] == "hr-service");
    CHECK(body["active_version"] == 1);
    CHECK(body["definition"]["id"] == "hr-service");
    CHECK(body["definition"]["questions"].size() == 8);
    CHECK(client.get("/api/v1/surveys/hr-service?version=1", lead).status == 200);
    auto bad_version = client.get("/api/v1/surveys/hr-service?version=0", lead);
    CHECK(bad_version.status == 400);
    CHECK(bad_version.error_code() == "validation_failed");
    CHECK(client.get("/api/v1/surveys/hr-service?version=9", lead).status == 404);
    auto unknown = client.get("/api/v1/surveys/no-such-survey", lead);
    CHECK(unknown.status == 404);
    CHECK(unknown.error_code() == "not_found");
  }
  SECTION("an admin posts a new template and a new version of one") {
    const json onboarding = {
        {"id", "onboarding"},
        {"version", 1},
        {"default_locale", "en"},
        {"locales", {"en", "it"}},
        {"title", {{"en", "Your first week"}, {"it", "La tua prima settimana"}}},
        {"questions",
         {{{"id", "courtesy"},
           {"type", "rating"},
           {"dimension", "courtesy"},
           {"required", true},
           {"text", {{"en", "How were you welcomed?"}, {"it", "Come sei stato accolto?"}}}}}}};
    auto created = client.post_json("/api/v1/surveys", onboarding, admin);
    CHECK(created.status == 201);
    CHECK(created.json() == json{{"id", "onboarding"}, {"version", 1}, {"status", "created"}});
    auto again = client.post_json("/api/v1/surveys", onboarding, admin);
    CHECK(again.status == 200);
    CHECK(again.json()["status"] == "unchanged");

    auto next = onboarding;
    next["version"] = 2;
    next["title"]["en"] = "Your first weeks";
    auto second = client.post_json("/api/v1/surveys", next, admin);
    CHECK(second.status == 201);
    auto shown = client.get("/api/v1/surveys/onboarding", lead).json();
    CHECK(shown["active_version"] == 2);
    CHECK(shown["versions"].size() == 2);
    CHECK(shown["definition"]["title"]["en"] == "Your first weeks");

    auto list = client.get("/api/v1/surveys", lead).json();
    CHECK(list["surveys"].size() == 2);
  }
  SECTION("a broken template is refused with every problem located") {
    const std::string broken = R"({"id": "x", "version": 1, "default_locale": "en",
      "locales": ["en"], "title": "T", "questions": [
        {"id": "q", "type": "rating", "text": "Q", "labels": {"6": "Six"}},
        {"id": "q", "type": "slider", "text": "Q2"}]})";
    auto refused = client.request("POST", "/api/v1/surveys", broken, with_token(admin));
    CHECK(refused.status == 400);
    CHECK(refused.error_code() == "validation_failed");
    CAPTURE(refused.body);
    CHECK(refused.detail_paths() == std::vector<std::string>{"/questions/0/labels/6",
                                                             "/questions/1/id",
                                                             "/questions/1/type"});
    CHECK(client.get("/api/v1/surveys/x", lead).status == 404);

    auto malformed = client.request("POST", "/api/v1/surveys", "{\"id\": ", with_token(admin));
    CHECK(malformed.status == 400);
    CHECK(malformed.error_code() == "validation_failed");
  }
}

TEST_CASE("the staff roster is listed and put and imported from CSV", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto& token = store.integration.secret;

  auto list = client.get("/api/v1/staff", token);
  REQUIRE(list.status == 200);
  const auto staff = list.json()["staff"];
  CHECK(staff.size() == 6);
  const auto* ana = find_by_id(staff, "s-101");
  REQUIRE(ana != nullptr);
  CHECK(*ana == json{{"id", "s-101"}, {"name", "Ana Pop"}, {"team", "benefits"}});

  SECTION("PUT creates, then updates") {
    auto created = client.request("PUT", "/api/v1/staff/s-107",
                                  R"({"name": "Nia Stone", "team": "payroll"})", with_token(token));
    CHECK(created.status == 201);
    CHECK(created.json() == json{{"id", "s-107"}, {"name", "Nia Stone"}, {"team", "payroll"}});
    auto updated = client.request("PUT", "/api/v1/staff/s-107",
                                  R"({"id": "s-107", "name": "Nia Stone", "team": "benefits"})",
                                  with_token(store.admin.secret));
    CHECK(updated.status == 200);
    const auto after = client.get("/api/v1/staff", token).json()["staff"];
    CHECK(after.size() == 7);
    const auto* nia = find_by_id(after, "s-107");
    REQUIRE(nia != nullptr);
    CHECK((*nia)["team"] == "benefits");
  }
  SECTION("PUT with a body that does not fit is refused with its paths") {
    auto mismatch =
        client.request("PUT", "/api/v1/staff/s-107",
                       R"({"id": "s-108", "name": "X", "team": "payroll"})", with_token(token));
    CHECK(mismatch.status == 400);
    CHECK(mismatch.detail_paths() == std::vector<std::string>{"/id"});
    auto missing = client.request("PUT", "/api/v1/staff/s-107", R"({"team": 7, "extra": 1})",
                                  with_token(token));
    CHECK(missing.status == 400);
    const auto paths = missing.detail_paths();
    CHECK(std::set<std::string>(paths.begin(), paths.end()) ==
          std::set<std::string>{"/extra", "/team", "/name"});
    CHECK(client.get("/api/v1/staff", token).json()["staff"].size() == 6);
  }
  SECTION("a CSV import reports what it created, updated and left alone") {
    auto imported =
        client.request("POST", "/api/v1/staff:import",
                       "id,name,team\r\ns-101,Ana Pop,benefits\r\ns-102,Marco Rossi,payroll\r\n"
                       "s-108,\"Doe, Jane\",recruiting\r\n",
                       with_type("text/csv", token));
    CHECK(imported.status == 200);
    CHECK(imported.json() == json{{"created", 1}, {"updated", 1}, {"unchanged", 1}});
    const auto after = client.get("/api/v1/staff", token).json()["staff"];
    const auto* jane = find_by_id(after, "s-108");
    REQUIRE(jane != nullptr);
    CHECK((*jane)["name"] == "Doe, Jane");

    auto wrong_type = client.request("POST", "/api/v1/staff:import", "id,name,team\r\n",
                                     with_type("application/json", token));
    CHECK(wrong_type.status == 415);
    CHECK(wrong_type.error_code() == "unsupported_media_type");
    auto bad_csv = client.request("POST", "/api/v1/staff:import", "who,what\r\nx,y\r\n",
                                  with_type("text/csv", token));
    CHECK(bad_csv.status == 400);
    CHECK(bad_csv.error_code() == "validation_failed");
  }
}

TEST_CASE("an external_ref gives one invitation and other staff get a conflict", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto& token = store.integration.secret;
  const json request = {{"survey", "hr-service"},
                        {"staff", {"s-102"}},
                        {"locale", "it"},
                        {"external_ref", "HR-4711"},
                        {"expires_in_days", 14}};

  auto created = client.post_json("/api/v1/invitations", request, token);
  REQUIRE(created.status == 201);
  const auto first = created.json();
  REQUIRE(first["token"].is_string());
  const auto secret = first["token"].get<std::string>();
  CHECK(secret.size() >= 22);  // 128 bits or more
  CHECK(first["id"].is_string());
  CHECK(first["url"] == "http://127.0.0.1:" + std::to_string(server.port()) + "/s/" + secret);
  CHECK(first["expires_at"].is_string());

  SECTION("the same external_ref returns the same invitation, without its token") {
    auto again = client.post_json("/api/v1/invitations", request, store.admin.secret);
    CHECK(again.status == 200);
    const auto body = again.json();
    CHECK(body["id"] == first["id"]);
    CHECK(!body.contains("token"));
    CHECK(!body.contains("url"));
    CHECK(body["expires_at"] == first["expires_at"]);
  }
  SECTION("the same external_ref for other staff is a conflict") {
    auto other = request;
    other["staff"] = {"s-103"};
    auto conflict = client.post_json("/api/v1/invitations", other, token);
    CHECK(conflict.status == 409);
    CHECK(conflict.error_code() == "conflict");
  }
  SECTION("an invalid request names every bad field") {
    auto bad = client.post_json(
        "/api/v1/invitations",
        {{"survey", "hr-service"}, {"staff", {"s-999", 7}}, {"locale", 5}, {"color", "red"}},
        token);
    CHECK(bad.status == 400);
    CHECK(bad.error_code() == "validation_failed");
    const auto paths = bad.detail_paths();
    CAPTURE(bad.body);
    CHECK(contains(paths, "/staff/1"));
    CHECK(contains(paths, "/locale"));
    CHECK(contains(paths, "/color"));
    auto unknown_staff = client.post_json("/api/v1/invitations",
                                          {{"survey", "hr-service"}, {"staff", {"s-999"}}}, token);
    CHECK(unknown_staff.status == 400);
    CHECK(unknown_staff.detail_paths() == std::vector<std::string>{"/staff/0"});
  }
}

TEST_CASE("the invitation's survey is shown in its locale or the one asked for", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto token = create_invitation(client, store.integration.secret, {"s-102"}, "it");
  const auto target = "/api/v1/invitations/" + token + "/survey";

  auto italian = client.get(target);  // no account: the token is the key
  REQUIRE(italian.status == 200);
  auto body = italian.json();
  CHECK(body["survey"]["id"] == "hr-service");
  CHECK(body["survey"]["locale"] == "it");
  CHECK(body["survey"]["title"] == "Com'è andata con le Risorse Umane?");
  CHECK(body["survey"]["questions"][0]["options"][0]["label"] == "Benefit aziendali");
  CHECK(body["survey"]["questions"].size() == 8);
  CHECK(body["staff"] == json::parse(R"([{"id": "s-102", "name": "Marco Rossi"}])"));
  CHECK(body["expires_at"].is_string());

  auto chinese = client.get(target + "?locale=zh-Hant-TW");
  REQUIRE(chinese.status == 200);
  body = chinese.json();
  CHECK(body["survey"]["locale"] == "zh-Hant");
  CHECK(body["survey"]["title"] == "人力資源部服務滿意度調查");

  auto german = client.get(target + "?locale=de");
  REQUIRE(german.status == 200);
  CHECK(german.json()["survey"]["locale"] == "en");

  auto bad = client.get(target + "?locale=not%20a%20tag");
  CHECK(bad.status == 400);
  CHECK(bad.error_code() == "validation_failed");

  auto unknown = client.get("/api/v1/invitations/no-such-token/survey");
  CHECK(unknown.status == 404);
  CHECK(unknown.error_code() == "not_found");

  REQUIRE(client.post_json("/api/v1/responses", {{"token", token}, {"answers", valid_answers()}})
              .status == 201);
  auto answered = client.get(target);
  CHECK(answered.status == 409);
  CHECK(answered.error_code() == "conflict");
}

TEST_CASE("a response is stored once and then conflicts and an unknown token is 404", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto token = create_invitation(client, store.integration.secret);

  auto stored = client.post_json(
      "/api/v1/responses", {{"token", token}, {"locale", "en"}, {"answers", valid_answers()}});
  REQUIRE(stored.status == 201);
  const auto body = stored.json();
  CHECK(body["id"].is_number_integer());
  CHECK(body["received_at"].is_string());
  CHECK(hrs::testing::stored_response_ids(store.db()) ==
        std::vector<std::int64_t>{body["id"].get<std::int64_t>()});

  auto second =
      client.post_json("/api/v1/responses", {{"token", token}, {"answers", valid_answers(1)}});
  CHECK(second.status == 409);
  CHECK(second.error_code() == "conflict");

  auto unknown = client.post_json("/api/v1/responses",
                                  {{"token", "no-such-token"}, {"answers", valid_answers()}});
  CHECK(unknown.status == 404);
  CHECK(unknown.error_code() == "not_found");

  // Expiry (410 gone) needs a clock the test controls; the engine tests cover it. Over
  // HTTP, the shortest expiry is a day and a shorter one is refused.
  auto too_short =
      client.post_json("/api/v1/invitations",
                       {{"survey", "hr-service"}, {"staff", {"s-101"}}, {"expires_in_days", 0}},
                       store.integration.secret);
  CHECK(too_short.status == 400);
  CHECK(too_short.detail_paths() == std::vector<std::string>{"/expires_in_days"});

  CHECK(hrs::testing::count_rows(store.db(), "responses") == 1);
}

TEST_CASE("a campaign response names its staff in the staff answer", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  auto answers = valid_answers();
  answers["staff"] = {"s-103", "s-104"};

  auto stored = client.post_json("/api/v1/campaigns/hr-service/responses",
                                 {{"locale", "es"}, {"answers", answers}});
  CHECK(stored.status == 201);
  CHECK(stored.json()["id"].is_number_integer());

  auto unknown_staff = answers;
  unknown_staff["staff"] = {"s-999"};
  auto refused =
      client.post_json("/api/v1/campaigns/hr-service/responses", {{"answers", unknown_staff}});
  CHECK(refused.status == 400);
  CHECK(refused.detail_paths() == std::vector<std::string>{"/answers/staff"});

  auto no_campaign =
      client.post_json("/api/v1/campaigns/no-such-survey/responses", {{"answers", answers}});
  CHECK(no_campaign.status == 404);
  CHECK(no_campaign.error_code() == "not_found");

  auto with_token = client.post_json("/api/v1/campaigns/hr-service/responses",
                                     {{"token", "x"}, {"answers", answers}});
  CHECK(with_token.status == 400);
  CHECK(with_token.detail_paths() == std::vector<std::string>{"/token"});

  CHECK(hrs::testing::count_rows(store.db(), "responses") == 1);
}

TEST_CASE("reports show what was submitted and hide small samples", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto& lead = store.lead.secret;

  // s-101: five invitation responses, enough to show; courtesy 5 4 3 5 4, and comments
  // that must come back exactly as typed.
  const std::vector<std::string> typed = {"Quick and kind.", "=HYPERLINK(\"http://x\",\"y\")",
                                          "<script>alert(1)</script>", "Grazie, 謝謝 🙂",
                                          "two\nlines, \"quoted\""};
  const std::vector<int> ratings = {5, 4, 3, 5, 4};
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const auto token = create_invitation(client, store.integration.secret, {"s-101"});
    auto answers = valid_answers(ratings[i]);
    answers["comment"] = typed[i];
    REQUIRE(
        client.post_json("/api/v1/responses", {{"token", token}, {"answers", answers}}).status ==
        201);
  }
  // A name a spreadsheet would run as a formula.
  REQUIRE(client
              .request("PUT", "/api/v1/staff/s-107",
                       R"({"name": "=cmd|' /C calc'!A0", "team": "payroll"})",
                       with_token(store.admin.secret))
              .status == 201);
  // s-103: two campaign responses, fewer than the threshold of 5; courtesy 2 and 1.
  for (int courtesy : {2, 1}) {
    auto answers = valid_answers(courtesy);
    answers["staff"] = {"s-103"};
    REQUIRE(
        client.post_json("/api/v1/campaigns/hr-service/responses", {{"answers", answers}}).status ==
        201);
  }
  // s-104: three, also hidden. Together the hidden staff hold 5 responses, so the
  // department total minus the shown staff gives no small group away and s-101 stays
  // shown (with s-103 alone hidden, s-101 would be hidden too).
  for (int courtesy : {3, 3, 3}) {
    auto answers = valid_answers(courtesy);
    answers["staff"] = {"s-104"};
    REQUIRE(
        client.post_json("/api/v1/campaigns/hr-service/responses", {{"answers", answers}}).status ==
        201);
  }

  const json shown_courtesy = {
      {"n", 5}, {"mean", 4.2}, {"histogram", {0, 0, 1, 2, 2}}, {"suppressed", false}};
  const json hidden = {{"suppressed", true}, {"fewer_than", 5}};

  SECTION("all staff") {
    auto cards = client.get("/api/v1/reports/staff", lead);
    REQUIRE(cards.status == 200);
    const auto body = cards.json();
    CHECK(body["anonymity_threshold"] == 5);
    CHECK(body["from"].is_string());
    CHECK(body["to"].is_string());
    CHECK(body["staff"].size() == 7);
    const auto* ana = find_by_id(body["staff"], "s-101");
    REQUIRE(ana != nullptr);
    CHECK((*ana)["name"] == "Ana Pop");
    CHECK((*ana)["team"] == "benefits");
    const auto& courtesy = (*ana)["dimensions"]["courtesy"];
    CHECK(courtesy["n"] == 5);
    CHECK(courtesy["mean"].get<double>() == Approx(4.2));
    CHECK(courtesy["histogram"] == json{0, 0, 1, 2, 2});
    CHECK(courtesy["suppressed"] == false);
    CHECK((*ana)["dimensions"]["timeliness"]["histogram"] == json{0, 0, 0, 5, 0});
    CHECK((*ana)["dimensions"]["quality"]["mean"].get<double>() == Approx(3.0));

    const auto* lucia = find_by_id(body["staff"], "s-103");
    REQUIRE(lucia != nullptr);
    CHECK((*lucia)["dimensions"].size() == 4);  // courtesy, timeliness, quality, expectations
    for (const auto& [name, figures] : (*lucia)["dimensions"].items()) {
      CAPTURE(name);
      CHECK(figures == hidden);
    }
    const auto* sam = find_by_id(body["staff"], "s-106");
    REQUIRE(sam != nullptr);
    CHECK((*sam)["dimensions"].contains("courtesy"));
    for (const auto& [name, figures] : (*sam)["dimensions"].items())
      CHECK(figures["suppressed"] == true);
  }
  SECTION("one staff member") {
    auto card = client.get("/api/v1/reports/staff/s-101", store.admin.secret);
    REQUIRE(card.status == 200);
    const auto body = card.json();
    CHECK(body["id"] == "s-101");
    CHECK(body["anonymity_threshold"] == 5);
    auto courtesy = body["dimensions"]["courtesy"];
    courtesy["mean"] = std::round(courtesy["mean"].get<double>() * 1e9) / 1e9;
    for (const auto& [field, value] : shown_courtesy.items())
      CHECK(courtesy[field] == value);

    auto small = client.get("/api/v1/reports/staff/s-103", lead);
    REQUIRE(small.status == 200);
    CHECK(small.json()["dimensions"]["courtesy"] == hidden);

    auto unknown = client.get("/api/v1/reports/staff/s-999", lead);
    CHECK(unknown.status == 404);
    CHECK(unknown.error_code() == "not_found");
  }
  SECTION("the department overview counts each response once") {
    auto overview = client.get("/api/v1/reports/overview", lead);
    REQUIRE(overview.status == 200);
    const auto courtesy = overview.json()["dimensions"]["courtesy"];
    CHECK(courtesy["n"] == 10);
    CHECK(courtesy["histogram"] == json{1, 1, 4, 2, 2});
    CHECK(courtesy["mean"].get<double>() == Approx(3.3));
  }
  SECTION("comments: exact in JSON, none below the threshold") {
    auto shown = client.get("/api/v1/reports/staff/s-101/comments", lead);
    REQUIRE(shown.status == 200);
    const auto body = shown.json();
    CHECK(body["suppressed"] == false);
    std::multiset<std::string> texts;
    for (const auto& c : body["comments"]) {
      CHECK(c["question"] == "comment");
      texts.insert(c["text"].get<std::string>());
    }
    CHECK(texts == std::multiset<std::string>(typed.begin(), typed.end()));

    auto hidden_comments = client.get("/api/v1/reports/staff/s-103/comments", lead);
    REQUIRE(hidden_comments.status == 200);
    CHECK(hidden_comments.json()["suppressed"] == true);
    CHECK(hidden_comments.json()["comments"].empty());
  }
  SECTION("the scorecards as RFC 4180 CSV") {
    auto csv = client.get("/api/v1/reports/staff.csv", lead);
    REQUIRE(csv.status == 200);
    CHECK(csv.header("content-type").starts_with("text/csv"));
    const auto& text = csv.body;
    CHECK(text.starts_with(
        "staff_id,name,team,dimension,n,mean,ci95_low,ci95_high,csat,csat_ci95_low,"
        "csat_ci95_high,count_1,count_2,count_3,count_4,count_5,standard,vs_standard,shrunk_mean,"
        "note\r\n"));
    CHECK(text.find("\r\ns-101,Ana Pop,benefits,courtesy,5,4.2,") != std::string::npos);
    CHECK(text.find(",0,0,1,2,2,4,meets,") != std::string::npos);
    CHECK(text.find("\r\ns-103,Lucía Gómez,payroll,courtesy,,,,,,,,,,,,,,,,fewer than 5 "
                    "responses\r\n") != std::string::npos);
    CHECK(text.find("\r\ns-107,'=cmd|' /C calc'!A0,payroll,") != std::string::npos);
    CHECK(text.find("\n=") == std::string::npos);
  }
  SECTION("the period is chosen with from and to") {
    auto past = client.get("/api/v1/reports/staff/s-101?from=2000-01-01&to=2000-12-31", lead);
    REQUIRE(past.status == 200);
    CHECK(past.json()["from"] == "2000-01-01");
    // Only dimensions rated in the period are listed; none of them may show figures.
    const auto dimensions = past.json()["dimensions"];
    CHECK((!dimensions.contains("courtesy") || dimensions["courtesy"] == hidden));

    auto bad_date = client.get("/api/v1/reports/staff?from=yesterday", lead);
    CHECK(bad_date.status == 400);
    CHECK(bad_date.detail_paths() == std::vector<std::string>{"from"});
    auto reversed = client.get("/api/v1/reports/overview?from=2020-02-01&to=2020-01-01", lead);
    CHECK(reversed.status == 400);
    CHECK(reversed.error_code() == "validation_failed");
  }
}

TEST_CASE("a lead scoped to a team reads only that team", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto& lead = store.benefits_lead.secret;
  auto answers = valid_answers();
  answers["staff"] = {"s-101", "s-103"};
  REQUIRE(
      client.post_json("/api/v1/campaigns/hr-service/responses", {{"answers", answers}}).status ==
      201);

  auto cards = client.get("/api/v1/reports/staff", lead);
  REQUIRE(cards.status == 200);
  std::set<std::string> ids;
  const auto scoped = cards.json();
  for (const auto& card : scoped["staff"])
    ids.insert(card["id"].get<std::string>());
  CHECK(ids == std::set<std::string>{"s-101", "s-102"});

  CHECK(client.get("/api/v1/reports/staff?team=benefits", lead).status == 200);
  auto other = client.get("/api/v1/reports/staff?team=payroll", lead);
  CHECK(other.status == 403);
  CHECK(other.error_code() == "forbidden");
  CHECK(client.get("/api/v1/reports/overview?team=payroll", lead).status == 403);
  CHECK(client.get("/api/v1/reports/staff/s-101", lead).status == 200);
  CHECK(client.get("/api/v1/reports/staff/s-103", lead).status == 404);
  CHECK(client.get("/api/v1/reports/overview", lead).status == 200);
  CHECK(client.get("/api/v1/reports/staff.csv?team=payroll", lead).status == 403);
  auto csv = client.get("/api/v1/reports/staff.csv", lead);
  REQUIRE(csv.status == 200);
  CHECK(csv.body.find("s-101") != std::string::npos);
  CHECK(csv.body.find("s-103") == std::string::npos);

  // An unscoped lead may pick any team.
  auto payroll = client.get("/api/v1/reports/staff?team=payroll", store.lead.secret);
  REQUIRE(payroll.status == 200);
  ids.clear();
  const auto unscoped = payroll.json();
  for (const auto& card : unscoped["staff"])
    ids.insert(card["id"].get<std::string>());
  CHECK(ids == std::set<std::string>{"s-103", "s-104"});
}

// A lead scoped to one team must not read another team's comments: the scorecard of a
// staff member outside the team is 404, and the comments must be as well.
TEST_CASE("a lead scoped to a team cannot read another team's comments", "[http]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  for (int i = 0; i < 5; ++i) {
    auto answers = valid_answers(4);
    answers["staff"] = {"s-103"};
    answers["comment"] = "payroll comment " + std::to_string(i);
    REQUIRE(
        client.post_json("/api/v1/campaigns/hr-service/responses", {{"answers", answers}}).status ==
        201);
  }
  auto full = client.get("/api/v1/reports/staff/s-103/comments", store.lead.secret);
  REQUIRE(full.status == 200);
  CHECK(full.json()["comments"].size() == 5);

  const auto& lead = store.benefits_lead.secret;
  CHECK(client.get("/api/v1/reports/staff/s-103", lead).status == 404);
  auto comments = client.get("/api/v1/reports/staff/s-103/comments", lead);
  CAPTURE(comments.body);
  CHECK(comments.status == 404);
  CHECK(comments.body.find("payroll comment") == std::string::npos);
}
