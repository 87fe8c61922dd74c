// Writes a store for the report benchmark (bench/report/run.sh): the shipped hr-service
// template, a roster of --staff HR staff in ten teams and --responses simulated responses
// over the --days days up to --end, through the engine's public API only (the same
// validation and aggregate upkeep as every other import).
//
// The data: each staff member has a true level per dimension (some well above the
// standard, some below) that drifts a little over the year, and a workload of their own
// (a few staff answer many more requests than others); request types follow the team;
// weekends are quiet; 8% of the responses also name a colleague of the same team.
// Responses rate courtesy, timeliness and quality and answer the segment questions
// request_type and importance; the optional expectations rating and comments are left
// out, so that scorecards have the three dimensions the report target was set for.
// Deterministic for a seed and an end date.

#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"
#include "hrs/engine/time.hpp"

namespace fs = std::filesystem;
using namespace hrs::engine;
using json = nlohmann::json;

namespace {

constexpr std::array<const char*, 7> request_types = {"benefits", "payroll", "leave", "hiring",
                                                      "training", "policy",  "other"};

struct team_profile {
  const char* name;
  double share;  // of the roster
  // Weights of the request types benefits, payroll, leave, hiring, training, policy, other.
  std::array<double, 7> request_weights;
};

constexpr std::array<team_profile, 10> teams = {{
    {"Benefits", 0.12, {6, 1, 2, 0.2, 0.2, 1, 0.6}},
    {"Payroll", 0.14, {0.8, 7, 1.2, 0.1, 0.1, 0.6, 0.5}},
    {"Talent Acquisition", 0.13, {0.3, 0.2, 0.3, 7, 1, 0.5, 0.6}},
    {"Employee Relations", 0.10, {0.6, 0.4, 3, 0.3, 0.3, 5, 1.5}},
    {"Learning & Development", 0.08, {0.2, 0.1, 0.3, 0.8, 7, 0.6, 0.8}},
    {"HR Operations", 0.12, {2, 2, 2, 1, 0.5, 1, 2}},
    {"Compensation", 0.07, {1.5, 4, 0.2, 0.8, 0.1, 1.5, 0.5}},
    {"Leave & Absence", 0.08, {0.8, 0.8, 7, 0.1, 0.1, 1, 0.4}},
    {"Mobility", 0.06, {1, 1, 0.5, 3, 0.5, 2, 2}},
    {"HR Business Partners", 0.10, {1, 1, 1, 2, 1.5, 3, 2}},
}};

constexpr std::array<const char*, 24> first_names = {
    "Giulia", "Daniel", "Mei-Ling", "Andrei", "Sarah", "Lucía", "Tomás",  "Hannah",
    "Marco",  "Ioana",  "Wei-Ting", "James",  "Elena", "Priya", "Stefan", "Chloe",
    "Sofia",  "Kevin",  "Ana",      "Peter",  "Amira", "Diego", "Claire", "Matteo"};
constexpr std::array<const char*, 25> last_names = {
    "Romano", "Okafor",  "Chen",   "Popescu", "Whitfield", "Fernández", "Ibarra",
    "Brooks", "Bianchi", "Huang",  "Carter",  "Navarro",   "Raman",     "Ionescu",
    "Martin", "Conti",   "Ortiz",  "Lin",     "Bennett",   "Greco",     "Nguyen",
    "Walsh",  "Haddad",  "Dubois", "Tsai"};

constexpr std::array<const char*, 5> locales = {"en", "it", "es", "ro", "zh-Hant"};

// A staff member's true level on each dimension at the start of the period, the change
// of that level over the period, and their share of the requests.
struct staff_profile {
  std::string id;
  std::size_t team = 0;
  std::array<double, 3> level{};  // courtesy, timeliness, quality
  double drift = 0;
  double workload = 1;
};

struct settings {
  std::string db;
  std::string defs = fs::path(HRS_SOURCE_DIR) / "survey_defs";
  std::size_t responses = 1'000'000;
  std::size_t staff = 500;
  int days = 365;
  std::string end;  // YYYY-MM-DD; empty: today (UTC)
  std::uint64_t seed = 1;
  std::size_t batch = 5000;
};

// Produces the responses in time order, one batch at a time. Not thread-safe: one
// batch is made at a time (on whichever thread), while the previous one is stored.
class generator {
 public:
  generator(const settings& opts, const survey& definition, day_number first_day)
      : definition_(definition), first_day_(first_day), days_(opts.days), rng_(opts.seed) {
    make_roster(opts.staff);
    plan_days(opts.responses);
    std::vector<double> workloads;
    for (const auto& p : profiles_)
      workloads.push_back(p.workload);
    pick_staff_ = std::discrete_distribution<std::size_t>(workloads.begin(), workloads.end());
    for (const auto& t : teams)
      pick_type_.emplace_back(t.request_weights.begin(), t.request_weights.end());
  }

  const std::vector<staff_member>& roster() const { return roster_; }

  // Returns up to `count` more responses; empty when all were made.
  std::vector<historical_response> next_batch(std::size_t count) {
    std::vector<historical_response> batch;
    batch.reserve(count);
    while (batch.size() < count && day_index_ < per_day_.size()) {
      if (made_today_ == per_day_[day_index_]) {
        ++day_index_;
        made_today_ = 0;
        continue;
      }
      batch.push_back(make_response());
      ++made_today_;
    }
    return batch;
  }

 private:
  void make_roster(std::size_t staff) {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::lognormal_distribution<double> workload(0.0, 0.5);
    double share_sum = 0;
    for (const auto& t : teams)
      share_sum += t.share;
    // Team sizes follow the shares; the rounding remainder goes to the first teams.
    std::vector<std::size_t> sizes;
    std::size_t assigned = 0;
    for (const auto& t : teams) {
      sizes.push_back(static_cast<std::size_t>(static_cast<double>(staff) * t.share / share_sum));
      assigned += sizes.back();
    }
    for (std::size_t i = 0; assigned < staff; i = (i + 1) % sizes.size(), ++assigned)
      ++sizes[i];
    for (std::size_t t = 0; t < teams.size(); ++t) {
      team_members_.emplace_back();
      for (std::size_t k = 0; k < sizes[t]; ++k) {
        const std::size_t i = profiles_.size();
        staff_profile p;
        p.id = fmt::format("s-{:04}", i + 1);
        p.team = t;
        const double overall = 3.95 + 0.45 * normal(rng_);
        p.level = {overall + 0.15 * normal(rng_), overall + 0.25 * normal(rng_),
                   overall + 0.15 * normal(rng_)};
        p.drift = 0.25 * normal(rng_);
        p.workload = workload(rng_);
        roster_.push_back(
            {p.id,
             fmt::format("{} {}", first_names[i % first_names.size()],
                         last_names[(i / first_names.size() + 7 * i) % last_names.size()]),
             teams[t].name});
        team_members_.back().push_back(i);
        profiles_.push_back(std::move(p));
      }
    }
  }

  // Splits the responses over the days: weekends are quiet, and there is a mild
  // seasonal swing. The counts add up to exactly `total`.
  void plan_days(std::size_t total) {
    std::vector<double> weight;
    for (int d = 0; d < days_; ++d) {
      const day_number day = first_day_ + d;
      const int weekday = static_cast<int>((day + 3) % 7);  // 0 = Monday (1970-01-01: Thursday)
      const double week = weekday == 5 ? 0.08 : weekday == 6 ? 0.05 : 1.0;
      const double season =
          1.0 + 0.15 * std::sin(2 * std::numbers::pi * static_cast<double>(day) / 365.25);
      weight.push_back(week * season);
    }
    double sum = 0;
    for (double w : weight)
      sum += w;
    double cumulative = 0;
    std::size_t placed = 0;
    for (double w : weight) {
      cumulative += w;
      const auto upto =
          static_cast<std::size_t>(std::llround(static_cast<double>(total) * cumulative / sum));
      per_day_.push_back(std::min(upto, total) - placed);
      placed += per_day_.back();
    }
    per_day_.back() += total - placed;
  }

  int rating(double level) {
    return static_cast<int>(std::clamp(std::lround(level + noise_(rng_)), 1L, 5L));
  }

  historical_response make_response() {
    const day_number day = first_day_ + static_cast<day_number>(day_index_);
    const double progress =
        static_cast<double>(day_index_) / std::max(1.0, static_cast<double>(days_ - 1));
    const auto& who = profiles_[pick_staff_(rng_)];
    std::vector<std::string> staff{who.id};
    if (unit_(rng_) < 0.08) {
      const auto& members = team_members_[who.team];
      std::uniform_int_distribution<std::size_t> pick_member(0, members.size() - 1);
      const auto& colleague = profiles_[members[pick_member(rng_)]];
      if (colleague.id != who.id) staff.push_back(colleague.id);
    }
    const int importance =
        std::clamp(static_cast<int>(std::lround(3.4 + 1.1 * unit_normal_(rng_))), 1, 5);
    // Urgent requests are judged more harshly on timeliness.
    const double urgency = importance >= 4 ? -0.25 : 0.1;
    const double drift = who.drift * (progress - 0.5);
    json answers = {{"request_type", request_types[pick_type_[who.team](rng_)]},
                    {"importance", importance},
                    {"courtesy", rating(who.level[0] + drift)},
                    {"timeliness", rating(who.level[1] + drift + urgency)},
                    {"quality", rating(who.level[2] + drift)}};
    const auto seconds =
        static_cast<unix_seconds>(unit_(rng_) * static_cast<double>(seconds_per_day - 1));
    return {definition_.id,
            definition_.version,
            static_cast<unix_seconds>(day) * seconds_per_day + seconds,
            locales[pick_locale_(rng_)],
            std::move(staff),
            std::move(answers)};
  }

  const survey& definition_;
  day_number first_day_;
  int days_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> noise_{0.0, 0.85};
  std::normal_distribution<double> unit_normal_{0.0, 1.0};
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  std::discrete_distribution<std::size_t> pick_locale_{70, 8, 10, 6, 6};
  std::discrete_distribution<std::size_t> pick_staff_;
  std::vector<std::discrete_distribution<std::size_t>> pick_type_;
  std::vector<staff_member> roster_;
  std::vector<staff_profile> profiles_;
  std::vector<std::vector<std::size_t>> team_members_;
  std::vector<std::size_t> per_day_;
  std::size_t day_index_ = 0;
  std::size_t made_today_ = 0;
};

int fail_with(const std::string& what, const error& err) {
  fmt::print(stderr, "hrs_make_report_dataset: {}: {}{}{}\n", what, err.message,
             err.log.empty() ? "" : " ", err.log);
  for (const auto& d : err.details)
    fmt::print(stderr, "  {}: {}\n", d.path, d.message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"writes a store of simulated responses for the report benchmark"};
  settings opts;
  app.add_option("db", opts.db, "store file to create (must not exist)")->required();
  app.add_option("--responses", opts.responses, "responses to simulate")->capture_default_str();
  app.add_option("--staff", opts.staff, "HR staff in the roster")
      ->check(CLI::Range(std::size_t{10}, std::size_t{9999}))
      ->capture_default_str();
  app.add_option("--days", opts.days, "days the responses are spread over, up to --end")
      ->check(CLI::Range(1, 3660))
      ->capture_default_str();
  app.add_option("--end", opts.end, "last day of the period, YYYY-MM-DD (default: today, UTC)");
  app.add_option("--seed", opts.seed, "random seed; the same seed and end give the same data")
      ->capture_default_str();
  app.add_option("--defs", opts.defs, "folder holding hr-service.json")->capture_default_str();
  app.add_option("--batch", opts.batch, "responses stored per transaction")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  day_number last_day = day_of(now_seconds());
  if (!opts.end.empty()) {
    auto parsed = parse_date(opts.end);
    if (!parsed) {
      fmt::print(stderr, "hrs_make_report_dataset: --end {} is not a date YYYY-MM-DD\n", opts.end);
      return 1;
    }
    last_day = *parsed;
  }
  const day_number first_day = last_day - (opts.days - 1);
  if (fs::exists(opts.db)) {
    fmt::print(stderr, "hrs_make_report_dataset: {} exists; give a new file\n", opts.db);
    return 1;
  }

  auto opened = store::open(store_options{.file = opts.db});
  if (!opened) return fail_with("open " + opts.db, opened.error());
  auto& s = **opened;
  const auto template_file = fs::path(opts.defs) / "hr-service.json";
  auto definition = load_definition_file(template_file);
  if (!definition) {
    for (const auto& line : format_problems(template_file, definition.error()))
      fmt::print(stderr, "{}\n", line);
    return 1;
  }
  if (auto registered = register_survey(s, *definition, command_line_actor("make_dataset"));
      !registered)
    return fail_with("registering " + template_file.string(), registered.error());

  const auto started = std::chrono::steady_clock::now();
  generator gen(opts, *definition, first_day);
  if (auto imported = import_staff(s, gen.roster(), command_line_actor("make_dataset")); !imported)
    return fail_with("importing the roster", imported.error());

  // The next batch is made on another thread while this one validates and stores the
  // current one; the batches are made and stored in order, so the data, and the order
  // of the response ids, depend only on the seed and the end date.
  const bool terminal = isatty(fileno(stderr)) != 0;
  std::size_t stored = 0, next_report = 0;
  auto next = std::async(std::launch::async, [&] { return gen.next_batch(opts.batch); });
  for (;;) {
    auto batch = next.get();
    if (batch.empty()) break;
    next = std::async(std::launch::async, [&] { return gen.next_batch(opts.batch); });
    auto imported = import_responses(s, std::move(batch));
    if (!imported) return fail_with("storing responses", imported.error());
    stored += *imported;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // A line that rewrites itself on a terminal, one line per tenth in a log.
    if (terminal || stored >= next_report || stored == opts.responses) {
      fmt::print(stderr, "{}stored {} / {} responses ({:.0f}/s){}", terminal ? "\r" : "", stored,
                 opts.responses, static_cast<double>(stored) / seconds, terminal ? "" : "\n");
      next_report = stored + std::max<std::size_t>(opts.responses / 10, 1);
    }
  }
  if (terminal) fmt::print(stderr, "\n");
  s.close();  // folds what is left into the aggregates
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("{}: {} responses, {} staff in {} teams, {} to {}, seed {}, {:.1f} s ({:.0f}/s)\n",
             opts.db, stored, gen.roster().size(), teams.size(), format_date(first_day),
             format_date(last_day), opts.seed, seconds, static_cast<double>(stored) / seconds);
  return 0;
}
