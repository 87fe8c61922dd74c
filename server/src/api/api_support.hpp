#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "../http/error_response.hpp"
#include "../http/router.hpp"
#include "hrs/engine/error.hpp"

namespace hrs::server {

// The decoded value of a query parameter, if present.
std::optional<std::string> query_param(const request_context& ctx, std::string_view name);

// Sends a JSON body, or the error of a failed result.
inline void reply(responder& respond, http::status status, const nlohmann::json& body) {
  respond(json_response(status, body));
}
inline void reply_error(responder& respond, const engine::error& err) {
  respond(error_response(err));
}

// Reads a body object's member that must have a JSON type; records a detail otherwise.
// Returns nullptr when absent.
const nlohmann::json* member(const nlohmann::json& body, std::string_view key,
                             nlohmann::json::value_t type, std::vector<engine::detail>& problems);

// Records a detail for every key of `body` not in `allowed`.
void reject_unknown_keys(const nlohmann::json& body,
                         std::initializer_list<std::string_view> allowed,
                         std::vector<engine::detail>& problems);

class router;
void add_health_routes(router& routes);
void add_survey_routes(router& routes);
void add_staff_routes(router& routes);
void add_invitation_routes(router& routes);
void add_response_routes(router& routes);
void add_report_routes(router& routes);
void add_audit_routes(router& routes);

}  // namespace hrs::server
