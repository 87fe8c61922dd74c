#pragma once

#include <string>

#include "../http/http_types.hpp"
#include "hrs/engine/survey.hpp"
#include "survey_view.hpp"

namespace hrs::server::web {

// The survey form as an HTML response, offered in every locale of the survey.
response survey_form_page(http::status status, const engine::survey& s,
                          const survey_form_input& in);

// Where a stored response is sent (303): the survey's thank-you page in `locale`.
std::string thanks_location(const engine::survey& s, const std::string& locale);

// The form's action: the page itself, in its locale ("?lang=it").
std::string form_action(const std::string& locale);

}  // namespace hrs::server::web
