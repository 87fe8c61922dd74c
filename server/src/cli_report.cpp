#include <fmt/format.h>

#include <cstdio>

#include "cli_commands.hpp"
#include "hrs/engine/time.hpp"
#include "hrs/reports/csv.hpp"
#include "hrs/reports/json.hpp"
#include "hrs/reports/text_table.hpp"

namespace hrs::server {

namespace {

constexpr engine::day_number default_period_days = 90;

engine::result<reports::report_query> query_of(const engine::store& s, const report_args& args) {
  auto query = args.settings.base_query();
  const auto today = engine::day_of(s.now());
  query.to = today;
  query.from = today - (default_period_days - 1);
  std::vector<engine::detail> problems;
  for (auto [name, text, field] :
       {std::tuple{"--from", &args.from, &query.from}, std::tuple{"--to", &args.to, &query.to}}) {
    if (text->empty()) continue;
    if (auto day = engine::parse_date(*text))
      *field = *day;
    else
      problems.push_back({name, "expected a date YYYY-MM-DD"});
  }
  if (problems.empty() && query.from > query.to)
    problems.push_back({"--from", "must not be after --to"});
  if (!problems.empty())
    return engine::fail(engine::errc::validation_failed, "the period is invalid",
                        std::move(problems));
  if (!args.team.empty()) query.team = args.team;
  if (!args.staff.empty()) query.staff = args.staff;
  if (!args.survey.empty()) query.survey = args.survey;
  return query;
}

void print_csv(const std::vector<reports::staff_scorecard>& cards, int threshold) {
  reports::write_scorecards_csv(cards, threshold, [](std::string_view piece) {
    std::fwrite(piece.data(), 1, piece.size(), stdout);
  });
}

}  // namespace

int report_print(const store_args& store, const report_args& args) {
  auto s = open_store(store, false);
  if (!s) return 1;
  auto query = query_of(*s, args);
  if (!query) return report_error(query.error());
  const std::optional<std::string> sort_by =
      args.sort.empty() ? std::nullopt : std::optional(args.sort);

  if (query->staff) {
    const auto bucket =
        args.bucket == "week" ? reports::trend_bucket::week : reports::trend_bucket::month;
    auto report = reports::staff_detail(*s, *query, bucket);
    if (!report) return report_error(report.error());
    if (args.format == "json")
      fmt::print("{}\n", reports::staff_report_json(*report, *query, bucket).dump(2));
    else if (args.format == "csv")
      print_csv({report->card}, query->threshold());
    else
      fmt::print("{}", reports::staff_report_table(*report, *query));
    return 0;
  }
  auto cards = reports::staff_scorecards(*s, *query, sort_by);
  if (!cards) return report_error(cards.error());
  if (args.format == "json")
    fmt::print("{}\n", reports::scorecards_json(*cards, *query).dump(2));
  else if (args.format == "csv")
    print_csv(cards->staff, query->threshold());
  else
    fmt::print("{}", reports::scorecards_table(*cards, *query));
  return 0;
}

}  // namespace hrs::server
