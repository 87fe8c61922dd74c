#include <csv.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "hrs/engine/roster.hpp"

namespace hrs::engine {

namespace {

// Collects libcsv's callbacks into records, remembering the line each starts on. The
// input is fed one physical line at a time because libcsv skips blank lines silently:
// a record ends on the line being fed, and starts as many lines earlier as its quoted
// fields hold newlines.
struct csv_collector {
  std::vector<std::vector<std::string>> records;
  std::vector<std::size_t> record_lines;
  std::vector<std::string> current;
  std::size_t feeding_line = 1;
  std::size_t newlines_in_record = 0;

  static void on_field(void* data, std::size_t size, void* self) {
    auto& c = *static_cast<csv_collector*>(self);
    std::string field(static_cast<const char*>(data), size);
    c.newlines_in_record += static_cast<std::size_t>(std::ranges::count(field, '\n'));
    c.current.push_back(std::move(field));
  }
  static void on_record(int, void* self) {
    auto& c = *static_cast<csv_collector*>(self);
    c.records.push_back(std::move(c.current));
    c.record_lines.push_back(c.feeding_line - c.newlines_in_record);
    c.current.clear();
    c.newlines_in_record = 0;
  }
};

std::string line_path(std::size_t line) {
  return fmt::format("/lines/{}", line);
}

}  // namespace

result<std::vector<staff_member>> parse_roster_csv(std::string_view csv) {
  if (csv.size() > max_roster_csv_bytes)
    return fail(errc::too_large,
                fmt::format("the roster is larger than {} bytes", max_roster_csv_bytes));
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);  // spreadsheet programs add a BOM

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    return fail(errc::internal, "the CSV reader could not start");
  csv_collector collector;
  bool malformed = false;
  for (std::size_t start = 0; start < csv.size() && !malformed;) {
    const std::size_t end = std::min(csv.find('\n', start), csv.size() - 1) + 1;
    const auto chunk = csv.substr(start, end - start);
    malformed = csv_parse(&parser, chunk.data(), chunk.size(), csv_collector::on_field,
                          csv_collector::on_record, &collector) != chunk.size();
    start = end;
    if (!malformed && start < csv.size()) ++collector.feeding_line;
  }
  malformed = malformed ||
              csv_fini(&parser, csv_collector::on_field, csv_collector::on_record, &collector) != 0;
  csv_free(&parser);
  if (malformed) {
    return fail(errc::validation_failed, "the roster is not valid CSV",
                {{line_path(collector.feeding_line),
                  "malformed CSV: a quote is not closed or is followed by text"}});
  }

  if (collector.records.empty())
    return fail(errc::validation_failed, "the roster is empty",
                {{line_path(1), "expected the header id,name,team"}});
  const std::vector<std::string> header{"id", "name", "team"};
  if (collector.records.front() != header)
    return fail(errc::validation_failed, "the roster's header is wrong",
                {{line_path(1), "expected the header id,name,team"}});

  std::vector<detail> problems;
  std::vector<staff_member> roster;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 1; i < collector.records.size(); ++i) {
    const auto& fields = collector.records[i];
    const auto path = line_path(collector.record_lines[i]);
    if (fields.size() != 3) {
      problems.push_back(
          {path, fmt::format("expected 3 fields (id,name,team), found {}", fields.size())});
      continue;
    }
    staff_member member{fields[0], fields[1], fields[2]};
    if (auto ok = validate_staff(member); !ok) {
      for (const auto& d : ok.error().details)
        problems.push_back({path + d.path, d.message});
      continue;
    }
    if (!seen.insert(member.id).second) {
      problems.push_back(
          {path + "/id", fmt::format("the id {} appears on an earlier line", member.id)});
      continue;
    }
    roster.push_back(std::move(member));
  }
  if (!problems.empty()) {
    // The count is taken before the details are moved into the error.
    const auto count = problems.size();
    return fail(errc::validation_failed,
                fmt::format("the roster has {} problem{}; nothing was imported", count,
                            count == 1 ? "" : "s"),
                std::move(problems));
  }
  return roster;
}

}  // namespace hrs::engine
