#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/audit.hpp"
#include "hrs/engine/error.hpp"

namespace hrs::engine {

class store;

struct staff_member {
  std::string id;    // safe id (is_safe_id)
  std::string name;  // 1..200 characters
  std::string team;  // 1..100 characters
  friend bool operator==(const staff_member&, const staff_member&) = default;
};

enum class put_outcome { created, updated, unchanged };

// Checks one roster entry; details point at /id, /name, /team.
[[nodiscard]] result<void> validate_staff(const staff_member& member);

// Creates or replaces one roster entry; a change is audited as done `by`.
[[nodiscard]] result<put_outcome> put_staff(store& s, const staff_member& member, const actor& by);

[[nodiscard]] result<std::vector<staff_member>> list_staff(store& s);
// Returns the entry, or errc::not_found.
[[nodiscard]] result<staff_member> find_staff(store& s, std::string_view id);

struct import_summary {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
};

// Parses an RFC 4180 CSV roster with the header `id,name,team`. Every bad line is
// reported (detail path "/lines/N", N counting the header as line 1) and then nothing
// is imported; otherwise every line is created or updated in one transaction, with an
// audit entry of the counts when anything changed.
[[nodiscard]] result<std::vector<staff_member>> parse_roster_csv(std::string_view csv);
[[nodiscard]] result<import_summary> import_staff(store& s, const std::vector<staff_member>& roster,
                                                  const actor& by);

inline constexpr std::size_t max_roster_csv_bytes = 16 * 1024 * 1024;

}  // namespace hrs::engine
