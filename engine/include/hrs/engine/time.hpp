#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hrs::engine {

// Seconds since the Unix epoch, UTC. Days are UTC days counted from the epoch.
using unix_seconds = std::int64_t;
using day_number = std::int32_t;

inline constexpr unix_seconds seconds_per_day = 86400;

unix_seconds now_seconds() noexcept;
constexpr day_number day_of(unix_seconds t) noexcept {
  return static_cast<day_number>(t >= 0 ? t / seconds_per_day
                                        : (t - seconds_per_day + 1) / seconds_per_day);
}

// The first day of the month that holds `day`, and of the month after it.
day_number first_of_month(day_number day) noexcept;
day_number first_of_next_month(day_number day) noexcept;

// "2026-11-24T12:00:00Z"
std::string format_timestamp(unix_seconds t);
// "2026-11-24"
std::string format_date(day_number day);
// Parses "YYYY-MM-DD" (a real calendar date); nullopt otherwise.
std::optional<day_number> parse_date(std::string_view text) noexcept;

}  // namespace hrs::engine
