#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "hrs/engine/error.hpp"
#include "hrs/engine/time.hpp"

namespace hrs::engine {

class store;

// The counts of the ratings 1..5: a complete summary of a set of 1..5 ratings.
using histogram = std::array<std::int64_t, 5>;

// The staff value that counts each response once, for the department as a whole.
inline constexpr const char* department = "";
// The segment value that counts every response, whatever its segment answers.
inline constexpr const char* all_segments = "";

struct aggregate_key {
  std::string survey;
  day_number day = 0;
  std::string staff;      // a staff id, or `department`
  std::string dimension;  // e.g. "courtesy"
  std::string segment;    // `all_segments`, or "question=value", e.g. "request_type=payroll"
  auto operator<=>(const aggregate_key&) const = default;
};

using aggregate_counts = std::map<aggregate_key, histogram>;

struct count_query {
  day_number from = 0;  // inclusive
  day_number to = 0;    // inclusive
  std::optional<std::string> survey = {};
  std::optional<std::string> staff = {};  // only this staff id, or `department`
  bool segments = true;                   // false: only the `all_segments` counts
};

// Returns the exact counts of every key in the period: the folded aggregates plus the
// responses not folded yet, read in one snapshot. Never scans the folded responses.
[[nodiscard]] result<aggregate_counts> read_counts(store& s, const count_query& query);

// A key of counts summed over a period.
struct total_key {
  std::string staff;      // a staff id, or `department`
  std::string dimension;  // e.g. "courtesy"
  std::string segment;    // `all_segments`, or "question=value"
  auto operator<=>(const total_key&) const = default;
};

using aggregate_totals = std::map<total_key, histogram>;

// The counts of the period summed per (staff, dimension, segment), over every template
// or the query's one: equal to summing read_counts over the days, but whole months are
// read from month buckets, so a year costs about what a month does. Cheap when the
// query names a staff member or leaves out the segments; with neither it reads every
// key of the period.
[[nodiscard]] result<aggregate_totals> read_totals(store& s, const count_query& query);

// Recounts the period from the raw responses. Slow; for verification and tests.
[[nodiscard]] result<aggregate_counts> recount_from_responses(store& s, const count_query& query);

}  // namespace hrs::engine
