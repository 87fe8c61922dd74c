#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../http/router.hpp"
#include "hrs/engine/survey.hpp"

namespace hrs::server::web {

// Returns the language ranges of an Accept-Language header, most preferred first
// ("it-IT,it;q=0.9,en;q=0.8" -> it-IT, it, en); ranges with q=0 and "*" are left out.
std::vector<std::string> accepted_languages(std::string_view header);

// The locale a survey page is shown in, one of `s.locales`: the first of these that the
// survey has (itself or a parent tag, so "it-CH" finds "it"): the `lang` query
// parameter (the language switcher), `preferred` (the invitation's locale), the
// Accept-Language header; else the survey's default locale.
std::string survey_page_locale(const engine::survey& s, const request_context& ctx,
                               std::optional<std::string_view> preferred = std::nullopt);

// The same choice among the locales of the UI texts (ui_locales()), for pages that show
// no survey (an unknown link).
std::string ui_page_locale(const request_context& ctx);
// The same from a request's header alone (its target's `lang` and its Accept-Language),
// for refusals that come before any route.
std::string ui_page_locale(const http::request_header<>& req);

}  // namespace hrs::server::web
