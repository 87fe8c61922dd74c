#include "hrs/engine/answers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "hrs/engine/text_rules.hpp"

namespace hrs::engine {

namespace {

using json = nlohmann::json;

std::string pointer_to(std::string_view question_id) {
  return (json::json_pointer("/answers") / std::string(question_id)).to_string();
}

// Returns the problem with one answer, or an empty string when it is fine. Text answers
// that are blank are reported as unanswered through `blank`.
std::string check_value(const question& q, const json& value, const answer_context& context,
                        bool& blank) {
  switch (q.type) {
    case question_type::rating: {
      if (!value.is_number_integer()) return "expected an integer from 1 to 5";
      const auto score =
          value.is_number_unsigned()
              ? static_cast<std::int64_t>(std::min<std::uint64_t>(value.get<std::uint64_t>(), 6))
              : value.get<std::int64_t>();
      if (score < 1 || score > 5) return "expected an integer from 1 to 5";
      return {};
    }
    case question_type::choice: {
      if (value.is_string() && std::ranges::find(q.options, value.get_ref<const std::string&>(),
                                                 &option::id) != q.options.end())
        return {};
      std::vector<std::string_view> ids;
      for (const auto& o : q.options)
        ids.push_back(o.id);
      return fmt::format("expected one of {}", fmt::join(ids, ", "));
    }
    case question_type::text: {
      if (!value.is_string()) return "expected a string";
      const auto& text = value.get_ref<const std::string&>();
      if (!is_clean_text(text)) return "expected UTF-8 text without control characters";
      if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        blank = true;
        return {};
      }
      const int limit = q.max_length > 0 ? q.max_length : default_text_max_length;
      if (*utf8_length(text) > static_cast<std::size_t>(limit))
        return fmt::format("must be at most {} characters", limit);
      return {};
    }
    case question_type::staff: {
      if (context.invitation_staff != nullptr)
        return "the invitation names the staff; leave this answer out";
      if (!value.is_array()) return "expected a list of staff ids";
      if (value.size() > max_staff_per_response)
        return fmt::format("at most {} staff can be named", max_staff_per_response);
      std::set<std::string_view> seen;
      for (const auto& id : value) {
        if (!id.is_string()) return "expected a list of staff ids";
        const auto& text = id.get_ref<const std::string&>();
        if (!is_safe_id(text) || !context.staff_exists(text))
          return fmt::format("unknown staff id '{}'", is_safe_id(text) ? text : "?");
        if (!seen.insert(text).second) return fmt::format("staff id '{}' is named twice", text);
      }
      if (value.empty()) blank = true;
      return {};
    }
  }
  return "unsupported question";
}

}  // namespace

result<validated_answers> validate_answers(const survey& s, const json& answers,
                                           const answer_context& context) {
  if (!answers.is_object())
    return fail(errc::validation_failed, "the answers are invalid",
                {{"/answers", "expected an object of answers keyed by question id"}});
  std::vector<detail> problems;
  validated_answers out;
  for (const auto& [key, value] : answers.items()) {
    if (s.find(key) == nullptr) problems.push_back({pointer_to(key), "unknown question"});
  }
  for (const auto& q : s.questions) {
    const auto it = answers.find(q.id);
    bool blank = false;
    if (it != answers.end()) {
      if (auto problem = check_value(q, *it, context, blank); !problem.empty()) {
        problems.push_back({pointer_to(q.id), std::move(problem)});
        continue;
      }
    }
    const bool answered = it != answers.end() && !blank;
    const bool filled_by_invitation =
        q.type == question_type::staff && context.invitation_staff != nullptr;
    if (!answered) {
      if (q.required && !filled_by_invitation)
        problems.push_back({pointer_to(q.id), "an answer is required"});
      continue;
    }
    if (q.type == question_type::staff) {
      for (const auto& id : *it)
        out.staff.push_back(id.get<std::string>());
    } else {
      out.answers[q.id] = *it;
    }
  }
  if (!problems.empty()) {
    return fail(
        errc::validation_failed,
        fmt::format("{} answer{} invalid", problems.size(), problems.size() == 1 ? " is" : "s are"),
        std::move(problems));
  }
  if (context.invitation_staff != nullptr) out.staff = *context.invitation_staff;
  return out;
}

}  // namespace hrs::engine
