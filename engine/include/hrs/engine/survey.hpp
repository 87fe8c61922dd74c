#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hrs::engine {

// A text in one or more locales; always holds the survey's default locale.
// Keys are BCP 47 tags as written in the template (e.g. "zh-Hant").
struct localized_text {
  std::map<std::string, std::string> by_locale;
  friend bool operator==(const localized_text&, const localized_text&) = default;
};

enum class question_type { rating, choice, text, staff };

// Returns "rating", "choice", ... as written in templates.
std::string_view to_string(question_type type) noexcept;

struct option {
  std::string id;
  localized_text label;
  friend bool operator==(const option&, const option&) = default;
};

struct question {
  std::string id;
  question_type type = question_type::text;
  localized_text text;
  std::optional<localized_text> help;
  bool required = false;
  bool segment = false;                  // rating or choice only: reports break results down by it
  std::optional<std::string> dimension;  // rating only: counts on staff scorecards
  std::map<int, localized_text> labels;  // rating only: points 1..5 that carry a label
  std::vector<option> options;           // choice only, never empty there
  int max_length = 0;                    // text only: limit in Unicode code points
  friend bool operator==(const question&, const question&) = default;
};

// A validated survey template version. Immutable once a response refers to it.
struct survey {
  std::string id;
  int version = 0;
  std::string default_locale;
  std::vector<std::string> locales;
  localized_text title;
  std::optional<localized_text> description;
  std::optional<localized_text> thank_you;
  bool campaign = false;  // whether /c/{id} accepts responses without an invitation
  std::vector<question> questions;

  // Returns the question with this id, or nullptr.
  const question* find(std::string_view question_id) const noexcept;
  // Returns the staff question, or nullptr when the template has none.
  const question* staff_question() const noexcept;

  // Field by field, so that a round trip through to_json_document() can be checked.
  friend bool operator==(const survey&, const survey&) = default;
};

// Default text length limit when a text question sets no max_length.
inline constexpr int default_text_max_length = 2000;
// Upper bound for max_length, so that one answer cannot exceed the request body limit.
inline constexpr int max_text_max_length = 10000;

}  // namespace hrs::engine
