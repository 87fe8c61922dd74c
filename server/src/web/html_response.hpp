#pragma once

#include <string>
#include <string_view>

#include "../http/http_types.hpp"

namespace hrs::server::web {

// The Content-Security-Policy of every page: nothing but our own stylesheet and forms
// that post to us; no script at all, no framing.
inline constexpr std::string_view content_security_policy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

// Sets the headers every HTML response carries: the CSP, nosniff, no referrer (survey
// URLs hold the invitation token), no framing and no caching (pages show answers and
// hold tokens in their links).
void set_page_headers(response& res);

// An HTML page (text/html; charset=utf-8) with the page headers.
response html_response(http::status status, std::string body);

// 303 See Other to `location`, a path on this server, with the page headers.
response see_other(std::string_view location);

}  // namespace hrs::server::web
