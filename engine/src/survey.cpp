#include "hrs/engine/survey.hpp"

#include <algorithm>

namespace hrs::engine {

std::string_view to_string(question_type type) noexcept {
  switch (type) {
    case question_type::rating:
      return "rating";
    case question_type::choice:
      return "choice";
    case question_type::text:
      return "text";
    case question_type::staff:
      return "staff";
  }
  return "text";
}

const question* survey::find(std::string_view question_id) const noexcept {
  const auto it = std::ranges::find(questions, question_id, &question::id);
  return it == questions.end() ? nullptr : &*it;
}

const question* survey::staff_question() const noexcept {
  const auto it = std::ranges::find(questions, question_type::staff, &question::type);
  return it == questions.end() ? nullptr : &*it;
}

}  // namespace hrs::engine
