#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hrs/engine/error.hpp"
#include "hrs/engine/roster.hpp"

namespace hrs::engine {

class store;

struct demo_options {
  std::size_t responses = 20000;
  std::uint64_t seed = 42;
  int days = 365;  // responses are spread over the days up to today
  // Called after each stored batch with (stored, total), e.g. for a progress line.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct demo_summary {
  std::size_t staff = 0;
  std::size_t responses = 0;
};

// The demo roster: about 40 HR staff in five teams.
std::vector<staff_member> demo_roster();

// Fills a store that has the hr-service template and no responses with the demo roster
// and simulated responses: each staff member has their own true level per dimension
// (some clearly above the standard, some below), request types follow their team,
// ratings are noisy around the level, some respondents comment in their language.
// Deterministic for a seed. Refuses (errc::conflict) a store that has responses.
[[nodiscard]] result<demo_summary> generate_demo(store& s, const demo_options& options);

}  // namespace hrs::engine
