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

namespace {

// True for the paths of the JSON API and the probes: their clients are programs.
bool is_machine_path(std::string_view target) {
  const auto path = target.substr(0, target.find_first_of("?#"));
  const auto is = [path](std::string_view prefix) {
    return path == prefix || path.starts_with(std::string(prefix) + "/");
  };
  return is("/api") || is("/metrics") || is("/healthz");
}

}  // namespace

std::optional<response> refusal_page(const http::request_header<>& req, http::status status) {
  std::string_view key;
  switch (status) {
    case http::status::not_found:
      key = "not_found";
      break;
    case http::status::method_not_allowed:
      key = "method_not_allowed";
      break;
    case http::status::payload_too_large:
      key = "too_large";
      break;
    case http::status::uri_too_long:
      key = "link_too_long";
      break;
    default:
      return std::nullopt;
  }
  const std::string_view target(req.target().data(), req.target().size());
  if (is_machine_path(target)) return std::nullopt;
  const auto locale = ui_page_locale(req);
  const std::string k(key);
  return message_page(status,
                      {locale, ui_string(k + "_title", locale), {ui_string(k + "_text", locale)}});
}

response too_many_requests_page(const request_context& ctx) {
  return error_page({engine::errc::too_many_requests, "too many requests", {}, {}},
                    ui_page_locale(ctx));
}

}  // namespace hrs::server::web
