#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace hrs::server::web {

// One page to render: templates/layout.mustache around templates/<body>.mustache.
struct page {
  std::string locale;  // the html lang attribute and the language of the UI texts
  std::string title;   // the <title>
  std::string body;    // the body template's name, e.g. "survey_form"
  // The body template's values. Every value is HTML-escaped when rendered: the
  // templates have no triple mustaches.
  nlohmann::json values = nlohmann::json::object();
  // The locales the page is offered in, for the language switcher (links to ?lang=);
  // fewer than two: no switcher.
  std::vector<std::string> languages;
};

// Renders the page to HTML. Besides `values`, templates see `ui` (the UI strings in the
// page's locale), `lang`, `title`, `stylesheet`, the switcher's `languages` and every
// template as a partial ({{> q_rating}}). A template that does not parse is a bug: it
// throws std::logic_error, which the session turns into a 500. Any thread may call it;
// each keeps the templates it has parsed.
std::string render_page(const page& p);

// The stylesheet's URL, with a version from its content so that it may be cached for
// a year: "/static/hrsurvey.css?v=1a2b3c4d".
const std::string& stylesheet_url();

}  // namespace hrs::server::web
