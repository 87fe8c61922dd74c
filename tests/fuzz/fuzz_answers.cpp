// Answers as POST /api/v1/responses and the campaign endpoint send them, checked against
// the shipped template in both modes. Any JSON gives validated answers or a validation
// error whose details each point at one question.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrs/engine/answers.hpp"
#include "shipped_survey.hpp"

namespace {

void check(const hrs::engine::survey& survey, const nlohmann::json& answers,
           const hrs::engine::answer_context& context) {
  auto result = hrs::engine::validate_answers(survey, answers, context);
  if (result) {
    for (const auto& [id, value] : result->answers.items()) {
      if (survey.find(id) == nullptr) std::abort();  // only questions are kept
    }
    if (result->staff.size() > hrs::engine::max_staff_per_response) std::abort();
    return;
  }
  if (result.error().details.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto answers = nlohmann::json::parse(text, nullptr, false);
  if (answers.is_discarded()) return 0;
  const auto& survey = shipped_survey();
  const auto in_roster = [](std::string_view id) { return id.starts_with("s-"); };
  check(survey, answers, {.invitation_staff = nullptr, .staff_exists = in_roster});
  const std::vector<std::string> invited{"s-101"};
  check(survey, answers, {.invitation_staff = &invited, .staff_exists = in_roster});
  return 0;
}
