// Survey pages posted by a browser without JavaScript (POST /s/{token}, /c/{survey}):
// the urlencoded body is decoded, made into answers for the shipped template, checked by
// the engine, and a refusal explained in the page's locale. No body may crash any step.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/answers.hpp"
#include "shipped_survey.hpp"
#include "web/form_answers.hpp"
#include "web/form_body.hpp"

namespace web = hrs::server::web;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A string as the request body is: parse_form_fields needs the NUL after the text.
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto form = web::parse_form_fields(body);
  if (!form) return 0;
  const auto& survey = shipped_survey();
  const auto in_roster = [](std::string_view id) { return id.starts_with("s-"); };
  const std::vector<std::string> invited{"s-101"};
  for (auto mode : {web::form_mode::invitation, web::form_mode::campaign}) {
    const auto answers = web::answers_from_form(survey, *form, mode);
    const hrs::engine::answer_context context{
        .invitation_staff = mode == web::form_mode::invitation ? &invited : nullptr,
        .staff_exists = in_roster};
    auto checked = hrs::engine::validate_answers(survey, answers, context);
    if (checked) continue;
    for (const char* locale : {"en", "it", "zh-Hant"}) {
      if (web::explain_errors(survey, answers, checked.error(), locale).empty()) std::abort();
    }
  }
  return 0;
}
