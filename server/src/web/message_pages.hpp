#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../http/http_types.hpp"
#include "../http/router.hpp"
#include "hrs/engine/error.hpp"

namespace hrs::server::web {

// A page that says one thing: a heading and a few paragraphs, in `locale`.
struct message {
  std::string locale;
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<std::string> languages = {};  // the language switcher; empty: none
};

response message_page(http::status status, const message& m);

// The page for a domain error on a survey page, with the error's status (status_for):
// an unknown link (404), an invitation already answered (409) or expired (410), a form
// that cannot be read (400, 413, 415), or the server's trouble (503, 500; logged here
// with its `log`, never shown). `languages` offers the page in other languages.
response error_page(const engine::error& err, const std::string& locale,
                    const std::vector<std::string>& languages = {});

// The page for a refusal of the HTTP layer (no such page 404, wrong method 405, body
// too large 413, link too long 414) to a request for a page, in the locale of
// ui_page_locale; nullopt for the paths of machines, /api/..., /metrics and /healthz,
// which keep the JSON error. Set as the router's refusal_page. Headers over their limit
// (431) and requests that are not HTTP (400) stay JSON everywhere: the parser stops
// before it has read the target, so the server cannot tell whose request it was.
std::optional<response> refusal_page(const http::request_header<>& req, http::status status);

// The 429 page of a rate-limited survey page ("please try again later"), in the UI
// locale the request prefers; the router adds Retry-After.
response too_many_requests_page(const request_context& ctx);

}  // namespace hrs::server::web
