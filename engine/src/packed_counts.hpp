#pragma once

// The writer's own form of aggregate counts: strings interned to integers, so that
// adding a response's ratings to the pending totals costs a few hash lookups instead of
// ordered-map walks comparing strings.

#include <cstdint>
#include <deque>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hrs/engine/aggregates.hpp"

namespace hrs::engine {

// Interns survey ids, staff ids, dimensions and segments. Thread-safe; ids are stable
// for the life of the pool.
class key_pool {
 public:
  std::uint32_t id(std::string_view text);
  // The text of an id; the reference stays valid for the life of the pool.
  const std::string& text(std::uint32_t id) const;

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> ids_;
  std::deque<std::string> texts_;
};

struct packed_key {
  std::uint32_t survey = 0, staff = 0, dimension = 0, segment = 0;
  day_number day = 0;
  bool operator==(const packed_key&) const = default;
};

struct packed_key_hash {
  std::size_t operator()(const packed_key& k) const noexcept {
    std::uint64_t h =
        (std::uint64_t{k.survey} << 40) ^ (std::uint64_t{k.staff} << 20) ^ k.dimension;
    h = h * 0x9E3779B97F4A7C15ull ^
        ((std::uint64_t{k.segment} << 32) | static_cast<std::uint32_t>(k.day));
    return static_cast<std::size_t>(h * 0xBF58476D1CE4E5B9ull ^ (h >> 31));
  }
};

struct packed_rating {
  packed_key key;
  int score = 0;  // 1..5
};

// One response's ratings, ready for the writer.
using packed_ratings = std::vector<packed_rating>;
// Totals of many responses.
using packed_totals = std::unordered_map<packed_key, histogram, packed_key_hash>;

inline void add(packed_totals& totals, const packed_ratings& ratings) {
  for (const auto& r : ratings)
    ++totals[r.key][static_cast<std::size_t>(r.score - 1)];
}

inline void add(packed_totals& into, const packed_totals& from) {
  for (const auto& [key, hist] : from) {
    auto& target = into[key];
    for (std::size_t i = 0; i < target.size(); ++i)
      target[i] += hist[i];
  }
}

}  // namespace hrs::engine
