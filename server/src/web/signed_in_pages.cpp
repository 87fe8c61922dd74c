#include "signed_in_pages.hpp"

#include <algorithm>

#include "../http/server_context.hpp"
#include "html_response.hpp"
#include "page_renderer.hpp"

namespace hrs::server::web {

namespace {

// The signed-in pages are in English for now; the survey pages' texts are per locale.
constexpr std::string_view signed_in_locale = "en";

}  // namespace

std::string_view session_cookie(const request& req) {
  std::string_view header = req[http::field::cookie];
  while (!header.empty()) {
    const auto end = header.find(';');
    auto pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t'))
      pair.remove_prefix(1);
    if (pair.starts_with(session_cookie_name) && pair.size() > session_cookie_name.size() &&
        pair[session_cookie_name.size()] == '=')
      return pair.substr(session_cookie_name.size() + 1);
  }
  return {};
}

response signed_in_page(http::status status, std::string title, std::string body,
                        nlohmann::json values, const std::string& csrf, bool is_admin) {
  if (!csrf.empty()) values["signed_in"] = {{"csrf", csrf}, {"is_admin", is_admin}};
  page p{std::string(signed_in_locale), std::move(title), std::move(body), std::move(values), {}};
  return html_response(status, render_page(p));
}

response signed_in_message(http::status status, std::string heading, std::string text,
                           const std::string& csrf, bool is_admin) {
  nlohmann::json values = {{"heading", heading}, {"text", std::move(text)}};
  return signed_in_page(status, std::move(heading), "dashboard_message", std::move(values), csrf,
                        is_admin);
}

std::variant<signed_in, response> require_session(request_context& ctx, session_store& sessions,
                                                  std::initializer_list<engine::role> allowed,
                                                  std::string_view refusal) {
  const auto id = std::string(session_cookie(ctx.req));
  if (id.empty()) return see_other("/login");
  auto session = sessions.find(id);
  if (!session) return see_other("/login");
  auto grant = engine::authenticate(*ctx.server.store, session->token);
  if (!grant) {
    if (grant.error().code != engine::errc::unauthorized)
      return signed_in_message(http::status::service_unavailable, "Please try again later",
                               "The store cannot be read just now.");
    sessions.close(id);
    return see_other("/login");
  }
  if (std::find(allowed.begin(), allowed.end(), grant->granted) == allowed.end())
    return signed_in_message(http::status::forbidden, "Not for this token", std::string(refusal),
                             session->csrf, grant->granted == engine::role::admin);
  return signed_in{id, std::move(*session), std::move(*grant)};
}

response expired_form(const signed_in& user) {
  return signed_in_message(http::status::forbidden, "The form has expired",
                           "Please go back, reload the page and try again.", user.session.csrf,
                           user.is_admin());
}

}  // namespace hrs::server::web
