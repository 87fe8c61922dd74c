#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrs/engine/error.hpp"
#include "hrs/engine/survey.hpp"

namespace hrs::engine {

struct validated_answers {
  nlohmann::json answers = nlohmann::json::object();  // the answered questions only
  std::vector<std::string> staff;                     // who the response is about
};

// At most this many staff can be named in one response.
inline constexpr std::size_t max_staff_per_response = 10;

struct answer_context {
  // Post-interaction mode: the staff the invitation names; the answers must not name
  // staff. Empty in campaign mode, where the staff question names them.
  const std::vector<std::string>* invitation_staff = nullptr;
  // Whether a staff id is in the roster.
  std::function<bool(std::string_view)> staff_exists;
};

// Checks answers (keyed by question id) against one template version: known questions,
// required ones present, ratings integers 1..5 (not 3.5, "5", true or null), known
// option ids, text within max_length and valid UTF-8, staff in the roster. Every problem
// is reported, each at "/answers/<question id>". An empty text counts as unanswered.
[[nodiscard]] result<validated_answers> validate_answers(const survey& s,
                                                         const nlohmann::json& answers,
                                                         const answer_context& context);

}  // namespace hrs::engine
