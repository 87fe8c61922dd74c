#include "hrs/engine/time.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace hrs::engine {

namespace chr = std::chrono;

unix_seconds now_seconds() noexcept {
  return chr::duration_cast<chr::seconds>(chr::system_clock::now().time_since_epoch()).count();
}

std::string format_timestamp(unix_seconds t) {
  const day_number day = day_of(t);
  const unix_seconds in_day = t - static_cast<unix_seconds>(day) * seconds_per_day;
  return fmt::format("{}T{:02}:{:02}:{:02}Z", format_date(day), in_day / 3600, in_day / 60 % 60,
                     in_day % 60);
}

std::string format_date(day_number day) {
  const chr::year_month_day ymd{chr::sys_days{chr::days{day}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

day_number first_of_month(day_number day) noexcept {
  const chr::year_month_day ymd{chr::sys_days{chr::days{day}}};
  return static_cast<day_number>(
      chr::sys_days{ymd.year() / ymd.month() / chr::day{1}}.time_since_epoch().count());
}

day_number first_of_next_month(day_number day) noexcept {
  const chr::year_month_day ymd{chr::sys_days{chr::days{day}}};
  const auto next = chr::year_month{ymd.year(), ymd.month()} + chr::months{1};
  return static_cast<day_number>(chr::sys_days{next / chr::day{1}}.time_since_epoch().count());
}

std::optional<day_number> parse_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int value = 0;
    const char* first = text.data() + pos;
    auto [end, ec] = std::from_chars(first, first + len, value);
    if (ec != std::errc{} || end != first + len) return std::nullopt;
    return value;
  };
  const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const chr::year_month_day ymd{chr::year{*y}, chr::month{static_cast<unsigned>(*m)},
                                chr::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<day_number>(chr::sys_days{ymd}.time_since_epoch().count());
}

}  // namespace hrs::engine
