#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/completion.hpp"
#include "hrs/engine/error.hpp"
#include "hrs/engine/time.hpp"

namespace hrs::engine {

class store;

struct invitation_request {
  std::string survey;                       // template id; its active version is used
  std::vector<std::string> staff;           // 1..10 roster ids
  std::string locale;                       // empty: none; the respondent's browser decides
  std::optional<std::string> external_ref;  // e.g. the HR case number; unique
  int expires_in_days = 14;                 // 1..365
};

struct invitation {
  std::string id;
  std::optional<std::string> token;  // only when just created: tokens are shown once
  bool created = false;              // false: an earlier invitation with this external_ref
  std::string survey;
  int version = 0;
  std::vector<std::string> staff;
  // The requested locale resolved to one of the template's, or empty when none was
  // requested: pages then follow Accept-Language, then the template's default.
  std::string locale;
  std::optional<std::string> external_ref;
  unix_seconds created_at = 0;
  unix_seconds expires_at = 0;
  bool answered = false;
  std::int64_t seq = 0;  // the store's number for it; internal, never shown to clients
};

// Validates the request (details at /survey, /staff/i, /locale, /external_ref,
// /expires_in_days) and creates the invitation. The same external_ref again returns the
// first invitation, without its token (created = false); with another survey or other
// staff it is a conflict. Concurrent requests with one external_ref create one.
void create_invitation(store& s, invitation_request request, completion<invitation> done);
[[nodiscard]] result<invitation> create_invitation(store& s, invitation_request request);

enum class token_use { answer, view };

// Finds the invitation of a token. errc::not_found for an unknown token; with
// token_use::answer also errc::gone when expired and errc::conflict when answered.
[[nodiscard]] result<invitation> find_invitation(store& s, std::string_view token,
                                                 token_use use = token_use::view);

struct invitation_tally {
  std::int64_t invited = 0;   // invitations created in the period
  std::int64_t answered = 0;  // of those, the ones answered (at any time)
};

// Counts the invitations created in the days [from, to] (UTC) and how many of them were
// answered, optionally of one template: the response rate of post-interaction surveys.
// Reads an index of the invitations of the period, never the responses.
[[nodiscard]] result<invitation_tally> tally_invitations(store& s, day_number from, day_number to,
                                                         const std::optional<std::string>& survey);

}  // namespace hrs::engine
