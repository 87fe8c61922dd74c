#include "store_fixture.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "hrs/engine/surveys.hpp"

namespace hrs::testing {

std::vector<std::string> paths_of(const std::vector<engine::detail>& details) {
  std::vector<std::string> out;
  for (const auto& d : details)
    out.push_back(d.path);
  return out;
}

namespace eng = hrs::engine;

namespace {

std::string sql_name(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string hex(const void* data, int size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (int i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0xf];
  }
  return out;
}

struct stmt_closer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_closer>;

stmt_ptr prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(raw);
    throw std::runtime_error("prepare " + std::string(sql) + ": " + sqlite3_errmsg(db));
  }
  return stmt_ptr(raw);
}

std::string column_as_text(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
      return "NULL";
    case SQLITE_BLOB:
      return "x'" + hex(sqlite3_column_blob(stmt, i), sqlite3_column_bytes(stmt, i)) + "'";
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
}

std::string describe(const eng::aggregate_key& k) {
  std::ostringstream out;
  out << "{" << k.survey << ", day " << k.day << ", staff '" << k.staff << "', " << k.dimension
      << ", segment '" << k.segment << "'}";
  return out.str();
}

std::string describe(const eng::histogram* h) {
  if (h == nullptr) return "absent";
  std::ostringstream out;
  out << "[" << (*h)[0] << " " << (*h)[1] << " " << (*h)[2] << " " << (*h)[3] << " " << (*h)[4]
      << "]";
  return out.str();
}

}  // namespace

const std::vector<eng::staff_member>& fixture_roster() {
  static const std::vector<eng::staff_member> roster{
      {"s-101", "Ana Pop", "benefits"},       {"s-102", "Marco Rossi", "benefits"},
      {"s-103", "Lucía Gómez", "payroll"},    {"s-104", "Chen Wei", "payroll"},
      {"s-105", "Ioana Marin", "recruiting"}, {"s-106", "Sam Lee", "recruiting"},
  };
  return roster;
}

nlohmann::json good_answers() {
  return {{"request_type", "benefits"},
          {"importance", 4},
          {"courtesy", 5},
          {"timeliness", 4},
          {"quality", 3},
          {"expectations", 4},
          {"comment", "Quick and kind."}};
}

store_fixture::store_fixture(fixture_options options)
    : file_(dir_ / "store.db"), fixture_options_(options) {
  reopen();
  if (options.templates) {
    auto synced =
        eng::sync_definitions(*store_, source_path("survey_defs"), eng::command_line_actor("test"));
    if (!synced.ok) throw std::runtime_error("the shipped templates did not register");
  }
  if (options.roster) {
    for (const auto& member : fixture_roster()) {
      if (!eng::put_staff(*store_, member, eng::command_line_actor("test")))
        throw std::runtime_error("put_staff failed");
    }
  }
}

store_fixture::~store_fixture() {
  close();
}

eng::store_options store_fixture::options() const {
  eng::store_options o;
  o.file = file_;
  o.fold_after_responses = fixture_options_.fold_after_responses;
  o.fold_idle = fixture_options_.fold_idle;
  o.clock = clock_.function();
  return o;
}

void store_fixture::reopen() {
  close();
  auto opened = eng::store::open(options());
  if (!opened) throw std::runtime_error("store::open failed: " + opened.error().log);
  store_ = std::move(*opened);
}

void store_fixture::close() {
  if (store_) store_->close();
  store_.reset();
}

eng::invitation store_fixture::invite(std::vector<std::string> staff,
                                      std::optional<std::string> external_ref) {
  eng::invitation_request request;
  request.survey = "hr-service";
  request.staff = std::move(staff);
  request.external_ref = std::move(external_ref);
  auto created = eng::create_invitation(*store_, std::move(request));
  if (!created) throw std::runtime_error("create_invitation failed: " + created.error().message);
  return *created;
}

raw_db::raw_db(const std::filesystem::path& file, mode m) {
  sqlite3* raw = nullptr;
  const int flags =
      m == mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + file.string());
  sqlite3_busy_timeout(raw, 10000);
}

void raw_db::exec(std::string_view sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error(std::string(sql) + ": " + text);
  }
}

std::int64_t raw_db::integer(std::string_view sql, std::optional<std::int64_t> param) {
  auto stmt = prepare(db_.get(), sql);
  if (param) sqlite3_bind_int64(stmt.get(), 1, *param);
  if (sqlite3_step(stmt.get()) != SQLITE_ROW)
    throw std::runtime_error("no row from " + std::string(sql));
  return sqlite3_column_int64(stmt.get(), 0);
}

std::string raw_db::text(std::string_view sql) {
  auto stmt = prepare(db_.get(), sql);
  if (sqlite3_step(stmt.get()) != SQLITE_ROW)
    throw std::runtime_error("no row from " + std::string(sql));
  return column_as_text(stmt.get(), 0);
}

std::int64_t raw_db::count(std::string_view table) {
  return integer("SELECT count(*) FROM " + sql_name(table));
}

std::vector<std::string> raw_db::tables() {
  auto stmt =
      prepare(db_.get(), "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  std::vector<std::string> out;
  while (sqlite3_step(stmt.get()) == SQLITE_ROW)
    out.push_back(column_as_text(stmt.get(), 0));
  return out;
}

std::vector<std::string> raw_db::columns(std::string_view table) {
  auto stmt = prepare(db_.get(), "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  sqlite3_bind_text(stmt.get(), 1, table.data(), static_cast<int>(table.size()), SQLITE_TRANSIENT);
  std::vector<std::string> out;
  while (sqlite3_step(stmt.get()) == SQLITE_ROW)
    out.push_back(column_as_text(stmt.get(), 0));
  return out;
}

std::vector<std::vector<std::string>> raw_db::rows(std::string_view table) {
  auto stmt = prepare(db_.get(), "SELECT * FROM " + sql_name(table));
  std::vector<std::vector<std::string>> out;
  while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i)
      row.push_back(column_as_text(stmt.get(), i));
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::string> raw_db::find_text(std::string_view needle) {
  std::vector<std::string> found;
  for (const auto& table : tables()) {
    for (const auto& column : columns(table)) {
      // Compares bytes, whatever the column's declared type or the value's storage class.
      auto stmt =
          prepare(db_.get(), "SELECT count(*) FROM " + sql_name(table) + " WHERE instr(CAST(" +
                                 sql_name(column) + " AS BLOB), CAST(?1 AS BLOB)) > 0");
      sqlite3_bind_text(stmt.get(), 1, needle.data(), static_cast<int>(needle.size()),
                        SQLITE_TRANSIENT);
      if (sqlite3_step(stmt.get()) == SQLITE_ROW && sqlite3_column_int64(stmt.get(), 0) > 0)
        found.push_back(table + "." + column);
    }
  }
  return found;
}

std::string raw_db::integrity() {
  return text("PRAGMA integrity_check");
}

bool file_bytes_contain(const std::filesystem::path& file, std::string_view needle) {
  for (const auto& path : {file, std::filesystem::path(file.string() + "-wal")}) {
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string counts_difference(const eng::aggregate_counts& expected,
                              const eng::aggregate_counts& actual) {
  std::ostringstream out;
  int shown = 0;
  const auto note = [&](const eng::aggregate_key& key, const eng::histogram* e,
                        const eng::histogram* a) {
    if (++shown <= 5)
      out << describe(key) << ": expected " << describe(e) << ", got " << describe(a) << "\n";
  };
  for (const auto& [key, hist] : expected) {
    auto it = actual.find(key);
    if (it == actual.end())
      note(key, &hist, nullptr);
    else if (it->second != hist)
      note(key, &hist, &it->second);
  }
  for (const auto& [key, hist] : actual)
    if (!expected.contains(key)) note(key, nullptr, &hist);
  if (shown > 5) out << "... " << shown << " differences in all\n";
  return out.str();
}

eng::count_query whole_range() {
  const auto today = eng::day_of(fixture_start);
  return eng::count_query{today - 400, today + 400, std::nullopt};
}

namespace {

eng::aggregate_totals sum_over_days(const eng::aggregate_counts& counts) {
  eng::aggregate_totals out;
  for (const auto& [key, hist] : counts) {
    auto& total = out[eng::total_key{key.staff, key.dimension, key.segment}];
    for (std::size_t i = 0; i < total.size(); ++i)
      total[i] += hist[i];
  }
  return out;
}

std::string totals_difference(const eng::aggregate_totals& expected,
                              const eng::aggregate_totals& actual) {
  // Reuses counts_difference's report by putting the totals on one pretend day.
  auto as_counts = [](const eng::aggregate_totals& totals) {
    eng::aggregate_counts out;
    for (const auto& [key, hist] : totals)
      if (hist != eng::histogram{}) out[{"", 0, key.staff, key.dimension, key.segment}] = hist;
    return out;
  };
  return counts_difference(as_counts(expected), as_counts(actual));
}

std::string describe(const eng::count_query& query) {
  std::ostringstream out;
  out << "days " << query.from << ".." << query.to
      << (query.survey ? " of " + *query.survey : std::string())
      << (query.staff ? " staff '" + *query.staff + "'" : std::string())
      << (query.segments ? "" : " without segments");
  return out.str();
}

}  // namespace

std::string counts_disagreement(eng::store& s) {
  const auto today = eng::day_of(fixture_start);
  std::vector<eng::count_query> queries{whole_range(),
                                        {today, today + 9, std::nullopt},
                                        {today + 3, today + 3, std::nullopt},
                                        {today - 400, today + 400, std::string("hr-service")}};
  for (const auto& query : queries) {
    auto read = eng::read_counts(s, query);
    auto recount = eng::recount_from_responses(s, query);
    if (!read) return "read_counts failed: " + read.error().log;
    if (!recount) return "recount_from_responses failed: " + recount.error().log;
    if (auto diff = counts_difference(*recount, *read); !diff.empty())
      return describe(query) + ": read_counts vs recount\n" + diff;
  }

  // Totals over periods that start, end and cross inside months (today is 2026-01-01),
  // whole months, with and without a staff member and the segments.
  std::vector<eng::count_query> periods{whole_range(),
                                        {today + 3, today + 3, std::nullopt},
                                        {today + 5, today + 40, std::nullopt},
                                        {today, today + 58, std::nullopt},
                                        {today + 20, today + 74, std::nullopt},
                                        {today + 29, today + 61, std::string("hr-service")}};
  for (const auto& period : periods) {
    for (const std::optional<std::string>& staff :
         {std::optional<std::string>{}, std::optional<std::string>{eng::department},
          std::optional<std::string>{"s-101"}}) {
      for (const bool segments : {true, false}) {
        auto query = period;
        query.staff = staff;
        query.segments = segments;
        auto totals = eng::read_totals(s, query);
        auto recount = eng::recount_from_responses(s, query);
        if (!totals) return "read_totals failed: " + totals.error().log;
        if (!recount) return "recount_from_responses failed: " + recount.error().log;
        if (auto diff = totals_difference(sum_over_days(*recount), *totals); !diff.empty())
          return describe(query) + ": read_totals vs recount\n" + diff;
      }
    }
  }
  return {};
}

}  // namespace hrs::testing
