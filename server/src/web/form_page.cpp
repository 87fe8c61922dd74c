#include "form_page.hpp"

#include "hrs/engine/locale.hpp"
#include "html_response.hpp"
#include "page_renderer.hpp"

namespace hrs::server::web {

response survey_form_page(http::status status, const engine::survey& s,
                          const survey_form_input& in) {
  page p{in.locale, engine::localize(s.title, in.locale, s.default_locale), "survey_form",
         survey_form_values(s, in), s.locales};
  return html_response(status, render_page(p));
}

// Survey ids and locale tags are made of characters that need no escaping in a URL.
std::string thanks_location(const engine::survey& s, const std::string& locale) {
  return "/thanks/" + s.id + "?lang=" + locale;
}

std::string form_action(const std::string& locale) {
  return "?lang=" + locale;
}

}  // namespace hrs::server::web
