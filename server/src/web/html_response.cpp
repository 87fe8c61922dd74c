#include "html_response.hpp"

namespace hrs::server::web {

void set_page_headers(response& res) {
  res.set("Content-Security-Policy", content_security_policy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set(http::field::x_frame_options, "DENY");
  res.set(http::field::cache_control, "no-store");
}

response html_response(http::status status, std::string body) {
  response res{status, 11};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  set_page_headers(res);
  res.body() = std::move(body);
  return res;
}

response see_other(std::string_view location) {
  response res{http::status::see_other, 11};
  res.set(http::field::location, location);
  set_page_headers(res);
  return res;
}

}  // namespace hrs::server::web
