// What someone holding the store file or the server's log can learn about respondents.
// The server is driven as its users drive it (invitations with an external_ref, answers
// through the API and the web form, campaign answers, sign-in, reports); then the file
// is read table by table, as an attacker with the sqlite3 shell would, and the log line
// by line.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hrs/engine/audit.hpp"
#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"
#include "hrs/engine/time.hpp"
#include "server_process.hpp"
#include "store_fixture.hpp"

namespace {

using namespace hrs::testing;
using nlohmann::json;

constexpr std::string_view form_type = "application/x-www-form-urlencoded";

// The tables that hold what respondents answered: none of them may name an invitation.
bool holds_answers(const std::string& table) {
  return table == "responses" || table == "response_texts" || table.starts_with("agg_");
}

request_options form_with_cookie(const std::string& cookie) {
  request_options opts;
  opts.content_type = std::string(form_type);
  if (!cookie.empty()) opts.headers.emplace_back("Cookie", cookie);
  return opts;
}

// "2026-11-24T12:34:56Z" as seconds since the epoch.
hrs::engine::unix_seconds seconds_of(const std::string& timestamp) {
  const auto day = hrs::engine::parse_date(timestamp.substr(0, 10));
  REQUIRE(day);
  REQUIRE(timestamp.size() == 20);
  return *day * hrs::engine::seconds_per_day + std::stoll(timestamp.substr(11, 2)) * 3600 +
         std::stoll(timestamp.substr(14, 2)) * 60 + std::stoll(timestamp.substr(17, 2));
}

// Everything secret that went through the server: none of it may reach the log, and
// none of the invitation's side may reach the tables of answers.
struct traffic {
  std::vector<std::string> invitation_tokens;
  std::vector<std::string> invitation_ids;
  std::vector<std::string> external_refs;
  std::vector<std::string> comments;
  std::vector<std::string> access_tokens;
  std::string session_cookie;
  std::string csrf;
  std::vector<std::int64_t> acknowledged_times;  // received_at of the 201s
  std::string unanswered_token;
};

// Every kind of request a user makes, each checked to have worked.
traffic drive(served_store& store, server_process& server) {
  traffic t;
  t.access_tokens = {store.admin.secret, store.lead.secret, store.integration.secret};
  http_client client(server.port());
  for (int i = 0; i < 4; ++i) {
    const auto ref = "HR-CASE-" + std::to_string(4711 + i);
    const auto made = client.post_json(
        "/api/v1/invitations",
        {{"survey", "hr-service"}, {"staff", {i % 2 ? "s-102" : "s-101"}}, {"external_ref", ref}},
        store.integration.secret);
    REQUIRE(made.status == 201);
    t.invitation_tokens.push_back(made.json()["token"]);
    t.invitation_ids.push_back(made.json()["id"]);
    t.external_refs.push_back(ref);
  }
  t.unanswered_token = t.invitation_tokens[3];

  // Through the API.
  REQUIRE(client.get("/api/v1/invitations/" + t.invitation_tokens[0] + "/survey").status == 200);
  auto answers = valid_answers();
  answers["comment"] = "api comment: the payroll fix took nine weeks";
  t.comments.push_back(answers["comment"]);
  const auto api = client.post_json("/api/v1/responses",
                                    {{"token", t.invitation_tokens[0]}, {"answers", answers}});
  REQUIRE(api.status == 201);
  t.acknowledged_times.push_back(seconds_of(api.json()["received_at"].get<std::string>()));

  // Through the web form, GET then POST, with the token in the path.
  const auto page = client.get("/s/" + t.invitation_tokens[1]);
  REQUIRE(page.status == 200);
  t.comments.push_back("form comment: Maria was rude on the phone");
  const auto posted = client.request(
      "POST", "/s/" + t.invitation_tokens[1],
      "request_type=payroll&importance=5&courtesy=1&timeliness=2&quality=2&expectations=1&"
      "comment=form+comment%3A+Maria+was+rude+on+the+phone",
      form_with_cookie({}));
  REQUIRE(posted.status == 303);
  // Answered twice: refused, and the refusal logs nothing more either.
  REQUIRE(client
              .post_json("/api/v1/responses",
                         {{"token", t.invitation_tokens[1]}, {"answers", valid_answers()}})
              .status == 409);
  // A token that is no invitation.
  REQUIRE(client.get("/s/" + std::string(43, 'A')).status == 404);

  // Third invitation: through the API, so that two responses of s-101 exist.
  answers["comment"] = "third comment: grateful for the quick answer";
  t.comments.push_back(answers["comment"]);
  REQUIRE(
      client
          .post_json("/api/v1/responses", {{"token", t.invitation_tokens[2]}, {"answers", answers}})
          .status == 201);

  // Campaign answers, through the API and the form.
  auto campaign = valid_answers();
  campaign["staff"] = {"s-103"};
  campaign["comment"] = "campaign comment: nobody called me back";
  t.comments.push_back(campaign["comment"]);
  REQUIRE(
      client.post_json("/api/v1/campaigns/hr-service/responses", {{"answers", campaign}}).status ==
      201);
  t.comments.push_back("campaign form comment: my visa letter was lost");
  REQUIRE(client
              .request("POST", "/c/hr-service",
                       "request_type=benefits&staff=s-104&courtesy=4&timeliness=4&quality=4&"
                       "comment=campaign+form+comment%3A+my+visa+letter+was+lost",
                       form_with_cookie({}))
              .status == 303);

  // Sign-in with an access token, the dashboard with the session, sign-out.
  const auto login =
      client.request("POST", "/login", "token=" + store.lead.secret, form_with_cookie({}));
  REQUIRE(login.status == 303);
  t.session_cookie = cookie_of(login);
  REQUIRE(t.session_cookie.find('=') != std::string::npos);
  request_options with_session;
  with_session.headers.emplace_back("Cookie", t.session_cookie);
  const auto dashboard = client.request("GET", "/dashboard", {}, with_session);
  REQUIRE(dashboard.status == 200);
  t.csrf = csrf_of(dashboard.body);
  REQUIRE_FALSE(t.csrf.empty());
  REQUIRE(client.request("GET", "/dashboard/staff/s-101", {}, with_session).status == 200);
  REQUIRE(client.request("POST", "/logout", "_csrf=" + t.csrf, form_with_cookie(t.session_cookie))
              .status == 303);
  // A wrong access token at sign-in.
  REQUIRE(client.request("POST", "/login", "token=" + std::string(43, 'B'), form_with_cookie({}))
              .status != 303);

  // The API with bearer tokens: reports and comments, the roster.
  REQUIRE(client.get("/api/v1/reports/staff", store.lead.secret).status == 200);
  REQUIRE(client.get("/api/v1/reports/staff/s-101/comments", store.lead.secret).status == 200);
  REQUIRE(client.get("/api/v1/staff", store.admin.secret).status == 200);
  REQUIRE(client.get("/api/v1/staff", "not-a-token-" + std::string(30, 'C')).status == 401);
  return t;
}

// The value of every cell of a table, as text (blobs in hex, as raw_db renders them).
std::vector<std::string> cells_of(raw_db& db, const std::string& table) {
  std::vector<std::string> out;
  for (const auto& row : db.rows(table))
    out.insert(out.end(), row.begin(), row.end());
  return out;
}

std::string hex_upper(std::string hex) {
  std::transform(hex.begin(), hex.end(), hex.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return hex;
}

// Six responses for s-101 40 days ago and six 10 days ago, each with a comment of its
// own, stored through the engine with its clock set back.
void store_old_and_recent_comments(const served_store& store, hrs::engine::unix_seconds now,
                                   std::vector<std::string>& old_comments,
                                   std::vector<std::string>& recent_comments) {
  for (const int days_ago : {40, 10}) {
    hrs::engine::store_options options;
    options.file = store.db();
    options.clock = [=] { return now - days_ago * hrs::engine::seconds_per_day; };
    auto opened = hrs::engine::store::open(std::move(options));
    REQUIRE(opened);
    REQUIRE(hrs::engine::sync_definitions(**opened, HRS_SOURCE_DIR "/survey_defs",
                                          hrs::engine::command_line_actor("test"))
                .ok);
    for (int i = 0; i < 6; ++i) {
      auto inv = hrs::engine::create_invitation(**opened, {"hr-service", {"s-101"}, "en", {}, 14});
      REQUIRE(inv);
      auto answers = valid_answers(1 + i % 5);
      const auto comment =
          "comment-" + std::to_string(days_ago) + "-days-ago-number-" + std::to_string(i) + "-zqxj";
      answers["comment"] = comment;
      (days_ago == 40 ? old_comments : recent_comments).push_back(comment);
      REQUIRE(hrs::engine::submit_response(**opened, {*inv->token, "", answers}));
    }
    (*opened)->close();
  }
}

}  // namespace

TEST_CASE("no table of the store ties a response to its invitation or HR case", "[http][privacy]") {
  served_store store;
  traffic t;
  std::map<std::string, std::vector<std::vector<std::string>>> before_last_answer;
  {
    server_process server(store.db());
    t = drive(store, server);
    // Everything the file holds before one more invitation is answered.
    raw_db db(store.db());
    for (const auto& table : db.tables())
      before_last_answer[table] = db.rows(table);
    http_client client(server.port());
    auto answers = valid_answers();
    answers["comment"] = "last comment: thanks for sorting out my pension";
    t.comments.push_back(answers["comment"]);
    REQUIRE(
        client.post_json("/api/v1/responses", {{"token", t.unanswered_token}, {"answers", answers}})
            .status == 201);
    REQUIRE(server.terminate() == 0);
  }

  raw_db db(store.db());
  const auto tables = db.tables();
  REQUIRE(std::count(tables.begin(), tables.end(), "responses") == 1);
  REQUIRE(std::count(tables.begin(), tables.end(), "response_texts") == 1);

  // What the invitation side holds, in every form the file keeps it.
  std::set<std::string> invitation_side;
  for (const auto& s : t.invitation_tokens)
    invitation_side.insert(s);
  for (const auto& s : t.invitation_ids)
    invitation_side.insert(s);
  for (const auto& s : t.external_refs)
    invitation_side.insert(s);
  for (const auto& cell : cells_of(db, "invitations"))
    if (cell.starts_with("x'")) invitation_side.insert(cell.substr(2, cell.size() - 3));
  REQUIRE(invitation_side.size() >= 4 * 4);

  for (const auto& table : tables) {
    if (!holds_answers(table)) continue;
    CAPTURE(table);
    // No column that could name an invitation, whatever columns are added later.
    for (const auto& column : db.columns(table)) {
      CAPTURE(column);
      for (const auto* word : {"invitation", "token", "ref", "case", "hash", "seq"})
        CHECK(column.find(word) == std::string::npos);
    }
    CHECK(db.integer("SELECT count(*) FROM pragma_foreign_key_list('" + table + "')") == 0);
    for (const auto& cell : cells_of(db, table)) {
      for (const auto& secret : invitation_side) {
        CAPTURE(secret);
        CHECK(hex_upper(cell).find(hex_upper(secret)) == std::string::npos);
      }
      // Any number that reads as a time since 2020 is a whole UTC day: no exact time
      // to match against when an invitation was made or its link opened.
      const bool integral =
          !cell.empty() && cell.find_first_not_of("0123456789") == std::string::npos;
      if (integral && cell.size() >= 10 && cell.size() <= 11) {
        CAPTURE(cell);
        const auto value = std::stoll(cell);
        if (value >= 1'577'836'800) CHECK(value % hrs::engine::seconds_per_day == 0);
      }
      for (const auto at : t.acknowledged_times)
        CHECK(cell != std::to_string(at));
    }
  }

  // Answering one more invitation changed only the tables of answers, the bits of
  // answered marks and the meta counters: no table records which invitation was
  // answered by which response, or when.
  for (const auto& table : tables) {
    CAPTURE(table);
    const bool may_change = holds_answers(table) || table == "answered_bits" || table == "meta";
    if (!may_change) CHECK(db.rows(table) == before_last_answer[table]);
  }
  // The answered marks are one bit per invitation: no row per answer whose position or
  // number could be ranked against the response ids.
  CHECK(db.columns("answered_bits") == std::vector<std::string>{"block", "bits"});
  CHECK(db.count("answered_bits") == 1);
  CHECK(db.integer("SELECT count(*) FROM invitations") == 4);
}

TEST_CASE("the log at its most verbose holds no token, comment or answer", "[http][privacy]") {
  served_store store;
  server_process server(store.db(), {"--log-level", "trace"});
  const auto t = drive(store, server);
  REQUIRE(server.terminate() == 0);
  const auto log = server.log();
  // It does log the requests, by their route.
  CHECK(log.find("POST /api/v1/responses 201") != std::string::npos);
  CHECK(log.find("POST /s/{token} 303") != std::string::npos);
  CHECK(log.find("POST /login 303") != std::string::npos);

  std::vector<std::string> secrets = t.invitation_tokens;
  secrets.insert(secrets.end(), t.access_tokens.begin(), t.access_tokens.end());
  secrets.insert(secrets.end(), t.comments.begin(), t.comments.end());
  secrets.push_back(t.session_cookie.substr(t.session_cookie.find('=') + 1));
  secrets.push_back(t.csrf);
  // Parts of secrets too: a log cut to the first characters still gives a token away.
  for (const auto& token : t.invitation_tokens)
    secrets.push_back(token.substr(0, 12));
  for (const auto& token : t.access_tokens)
    secrets.push_back(token.substr(0, 12));
  for (const auto* comment_word : {"Maria", "payroll fix", "visa letter", "called me back"})
    secrets.emplace_back(comment_word);
  // Answers, as JSON keys or form fields.
  for (const auto* answer : {"\"courtesy\"", "courtesy=", "request_type", "timeliness="})
    secrets.emplace_back(answer);
  for (const auto& secret : secrets) {
    CAPTURE(secret);
    CHECK(log.find(secret) == std::string::npos);
  }
}

TEST_CASE("hrsurvey comments erase removes old comments from the file and keeps the ratings",
          "[http][privacy][retention]") {
  served_store store;
  const auto now = hrs::engine::now_seconds();
  std::vector<std::string> old_comments, recent_comments;
  store_old_and_recent_comments(store, now, old_comments, recent_comments);
  const std::string period = "?from=" + hrs::engine::format_date(hrs::engine::day_of(now) - 60);
  const auto read_reports = [&] {
    server_process server(store.db());
    http_client client(server.port());
    const auto scorecards = client.get("/api/v1/reports/staff" + period, store.lead.secret);
    const auto comments =
        client.get("/api/v1/reports/staff/s-101/comments" + period, store.lead.secret);
    REQUIRE(scorecards.status == 200);
    REQUIRE(comments.status == 200);
    return std::pair{scorecards.json(), comments.body};
  };
  const auto [scorecards_before, comments_before] = read_reports();
  for (const auto& c : old_comments)
    REQUIRE(comments_before.find(c) != std::string::npos);
  REQUIRE(file_bytes_contain(store.db(), old_comments.front()));

  SECTION("a retention period of at least one day is required") {
    for (const auto* days : {"0", "-3", "x"}) {
      const auto refused =
          run_hrsurvey({"comments", "erase", "--older-than-days", days, "--db", store.db()});
      CHECK(refused.exit_code != 0);
    }
    CHECK(file_bytes_contain(store.db(), old_comments.front()));
  }

  SECTION("texts older than the period are gone, the rest stays") {
    // Also while the server runs and has the file open.
    server_process server(store.db());
    const auto erased =
        run_hrsurvey({"comments", "erase", "--older-than-days", "30", "--db", store.db()});
    INFO(erased.err);
    REQUIRE(erased.exit_code == 0);
    CHECK(erased.out.find("erased 6 comment rows and the text answers of 6 responses") !=
          std::string::npos);
    REQUIRE(server.terminate() == 0);

    for (const auto& c : old_comments) {
      CAPTURE(c);
      CHECK_FALSE(file_bytes_contain(store.db(), c));
    }
    for (const auto& c : recent_comments) {
      CAPTURE(c);
      CHECK(file_bytes_contain(store.db(), c));
    }
    CHECK(integrity_check(store.db()) == "ok");
    CHECK(count_rows(store.db(), "responses") == 12);

    const auto [scorecards_after, comments_after] = read_reports();
    // The ratings, and so every figure of the scorecards, are unchanged.
    CHECK(scorecards_after == scorecards_before);
    for (const auto& c : old_comments)
      CHECK(comments_after.find(c) == std::string::npos);
    for (const auto& c : recent_comments)
      CHECK(comments_after.find(c) != std::string::npos);

    // Run again: nothing left to erase, and nothing more in the audit log.
    const auto again =
        run_hrsurvey({"comments", "erase", "--older-than-days", "30", "--db", store.db()});
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("erased 0 comment rows") != std::string::npos);

    // The erase is an admin action: admins read who erased what, once.
    server_process audit_server(store.db());
    http_client admin(audit_server.port());
    const auto audit = admin.get("/api/v1/audit", store.admin.secret);
    REQUIRE(audit.status == 200);
    INFO(audit.body);
    const auto entries = audit.json()["entries"];
    int erasures = 0;
    for (const auto& entry : entries) {
      if (entry["action"] != "comments.erased") continue;
      ++erasures;
      CHECK(entry["actor"]["id"] == "cli");
      CHECK(entry["actor"]["label"] == "hrsurvey comments erase");
      CHECK(entry["details"]["older_than_days"] == 30);
      CHECK(entry["details"]["comment_rows"] == 6);
      CHECK(entry["details"]["responses"] == 6);
    }
    CHECK(erasures == 1);
  }
}

TEST_CASE("once the server is idle its WAL no longer pairs answered marks with responses",
          "[http][privacy]") {
  // Each commit's pages stay in the -wal file until it is overwritten, and a commit holds
  // one invitation's answered mark beside its response. Emptied when idle, the WAL keeps
  // that pair only for the moment between the commit and the checkpoint.
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  const auto wal = std::filesystem::path(store.db().string() + "-wal");
  const auto wal_empty = [&] {
    return std::filesystem::exists(wal) && std::filesystem::file_size(wal) == 0;
  };
  for (int i = 0; i < 3; ++i) {
    const auto token = create_invitation(client, store.integration.secret);
    auto answers = valid_answers();
    answers["comment"] = "wal comment number " + std::to_string(i);
    REQUIRE(
        client.post_json("/api/v1/responses", {{"token", token}, {"answers", answers}}).status ==
        201);
    CHECK(eventually(wal_empty));
    // The response is in the file itself, committed.
    CHECK(file_bytes_contain(store.db(), answers["comment"].get<std::string>()));
  }
  CHECK(count_rows(store.db(), "responses") == 3);
}

TEST_CASE("serve --comment-retention-days erases old comments before it serves",
          "[http][privacy][retention]") {
  served_store store;
  const auto now = hrs::engine::now_seconds();
  std::vector<std::string> old_comments, recent_comments;
  store_old_and_recent_comments(store, now, old_comments, recent_comments);
  REQUIRE(file_bytes_contain(store.db(), old_comments.front()));

  server_process server(store.db(), {"--comment-retention-days", "30"});
  http_client client(server.port());
  const auto comments = client.get("/api/v1/reports/staff/s-101/comments?from=" +
                                       hrs::engine::format_date(hrs::engine::day_of(now) - 60),
                                   store.lead.secret);
  REQUIRE(comments.status == 200);
  for (const auto& c : old_comments) {
    CAPTURE(c);
    CHECK(comments.body.find(c) == std::string::npos);
    CHECK_FALSE(file_bytes_contain(store.db(), c));
  }
  for (const auto& c : recent_comments) {
    CAPTURE(c);
    CHECK(comments.body.find(c) != std::string::npos);
  }
  CHECK(count_rows(store.db(), "responses") == 12);
  REQUIRE(server.terminate() == 0);
  CHECK(server.log().find("comment retention (30 days): erased 6 comment rows") !=
        std::string::npos);
}
