#pragma once

#include <nlohmann/json.hpp>

#include "hrs/engine/error.hpp"
#include "http_types.hpp"

namespace hrs::server {

// The one table from domain error codes to HTTP statuses.
http::status status_for(engine::errc code) noexcept;

// A JSON response with `body` serialized (invalid UTF-8 replaced, never thrown on).
response json_response(http::status status, const nlohmann::json& body);
// A JSON response whose body the caller serialized already.
response json_text_response(http::status status, std::string json_text);

// {"error": {"code", "message", "details": [{"path", "message"}]}}; `log` stays out.
response error_response(const engine::error& err);

// The same body for errors of the HTTP layer itself, which have no domain code
// (405 method_not_allowed, 414 target_too_long, 431 headers_too_large, ...).
response error_response(http::status status, std::string_view code, std::string_view message);

}  // namespace hrs::server
