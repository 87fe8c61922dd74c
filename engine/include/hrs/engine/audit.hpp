#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/error.hpp"
#include "hrs/engine/time.hpp"

namespace hrs::engine {

class store;
struct access_token;

// Who asked for an admin action: an access token (its id and label, never the token
// itself) or the command line (id "cli", the command as label).
struct actor {
  std::string id;
  std::string label;
};

actor token_actor(const access_token& grant);
// The command line, e.g. command_line_actor("token create").
actor command_line_actor(std::string_view command);

// One admin action that changed the store, written in the transaction of the change.
// Actions: "survey.stored" (target: template id; details: version, outcome created or
// replaced), "staff.put" (target: staff id; details: outcome created or updated),
// "staff.imported" (target: "roster"; details: created, updated, unchanged counts),
// "token.created" (target: token id; details: role, team, label), "token.revoked"
// (target: token id), "comments.erased" (target: "responses"; details: older_than_days,
// comment_rows, responses).
struct audit_entry {
  std::int64_t id = 0;  // increases with every entry: the paging cursor
  unix_seconds at = 0;
  actor by;
  std::string action;
  std::string target;
  nlohmann::json details = nlohmann::json::object();
};

struct audit_query {
  std::optional<day_number> from = {};      // first UTC day, inclusive
  std::optional<day_number> to = {};        // last UTC day, inclusive
  std::optional<std::int64_t> before = {};  // only entries with a smaller id
  std::size_t limit = 50;
};

inline constexpr std::size_t max_audit_page = 500;

// The entries that match, newest first, at most `limit` (1 to max_audit_page).
[[nodiscard]] result<std::vector<audit_entry>> read_audit_log(store& s, const audit_query& query);

}  // namespace hrs::engine
