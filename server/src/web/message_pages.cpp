#include "message_pages.hpp"

#include <spdlog/spdlog.h>

#include "../http/error_response.hpp"
#include "html_response.hpp"
#include "page_locale.hpp"
#include "page_renderer.hpp"
#include "ui_text.hpp"

namespace hrs::server::web {

response message_page(http::status status, const message& m) {
  page p{m.locale, m.heading, "message", {}, m.languages};
  p.values = {{"heading", m.heading}, {"paragraphs", m.paragraphs}};
  return html_response(status, render_page(p));
}

response error_page(const engine::error& err, const std::string& locale,
                    const std::vector<std::string>& languages) {
  using engine::errc;
  std::string_view page_key = "unavailable";
  switch (err.code) {
    case errc::not_found:
    case errc::unauthorized:
    case errc::forbidden:
      page_key = "not_found";
      break;
    case errc::conflict:
      page_key = "answered";
      break;
    case errc::gone:
      page_key = "expired";
      break;
    case errc::validation_failed:
    case errc::too_large:
    case errc::unsupported_media_type:
      page_key = "form_error";
      break;
    case errc::too_many_requests:  // expected under a flood: counted in the metrics, not logged
      break;
    case errc::unavailable:
    case errc::internal:
      spdlog::error("survey page: {}: {}{}{}", engine::to_string(err.code), err.message,
                    err.log.empty() ? "" : ": ", err.log);
      break;
  }
  const std::string key(page_key);
  return message_page(
      status_for(err.code),
      {locale, ui_string(key + "_title", locale), {ui_string(key + "_text", locale)}, languages});
}

response too_many_requests_page(const request_context& ctx) {
  return error_page({engine::errc::too_many_requests, "too many requests", {}, {}},
                    ui_page_locale(ctx));
}

}  // namespace hrs::server::web
