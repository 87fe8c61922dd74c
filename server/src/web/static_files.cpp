// /static/{file}: the stylesheet, from the binary itself.

#include "../http/router.hpp"
#include "embedded_files.hpp"
#include "html_response.hpp"
#include "message_pages.hpp"
#include "page_locale.hpp"
#include "ui_text.hpp"
#include "web_routes.hpp"

namespace hrs::server::web {

namespace {

void stylesheet(request_context& ctx, responder respond) {
  // One file today; its URL carries a version (stylesheet_url), so it may be kept a year.
  if (ctx.params[0] != "hrsurvey.css")
    return respond(
        error_page({engine::errc::not_found, "no such file", {}, {}}, ui_page_locale(ctx)));
  response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/css; charset=utf-8");
  res.set(http::field::cache_control, "public, max-age=31536000, immutable");
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = std::string(embedded("static/hrsurvey.css"));
  respond(std::move(res));
}

}  // namespace

void add_static_files(router& routes) {
  routes.add(http::verb::get, "/static/{file}", access::open(), stylesheet);
}

}  // namespace hrs::server::web
