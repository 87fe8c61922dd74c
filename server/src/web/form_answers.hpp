#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "form_body.hpp"
#include "hrs/engine/error.hpp"
#include "hrs/engine/survey.hpp"

namespace hrs::server::web {

// Invitation mode: the invitation names the staff, so the staff question is neither
// shown nor read. Campaign mode: the respondent picks the staff.
enum class form_mode { invitation, campaign };

// Form field names that no question id can take (ids are [a-z][a-z0-9_]*): the staff
// picker's search text and the button that asks for the search.
inline constexpr std::string_view search_field = "_q";
inline constexpr std::string_view action_field = "_action";

// Converts a posted form into the answers JSON the engine validates, keyed by question
// id; fields that are no question are ignored. An empty field is no answer. A rating is
// an integer only when the field is exactly one ("5"; "5.0", "abc" or "+5" stay strings
// that the engine refuses); a field sent twice becomes a list, which it refuses too.
// Text keeps what was typed, with the browser's CRLF line ends made LF. The staff
// question takes every value sent under its id, in campaign mode only.
nlohmann::json answers_from_form(const engine::survey& s, const form_fields& form, form_mode mode);

// What to tell the respondent about a refused response, in the page's locale: a message
// per question id for the engine's details at /answers/<id>, and messages for the rest.
struct form_errors {
  std::map<std::string, std::string, std::less<>> by_question;
  std::vector<std::string> general;
  bool empty() const noexcept { return by_question.empty() && general.empty(); }
};

// Explains the details of a validation error. The messages are our own, chosen by the
// question's type and the value sent (`answers`, as given to the engine), not the
// engine's English text.
form_errors explain_errors(const engine::survey& s, const nlohmann::json& answers,
                           const engine::error& err, std::string_view locale);

}  // namespace hrs::server::web
