#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/audit.hpp"
#include "hrs/engine/error.hpp"
#include "hrs/engine/time.hpp"

namespace hrs::engine {

class store;

enum class role { admin, lead, integration };

std::string_view to_string(role r) noexcept;
std::optional<role> parse_role(std::string_view text) noexcept;

struct access_token_request {
  role granted = role::lead;
  std::optional<std::string> team;  // leads only: the one team whose reports they see
  std::string label;                // who or what holds it, for the admin's list
};

struct access_token {
  std::string id;
  std::optional<std::string> token;  // only when just created: shown once
  role granted = role::lead;
  std::optional<std::string> team;
  std::string label;
  unix_seconds created_at = 0;
  std::optional<unix_seconds> revoked_at;
};

// Creates a token ("hrs_" + 32 random base64url characters); stores only its SHA-256.
// Audited as done `by` (the entry names the new token's id, never the token).
[[nodiscard]] result<access_token> create_access_token(store& s,
                                                       const access_token_request& request,
                                                       const actor& by);
// Returns the token's grant, or errc::unauthorized when unknown or revoked.
[[nodiscard]] result<access_token> authenticate(store& s, std::string_view token);
[[nodiscard]] result<std::vector<access_token>> list_access_tokens(store& s);
// Revokes by id; errc::not_found when unknown. Revoking twice changes nothing (and is
// not audited again).
[[nodiscard]] result<access_token> revoke_access_token(store& s, std::string_view id,
                                                       const actor& by);

}  // namespace hrs::engine
