#pragma once

// What the dashboard and the admin pages share: the session cookie, the page frame with
// the signed-in navigation, and the check that a request comes from a live session of
// an allowed role and, for a POST, carries the session's CSRF token.

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "../http/http_types.hpp"
#include "../http/router.hpp"
#include "hrs/engine/access_tokens.hpp"
#include "web_sessions.hpp"

namespace hrs::server::web {

inline constexpr std::string_view session_cookie_name = "hrs_session";
inline constexpr std::string_view csrf_field = "_csrf";

// The value of the session cookie in the Cookie header, or "" when there is none.
std::string_view session_cookie(const request& req);

// A page of the signed-in pages (English), with the navigation when `csrf` is given.
// `is_admin` adds the admin page's link to the navigation.
response signed_in_page(http::status status, std::string title, std::string body,
                        nlohmann::json values, const std::string& csrf = {}, bool is_admin = false);
// A page that says one thing: a heading and a paragraph.
response signed_in_message(http::status status, std::string heading, std::string text,
                           const std::string& csrf = {}, bool is_admin = false);

// A signed-in user: their session and the grant of its token, authenticated just now.
struct signed_in {
  std::string id;
  web_session session;
  engine::access_token grant;
  bool is_admin() const noexcept { return grant.granted == engine::role::admin; }
};

// Returns the signed-in user, or the response to send instead: 303 to /login without a
// live session or when its token was revoked (the session then ends), 403 with
// `refusal` for a role not in `allowed`.
std::variant<signed_in, response> require_session(request_context& ctx, session_store& sessions,
                                                  std::initializer_list<engine::role> allowed,
                                                  std::string_view refusal);

// The 403 page for a POST whose `_csrf` field is missing or not the session's.
response expired_form(const signed_in& user);

}  // namespace hrs::server::web
