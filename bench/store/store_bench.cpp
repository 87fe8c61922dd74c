// Store write throughput: hrsurvey's writer (group commit, exact aggregates) next to
// plain SQLite writing the same response rows on the same disk, in one run.
//
//   (a) plain SQLite, one transaction per response
//   (b) plain SQLite, bare inserts in groups of 64, no aggregates
//   (c) plain SQLite, groups of 64 plus a naive aggregate upsert per response, dimension
//       and segment (3 dimensions x (overall + 2 segments) = 9 upserts)
//   writer: submit_response (invitation mode) or submit_campaign_response with 1 or 64
//       submits in flight, aggregates kept exact
//
// Every mode uses WAL, synchronous=FULL and a 256 MiB cache. Rounds interleave the modes
// so that a noisy neighbour hurts all of them alike; the table shows medians.

#include <fmt/format.h>
#include <sqlite3.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <latch>
#include <map>
#include <random>
#include <semaphore>
#include <thread>

#include "hrs/engine/demo.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"

namespace fs = std::filesystem;
using namespace hrs::engine;
using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

namespace {

json random_answers(std::mt19937_64& rng) {
  static const char* types[] = {"benefits", "payroll", "leave", "hiring",
                                "training", "policy",  "other"};
  std::uniform_int_distribution<int> score(1, 5), type(0, 6);
  json a = {
      {"request_type", types[type(rng)]}, {"importance", score(rng)}, {"courtesy", score(rng)},
      {"timeliness", score(rng)},         {"quality", score(rng)},    {"expectations", score(rng)}};
  if (score(rng) == 5) a["comment"] = "Quick and friendly, thank you for sorting out my payslip.";
  return a;
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fmt::print(stderr, "{}: {}\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

void exec(sqlite3* db, const char* sql) {
  check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

// Plain SQLite on the response rows hrsurvey stores; returns responses per second.
double plain_sqlite(const fs::path& file, const std::vector<std::string>& answers,
                    std::size_t group, bool naive_aggregates) {
  fs::remove(file);
  sqlite3* db = nullptr;
  check(sqlite3_open(file.c_str(), &db), db, "open");
  exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;");
  exec(db,
       "CREATE TABLE responses (id INTEGER PRIMARY KEY, survey TEXT NOT NULL, version INTEGER NOT "
       "NULL, "
       "received_at INTEGER NOT NULL, locale TEXT NOT NULL, staff TEXT NOT NULL, answers TEXT NOT "
       "NULL);"
       "CREATE TABLE agg (survey TEXT, day INTEGER, staff TEXT, dimension TEXT, segment TEXT, c1, "
       "c2, c3, c4, c5,"
       " PRIMARY KEY (survey, day, staff, dimension, segment)) WITHOUT ROWID;");
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v2(
            db,
            "INSERT INTO responses (survey, version, received_at, locale, staff, answers) "
            "VALUES ('hr-service', 1, ?1, 'en', ?2, ?3)",
            -1, &insert, nullptr),
        db, "prepare");
  sqlite3_stmt* upsert = nullptr;
  check(sqlite3_prepare_v2(
            db,
            "INSERT INTO agg VALUES ('hr-service', ?1, ?2, ?3, ?4, ?5=1, ?5=2, ?5=3, ?5=4, ?5=5) "
            "ON CONFLICT DO UPDATE SET c1=c1+excluded.c1, c2=c2+excluded.c2, c3=c3+excluded.c3, "
            "c4=c4+excluded.c4, c5=c5+excluded.c5",
            -1, &upsert, nullptr),
        db, "prepare");
  const auto start = clock_type::now();
  const auto now = now_seconds();
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (i % group == 0) exec(db, "BEGIN IMMEDIATE");
    const std::string staff = fmt::format("[\"s-{}\"]", 101 + i % 40);
    sqlite3_bind_int64(insert, 1, now);
    sqlite3_bind_text(insert, 2, staff.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, answers[i].c_str(), -1, SQLITE_STATIC);
    check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
    if (naive_aggregates) {
      const auto a = json::parse(answers[i]);
      const std::string segments[] = {"", "request_type=" + a["request_type"].get<std::string>(),
                                      "importance=" + a["importance"].dump()};
      for (const char* dim : {"courtesy", "timeliness", "quality"}) {
        for (const auto& segment : segments) {
          sqlite3_bind_int64(upsert, 1, day_of(now));
          sqlite3_bind_text(upsert, 2, staff.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(upsert, 3, dim, -1, SQLITE_STATIC);
          sqlite3_bind_text(upsert, 4, segment.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int(upsert, 5, a[dim].get<int>());
          check(sqlite3_step(upsert), db, "upsert");
          sqlite3_reset(upsert);
        }
      }
    }
    if ((i + 1) % group == 0 || i + 1 == answers.size()) exec(db, "COMMIT");
  }
  const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  sqlite3_finalize(insert);
  sqlite3_finalize(upsert);
  sqlite3_close(db);
  return static_cast<double>(answers.size()) / seconds;
}

enum class writer_mode { invitation, campaign };

// hrsurvey's writer; returns responses per second (invitations are made beforehand and
// not timed).
double through_writer(const fs::path& file, const std::vector<json>& answers, std::size_t in_flight,
                      writer_mode mode) {
  for (const char* suffix : {"", "-wal", "-shm"})
    fs::remove(file.string() + suffix);
  auto opened = store::open(store_options{.file = file});
  if (!opened) {
    fmt::print(stderr, "open: {} {}\n", opened.error().message, opened.error().log);
    std::exit(1);
  }
  auto& s = **opened;
  if (!sync_definitions(s, fs::path(HRS_SOURCE_DIR) / "survey_defs",
                        command_line_actor("store_bench"))
           .ok ||
      !import_staff(s, demo_roster(), command_line_actor("store_bench"))) {
    fmt::print(stderr, "setting up the store failed\n");
    std::exit(1);
  }
  const std::size_t n = answers.size();
  std::vector<std::string> tokens(n);
  if (mode == writer_mode::invitation) {
    std::atomic<std::size_t> next{0};
    std::vector<std::jthread> makers;
    for (int t = 0; t < 32; ++t) {
      makers.emplace_back([&] {
        for (std::size_t i; (i = next++) < n;) {
          auto inv = create_invitation(
              s, {"hr-service", {fmt::format("s-{}", 101 + i % 40)}, "en", std::nullopt, 14});
          if (!inv) std::exit(1);
          tokens[i] = *inv->token;
        }
      });
    }
  }
  // Like the server: two threads (the cores) keep up to `in_flight` submits outstanding
  // through the completion API, instead of one blocked thread per request.
  std::atomic<std::size_t> next{0}, failures{0};
  const std::size_t drivers = std::min<std::size_t>(2, in_flight);
  std::latch go(static_cast<std::ptrdiff_t>(drivers) + 1);
  std::vector<std::jthread> threads;
  for (std::size_t t = 0; t < drivers; ++t) {
    threads.emplace_back([&, t] {
      const std::size_t window = in_flight / drivers + (t < in_flight % drivers ? 1 : 0);
      std::counting_semaphore<1024> slots(static_cast<std::ptrdiff_t>(window));
      go.arrive_and_wait();
      for (std::size_t i; (i = next++) < n;) {
        slots.acquire();
        auto done = [&](result<stored_response> r) {
          if (!r) ++failures;
          slots.release();
        };
        auto a = answers[i];
        if (mode == writer_mode::invitation) {
          submit_response(s, {tokens[i], "", std::move(a)}, done);
        } else {
          a["staff"] = {fmt::format("s-{}", 101 + i % 40)};
          submit_campaign_response(s, {"hr-service", "", std::move(a)}, done);
        }
      }
      for (std::size_t k = 0; k < window; ++k)
        slots.acquire();
    });
  }
  const auto start = clock_type::now();
  go.arrive_and_wait();
  threads.clear();
  const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  const auto stats = s.stats();
  fmt::print(stderr, "  writer: {} groups, mean {:.1f} writes, largest {}, {} folds\n",
             stats.groups,
             static_cast<double>(stats.writes) /
                 static_cast<double>(std::max<std::uint64_t>(stats.groups, 1)),
             stats.largest_group, stats.folds);
  if (failures > 0) {
    fmt::print(stderr, "{} submits failed\n", failures.load());
    std::exit(1);
  }
  return static_cast<double>(n) / seconds;
}

double median(std::vector<double> v) {
  std::ranges::sort(v);
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hrsurvey store write benchmark"};
  std::size_t n = 20000, rounds = 5;
  std::string dir = "build/bench-store";
  app.add_option("--responses", n, "responses per mode and round")->capture_default_str();
  app.add_option("--rounds", rounds, "rounds; the table shows medians")->capture_default_str();
  app.add_option("--dir", dir, "folder for the store files (same disk for every mode)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  fs::create_directories(dir);

  std::mt19937_64 rng(7);
  std::vector<json> answers;
  std::vector<std::string> rows;
  for (std::size_t i = 0; i < n; ++i) {
    answers.push_back(random_answers(rng));
    rows.push_back(answers.back().dump());
  }
  const std::size_t single_n = std::min<std::size_t>(n, 3000);  // one commit each is slow
  const std::vector<std::string> single_rows(rows.begin(),
                                             rows.begin() + static_cast<std::ptrdiff_t>(single_n));
  const std::vector<json> single_answers(answers.begin(),
                                         answers.begin() + static_cast<std::ptrdiff_t>(single_n));

  struct mode {
    std::string name;
    std::function<double()> run;
  };
  const fs::path file = fs::path(dir) / "bench.db";
  const std::vector<mode> modes = {
      {"(a) sqlite, 1 transaction per response",
       [&] { return plain_sqlite(file, single_rows, 1, false); }},
      {"(b) sqlite, bare inserts in groups of 64",
       [&] { return plain_sqlite(file, rows, 64, false); }},
      {"(c) sqlite, groups of 64 + 9 naive upserts each",
       [&] { return plain_sqlite(file, rows, 64, true); }},
      {"writer, invitations, 1 in flight",
       [&] { return through_writer(file, single_answers, 1, writer_mode::invitation); }},
      {"writer, invitations, 64 in flight",
       [&] { return through_writer(file, answers, 64, writer_mode::invitation); }},
      {"writer, campaign, 64 in flight",
       [&] { return through_writer(file, answers, 64, writer_mode::campaign); }},
  };
  std::map<std::string, std::vector<double>> rates;
  for (std::size_t r = 0; r < rounds; ++r) {
    for (const auto& m : modes) {
      rates[m.name].push_back(m.run());
      fmt::print(stderr, "round {}: {:<50} {:>9.0f}/s\n", r + 1, m.name, rates[m.name].back());
    }
  }
  const double baseline = median(rates["(b) sqlite, bare inserts in groups of 64"]);
  fmt::print("\n| mode | responses/s (median of {}) | vs (b) |\n|---|---:|---:|\n", rounds);
  for (const auto& m : modes) {
    const double rate = median(rates[m.name]);
    fmt::print("| {} | {:.0f} | {:.2f}x |\n", m.name, rate, rate / baseline);
  }
  for (const char* suffix : {"", "-wal", "-shm"})
    fs::remove(file.string() + suffix);
  return 0;
}
