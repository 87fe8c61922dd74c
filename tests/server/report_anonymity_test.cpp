// Anonymity: no output of any report, JSON, CSV or the command line's table, JSON and
// CSV, shows a figure or a comment of a staff member with fewer than k responses, nor of
// one hidden so that the department total cannot give such a member away.
//
// The store: Ana (9 responses) and Ioana (6) are shown; Lucía (1) and Chen (2) are under
// k = 5; Marco has exactly 5, enough on his own, but the department total minus the shown
// staff would give away Lucía's and Chen's 3 responses, so he is hidden with them. Every
// comment carries a marker, SECRET-... for the hidden, ANON-MARK-... for the shown, and
// the hidden staff's ratings make figures no shown cell has.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report_figures.hpp"
#include "server_process.hpp"

namespace {

using hrs::testing::check_cell;
using hrs::testing::create_invitation;
using hrs::testing::expect_cell;
using hrs::testing::expected_cell;
using hrs::testing::http_client;
using hrs::testing::mean_of;
using hrs::testing::run_hrsurvey;
using hrs::testing::served_store;
using hrs::testing::server_process;
using hrs::testing::suppressed_cell;
using json = nlohmann::json;

const std::vector<std::string> dimensions = {"courtesy", "expectations", "quality", "timeliness"};

double standard_of(const std::string& dimension) {
  return dimension == "expectations" ? 3.0 : 4.0;
}

struct response {
  std::string staff;
  std::map<std::string, int> ratings;
  std::string request_type;
  int importance;
  std::string comment;
};

response make(std::string staff, int c, int t, int q, int e, std::string request_type,
              int importance, std::string comment) {
  return {std::move(staff),
          {{"courtesy", c}, {"timeliness", t}, {"quality", q}, {"expectations", e}},
          std::move(request_type),
          importance,
          std::move(comment)};
}

const std::vector<response> responses = {
    // Ana Pop (s-101): 9 invitation responses.
    make("s-101", 5, 5, 4, 4, "benefits", 5, "ANON-MARK-ana-1"),
    make("s-101", 5, 4, 5, 4, "benefits", 5, "ANON-MARK-ana-2"),
    make("s-101", 4, 5, 5, 5, "benefits", 5, "ANON-MARK-ana-3"),
    make("s-101", 5, 5, 5, 4, "benefits", 5, "ANON-MARK-ana-4"),
    make("s-101", 5, 4, 4, 5, "benefits", 5, "ANON-MARK-ana-5"),
    make("s-101", 5, 5, 5, 5, "benefits", 5, "ANON-MARK-ana-6"),
    make("s-101", 4, 4, 5, 4, "benefits", 5, "ANON-MARK-ana-7"),
    make("s-101", 5, 5, 4, 5, "benefits", 5, "ANON-MARK-ana-8"),
    make("s-101", 5, 5, 5, 5, "benefits", 5, "ANON-MARK-ana-9"),
    // Ioana Marin (s-105): 6 campaign responses.
    make("s-105", 4, 4, 4, 3, "payroll", 4, "ANON-MARK-ioana-1"),
    make("s-105", 4, 3, 4, 4, "payroll", 4, "ANON-MARK-ioana-2"),
    make("s-105", 5, 4, 4, 3, "payroll", 4, "ANON-MARK-ioana-3"),
    make("s-105", 4, 4, 3, 4, "payroll", 4, "ANON-MARK-ioana-4"),
    make("s-105", 3, 4, 4, 3, "payroll", 4, "ANON-MARK-ioana-5"),
    make("s-105", 4, 4, 4, 4, "payroll", 4, "ANON-MARK-ioana-6"),
    // Marco Rossi (s-102): exactly 5.
    make("s-102", 1, 2, 1, 1, "other", 3, "SECRET-marco-1"),
    make("s-102", 2, 2, 1, 1, "other", 3, "SECRET-marco-2"),
    make("s-102", 1, 2, 1, 2, "other", 3, "SECRET-marco-3"),
    make("s-102", 2, 1, 1, 1, "other", 3, "SECRET-marco-4"),
    make("s-102", 1, 2, 2, 1, "other", 3, "SECRET-marco-5"),
    // Lucía Gómez (s-103): 1, all 5s: praise, were she shown.
    make("s-103", 5, 5, 5, 5, "policy", 2, "SECRET-lucia-1"),
    // Chen Wei (s-104): 2.
    make("s-104", 2, 1, 1, 2, "training", 1, "SECRET-chen-1"),
    make("s-104", 1, 1, 2, 1, "training", 1, "SECRET-chen-2"),
    // Sam Lee (s-106): none.
};

const std::vector<std::string> all_staff = {"s-101", "s-102", "s-103", "s-104", "s-105", "s-106"};
// Under k = 5, alone or together with the members under it.
const std::vector<std::string> hidden_at_5 = {"s-102", "s-103", "s-104", "s-106"};
// Under k = 3: Lucía and Chen hold 3 responses together, so Marco is shown.
const std::vector<std::string> hidden_at_3 = {"s-103", "s-104", "s-106"};

std::vector<int> ratings_of(const std::string& staff, const std::string& dimension) {
  std::vector<int> out;
  for (const auto& r : responses)
    if (r.staff == staff) out.push_back(r.ratings.at(dimension));
  return out;
}

double department_mean(const std::string& dimension) {
  std::vector<int> all;
  for (const auto& r : responses)
    all.push_back(r.ratings.at(dimension));
  return mean_of(all);
}

expected_cell expected_for(const std::string& staff, const std::string& dimension) {
  return expect_cell(ratings_of(staff, dimension), standard_of(dimension),
                     department_mean(dimension));
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string format(const char* spec, double value) {
  char text[64];
  std::snprintf(text, sizeof text, spec, value);
  return text;
}

// What would give a cell of these figures away, in each renderer's own format: the
// compact JSON fields, the CSV figures from n to the counts, the terminal table's cell.
struct tell_tales {
  std::vector<std::string> json;
  std::vector<std::string> csv;
  std::vector<std::string> table;
};

tell_tales tell_tales_of(const expected_cell& e) {
  tell_tales out;
  out.json.push_back("\"histogram\":" + json(e.histogram).dump());
  out.json.push_back("\"n\":" + std::to_string(e.n) + ",");
  out.json.push_back("\"mean\":" + json(e.mean).dump() + ",");
  out.json.push_back("\"shrunk_mean\":" + json(e.shrunk_mean).dump());
  std::string counts;
  for (auto c : e.histogram)
    counts += "," + std::to_string(c);
  std::string csv = std::to_string(e.n) + "," + format("%.6g", e.mean) + ",";
  csv += e.ci95 ? format("%.6g", e.ci95->first) + "," + format("%.6g", e.ci95->second) + ","
                : std::string(",,");
  csv += format("%.6g", e.csat) + "," + format("%.6g", e.csat_ci95.first) + "," +
         format("%.6g", e.csat_ci95.second) + counts + ",";
  out.csv.push_back(csv);
  out.csv.push_back(counts + "," + format("%.6g", e.standard) + "," + e.vs_standard + ",");
  std::string cell = format("%.2f", e.mean);
  if (e.ci95)
    cell += " (" + format("%.2f", e.ci95->first) + "-" + format("%.2f", e.ci95->second) + ")";
  cell += " n=" + std::to_string(e.n);
  out.table.push_back(cell);
  return out;
}

// True when `token` occurs in `text` not followed by a digit ("n=2" is not in "n=23").
bool contains_token(std::string_view text, std::string_view token) {
  for (auto at = text.find(token); at != std::string_view::npos; at = text.find(token, at + 1)) {
    const auto next = at + token.size();
    if (next == text.size() || !std::isdigit(static_cast<unsigned char>(text[next]))) return true;
  }
  return false;
}

// Every output, by where it came from; JSON bodies re-dumped compact.
struct outputs {
  std::vector<std::pair<std::string, json>> json_docs;
  std::vector<std::pair<std::string, std::string>> csv_texts;
  std::vector<std::pair<std::string, std::string>> table_texts;

  std::vector<std::pair<std::string, std::string>> raw_texts() const {
    std::vector<std::pair<std::string, std::string>> all;
    for (const auto& [where, doc] : json_docs)
      all.emplace_back(where, doc.dump());
    all.insert(all.end(), csv_texts.begin(), csv_texts.end());
    all.insert(all.end(), table_texts.begin(), table_texts.end());
    return all;
  }
};

void fill(served_store& store, http_client& client) {
  for (const auto& r : responses) {
    json answers = {
        {"request_type", r.request_type}, {"importance", r.importance}, {"comment", r.comment}};
    for (const auto& [dimension, value] : r.ratings)
      answers[dimension] = value;
    json body = {{"answers", answers}};
    std::string target = "/api/v1/campaigns/hr-service/responses";
    if (r.staff == "s-101") {
      body["token"] = create_invitation(client, store.integration.secret, {r.staff});
      target = "/api/v1/responses";
    } else {
      body["answers"]["staff"] = {r.staff};
    }
    const auto reply = client.post_json(target, body);
    INFO(reply.body);
    REQUIRE(reply.status == 201);
  }
}

// GETs every report the HTTP API has, for every staff member, filter and bucket.
void collect_http(http_client& client, const std::string& token, outputs& out) {
  auto get = [&](const std::string& target) {
    const auto reply = client.get(target, token);
    INFO(target << ": " << reply.body);
    REQUIRE(reply.status == 200);
    return reply;
  };
  std::vector<std::string> json_targets = {
      "/api/v1/reports/staff",
      "/api/v1/reports/staff?sort=courtesy",
      "/api/v1/reports/staff?sort=quality",
      "/api/v1/reports/overview",
  };
  for (const std::string team : {"benefits", "payroll", "recruiting"}) {
    json_targets.push_back("/api/v1/reports/staff?team=" + team);
    json_targets.push_back("/api/v1/reports/overview?team=" + team);
  }
  for (const auto& id : all_staff) {
    json_targets.push_back("/api/v1/reports/staff/" + id);
    json_targets.push_back("/api/v1/reports/staff/" + id + "?bucket=week");
    json_targets.push_back("/api/v1/reports/staff/" + id + "/comments?limit=200");
    json_targets.push_back("/api/v1/reports/staff/" + id + "/comments?limit=1&offset=0");
  }
  for (const auto& target : json_targets) {
    auto doc = get(target).json();
    REQUIRE(doc.is_object());
    out.json_docs.emplace_back("GET " + target, std::move(doc));
  }
  for (const std::string target :
       {"/api/v1/reports/staff.csv", "/api/v1/reports/staff.csv?team=benefits",
        "/api/v1/reports/staff.csv?sort=timeliness"})
    out.csv_texts.emplace_back("GET " + target, get(target).body);
}

// Runs `hrsurvey report` in every format, for all staff and for each one.
void collect_cli(const served_store& store, const std::vector<std::string>& settings,
                 outputs& out) {
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"report", "--db", store.db().string()});
    args.insert(args.end(), settings.begin(), settings.end());
    std::string command;
    for (const auto& a : args)
      command += " " + a;
    const auto result = run_hrsurvey(args);
    INFO("hrsurvey" << command << "\n" << result.err);
    REQUIRE(result.exit_code == 0);
    return std::pair{"hrsurvey" + command, result.out};
  };
  std::vector<std::vector<std::string>> selections = {{}, {"--team", "benefits"}};
  for (const auto& id : all_staff) {
    selections.push_back({"--staff", id});
    selections.push_back({"--staff", id, "--bucket", "week"});
  }
  for (const auto& selection : selections) {
    for (const std::string format : {"table", "json", "csv"}) {
      auto args = selection;
      args.insert(args.end(), {"--format", format});
      auto [where, text] = run(args);
      if (format == "json") {
        auto doc = json::parse(text, nullptr, false);
        INFO(where << "\n" << text);
        REQUIRE(doc.is_object());
        out.json_docs.emplace_back(where, std::move(doc));
      } else if (format == "csv") {
        out.csv_texts.emplace_back(where, text);
      } else {
        out.table_texts.emplace_back(where, text);
      }
    }
  }
}

// Calls `visit` on every object in `doc`, depth first.
template <class Visit>
void for_each_object(const json& doc, Visit visit) {
  if (doc.is_object()) visit(doc);
  if (doc.is_structured())
    for (const auto& child : doc)
      for_each_object(child, visit);
}

// Every cell in `cells` (dimension -> cell) is suppressed with `threshold`.
void check_cells_suppressed(const json& cells, int threshold) {
  REQUIRE(cells.is_object());
  for (const auto& [dimension, cell] : cells.items()) {
    CAPTURE(dimension);
    CHECK(cell == suppressed_cell(threshold));
  }
}

// The parsed outputs: wherever a hidden staff member appears, every cell is exactly
// {"suppressed": true, "fewer_than": k}; they appear in no standing; their own reports
// have no shown cell, strength, praise or comment anywhere.
void check_json_outputs(const outputs& out, const std::vector<std::string>& hidden, int threshold) {
  for (const auto& [where, doc] : out.json_docs) {
    INFO(where << "\n" << doc.dump(2));
    CHECK(doc["anonymity_threshold"] == threshold);
    for_each_object(doc, [&](const json& object) {
      if (!object.contains("id") || !object["id"].is_string()) return;
      const auto id = object["id"].get<std::string>();
      if (!contains(hidden, id)) return;
      CAPTURE(id);
      CHECK(!object.contains("figures"));  // never among the staff above or below standard
      if (object.contains("dimensions")) check_cells_suppressed(object["dimensions"], threshold);
    });
    const auto staff = doc.contains("staff") && doc["staff"].is_string()
                           ? doc["staff"].get<std::string>()
                           : doc.value("id", std::string{});
    if (!contains(hidden, staff)) continue;
    // The staff member's own report or comments: nothing shown anywhere in it.
    for_each_object(doc, [&](const json& object) {
      CHECK(object.value("suppressed", true) == true);
      CHECK(!object.contains("n"));
      CHECK(!object.contains("mean"));
      CHECK(!object.contains("histogram"));
    });
    if (doc.contains("trend"))
      for (const auto& point : doc["trend"])
        check_cells_suppressed(point["dimensions"], threshold);
    if (doc.contains("segments"))
      for (const auto& segment : doc["segments"])
        for (const auto& value : segment["values"])
          check_cells_suppressed(value["dimensions"], threshold);
    if (doc.contains("recognition"))
      CHECK(doc["recognition"] == json{{"strengths", json::array()}, {"praise", json::array()}});
    if (doc.contains("comments")) CHECK(doc["comments"] == json::array());
  }
}

// The CSV rows of the hidden staff have every figure empty.
void check_csv_outputs(const outputs& out, const std::vector<std::string>& hidden, int threshold) {
  const std::map<std::string, std::string> names = {{"s-102", "Marco Rossi,benefits"},
                                                    {"s-103", "Lucía Gómez,payroll"},
                                                    {"s-104", "Chen Wei,payroll"},
                                                    {"s-106", "Sam Lee,recruiting"}};
  for (const auto& [where, text] : out.csv_texts) {
    INFO(where << "\n" << text);
    for (const auto& id : hidden) {
      for (const auto& d : dimensions) {
        const auto row = id + "," + names.at(id) + "," + d + ",";
        const auto at = text.find("\r\n" + row);
        if (at == std::string::npos) continue;  // not in this export
        CAPTURE(row);
        const auto fields =
            text.substr(at + 2 + row.size(), text.find("\r\n", at + 2) - at - 2 - row.size());
        CHECK(fields == ",,,,,,,,,,,,,,,fewer than " + std::to_string(threshold) + " responses");
      }
    }
  }
}

// The terminal tables: no line of a hidden staff member shows anything but "fewer than
// k", and no cell shows a count a shown cell cannot have.
void check_table_outputs(const outputs& out, const std::vector<std::string>& hidden,
                         int threshold) {
  const auto fewer = "fewer than " + std::to_string(threshold);
  for (const auto& [where, text] : out.table_texts) {
    INFO(where << "\n" << text);
    std::size_t start = 0;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      for (const auto& id : hidden) {
        if (!line.starts_with(id + " ")) continue;
        CAPTURE(line);
        CHECK(line.find(" n=") == std::string::npos);
        std::size_t cells = 0;
        for (auto at = line.find(fewer); at != std::string::npos; at = line.find(fewer, at + 1))
          ++cells;
        CHECK(cells == dimensions.size());
      }
    }
    const bool own_report = [&] {
      for (const auto& id : hidden)
        if (where.find("--staff " + id) != std::string::npos) return true;
      return false;
    }();
    if (own_report) {
      CHECK(text.find(" n=") == std::string::npos);
      CHECK(text.find("Strengths") == std::string::npos);
    }
  }
}

// Searches every raw output for the hidden staff's comments and figures.
void check_nothing_given_away(const outputs& out, const std::vector<std::string>& hidden) {
  for (const auto& [where, text] : out.raw_texts()) {
    INFO(where << "\n" << text);
    for (const auto& id : hidden) {
      for (const auto& r : responses)
        if (r.staff == id) CHECK(text.find(r.comment) == std::string::npos);
      if (ratings_of(id, "courtesy").empty()) continue;
      for (const auto& d : dimensions) {
        CAPTURE(id, d);
        const auto tales = tell_tales_of(expected_for(id, d));
        for (const auto& tale : tales.json)
          CHECK(text.find(tale) == std::string::npos);
        for (const auto& tale : tales.csv)
          CHECK(text.find(tale) == std::string::npos);
        for (const auto& tale : tales.table)
          CHECK(text.find(tale) == std::string::npos);
        CHECK(!contains_token(text, " n=" + std::to_string(ratings_of(id, d).size())));
      }
    }
  }
}

// Where `text` of the outputs contains `needle`.
std::vector<std::string> found_in(const outputs& out, const std::string& needle) {
  std::vector<std::string> where;
  for (const auto& [label, text] : out.raw_texts())
    if (text.find(needle) != std::string::npos) where.push_back(label);
  return where;
}

}  // namespace

TEST_CASE("no report output shows a figure or comment of staff under the threshold",
          "[http][reports][anonymity]") {
  served_store store;
  server_process server(store.db());
  http_client client(server.port());
  fill(store, client);

  // The figures the test hunts for are figures no shown cell has, and each renderer
  // shows them as tell_tales_of says: checked below at k = 3, where Marco is shown.
  outputs out;
  collect_http(client, store.lead.secret, out);
  collect_cli(store, {}, out);
  // 34 JSON bodies over HTTP, 14 from the command line.
  REQUIRE(out.json_docs.size() == 48);
  REQUIRE(out.csv_texts.size() == 3 + 14);
  REQUIRE(out.table_texts.size() == 14);

  check_json_outputs(out, hidden_at_5, 5);
  check_csv_outputs(out, hidden_at_5, 5);
  check_table_outputs(out, hidden_at_5, 5);
  check_nothing_given_away(out, hidden_at_5);

  // The shown staff are shown, so the search above looked where figures and comments
  // would be: Ana's and Ioana's comments and figures appear.
  const auto cards = client.get("/api/v1/reports/staff", store.lead.secret).json();
  for (const auto& card : cards["staff"]) {
    const auto id = card["id"].get<std::string>();
    if (contains(hidden_at_5, id)) continue;
    for (const auto& d : dimensions) {
      CAPTURE(id, d);
      check_cell(card["dimensions"][d], expected_for(id, d));
    }
  }
  CHECK(!found_in(out, "ANON-MARK-ana-9").empty());
  CHECK(!found_in(out, "ANON-MARK-ioana-1").empty());
  CHECK(!found_in(out, tell_tales_of(expected_for("s-101", "courtesy")).table[0]).empty());
  CHECK(!found_in(out, tell_tales_of(expected_for("s-105", "quality")).csv[0]).empty());
  CHECK(!found_in(out, tell_tales_of(expected_for("s-101", "timeliness")).json[0]).empty());

  // Marco is hidden only for the others' sake: on his own he has enough.
  CHECK(ratings_of("s-102", "courtesy").size() == 5);

  // The department by segment: "other" holds only Marco's 5 responses, "policy" and
  // "training" only Lucía's and Chen's; all three are hidden.
  const auto overview = client.get("/api/v1/reports/overview", store.lead.secret).json();
  for (const auto& segment : overview["segments"]) {
    for (const auto& value : segment["values"]) {
      const auto v = value["value"].get<std::string>();
      CAPTURE(segment["question"], v);
      if (v == "other" || v == "policy" || v == "training" || v == "1" || v == "2" || v == "3")
        check_cells_suppressed(value["dimensions"], 5);
      else
        CHECK(value["dimensions"]["courtesy"]["suppressed"] == false);
    }
  }
}

TEST_CASE("the anonymity threshold is configurable down to 3 and no lower",
          "[http][reports][anonymity]") {
  served_store store;
  {
    server_process server(store.db());
    http_client client(server.port());
    fill(store, client);
  }

  SECTION("at 3, Marco's 5 responses show and Lucía's and Chen's 3 still do not") {
    server_process server(store.db(), {"--anonymity-threshold", "3"});
    http_client client(server.port());
    outputs out;
    collect_http(client, store.lead.secret, out);
    collect_cli(store, {"--anonymity-threshold", "3"}, out);

    check_json_outputs(out, hidden_at_3, 3);
    check_csv_outputs(out, hidden_at_3, 3);
    check_table_outputs(out, hidden_at_3, 3);
    check_nothing_given_away(out, hidden_at_3);

    const auto cards = client.get("/api/v1/reports/staff", store.lead.secret).json();
    CHECK(cards["anonymity_threshold"] == 3);
    for (const auto& card : cards["staff"]) {
      const auto id = card["id"].get<std::string>();
      if (contains(hidden_at_3, id)) continue;
      for (const auto& d : dimensions) {
        CAPTURE(id, d);
        check_cell(card["dimensions"][d], expected_for(id, d));
      }
    }
    // Marco's figures and comments, in the form the k = 5 search looked for them.
    for (const auto& d : dimensions) {
      CAPTURE(d);
      const auto tales = tell_tales_of(expected_for("s-102", d));
      for (const auto& tale : tales.json)
        CHECK(!found_in(out, tale).empty());
      for (const auto& tale : tales.csv)
        CHECK(!found_in(out, tale).empty());
      for (const auto& tale : tales.table)
        CHECK(!found_in(out, tale).empty());
    }
    CHECK(!found_in(out, "SECRET-marco-5").empty());
    CHECK(!found_in(out, " n=5").empty());
  }
  SECTION("2 is refused by report and by serve") {
    const auto refused = run_hrsurvey(
        {"report", "--db", store.db().string(), "--format", "json", "--anonymity-threshold", "2"});
    CHECK(refused.exit_code != 0);
    CHECK(refused.out.find("Lucía") == std::string::npos);
    CHECK(refused.out.find("\"n\"") == std::string::npos);
    CHECK(refused.err.find("--anonymity-threshold") != std::string::npos);
    CHECK_THROWS(server_process(store.db(), {"--anonymity-threshold", "2"}));
  }
}
