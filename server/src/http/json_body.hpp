#pragma once

#include <nlohmann/json.hpp>

#include "hrs/engine/error.hpp"
#include "http_types.hpp"

namespace hrs::server {

// Parses a request body that must be JSON (Content-Type application/json, any
// parameters): 415 for another type, 400 for malformed JSON, invalid UTF-8, nesting
// deeper than 32, or an object with the same key twice (which would otherwise let the
// last one win silently).
[[nodiscard]] engine::result<nlohmann::json> parse_json_body(const request& req);

// True when the request's Content-Type is `type` (ignoring case and parameters).
bool has_content_type(const request& req, std::string_view type);

}  // namespace hrs::server
