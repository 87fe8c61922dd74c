#include "error_response.hpp"

namespace hrs::server {

http::status status_for(engine::errc code) noexcept {
  using engine::errc;
  switch (code) {
    case errc::validation_failed:
      return http::status::bad_request;
    case errc::unauthorized:
      return http::status::unauthorized;
    case errc::forbidden:
      return http::status::forbidden;
    case errc::not_found:
      return http::status::not_found;
    case errc::conflict:
      return http::status::conflict;
    case errc::gone:
      return http::status::gone;
    case errc::too_large:
      return http::status::payload_too_large;
    case errc::unsupported_media_type:
      return http::status::unsupported_media_type;
    case errc::too_many_requests:
      return http::status::too_many_requests;
    case errc::unavailable:
      return http::status::service_unavailable;
    case errc::internal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

response json_response(http::status status, const nlohmann::json& body) {
  return json_text_response(status,
                            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

response json_text_response(http::status status, std::string json_text) {
  response res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(json_text);
  return res;
}

response error_response(const engine::error& err) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& d : err.details)
    details.push_back({{"path", d.path}, {"message", d.message}});
  nlohmann::json body = {
      {"error", {{"code", engine::to_string(err.code)}, {"message", err.message}}}};
  if (!details.empty()) body["error"]["details"] = std::move(details);
  auto res = json_response(status_for(err.code), body);
  if (err.code == engine::errc::unauthorized) res.set(http::field::www_authenticate, "Bearer");
  return res;
}

response error_response(http::status status, std::string_view code, std::string_view message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace hrs::server
