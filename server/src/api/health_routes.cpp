#include "../http/server_context.hpp"
#include "api_support.hpp"

namespace hrs::server {

void add_health_routes(router& routes) {
  routes.add(http::verb::get, "/healthz", access::open(), [](request_context&, responder respond) {
    reply(respond, http::status::ok, {{"status", "ok"}});
  });
  routes.add(
      http::verb::get, "/metrics",
      access::for_roles({engine::role::admin, engine::role::lead, engine::role::integration}),
      [](request_context& ctx, responder respond) {
        response res{http::status::ok, 11};
        res.set(http::field::content_type, "text/plain; version=0.0.4");
        res.body() = ctx.server.metrics.render(ctx.server.store->stats(),
                                               ctx.server.store->reader_cache_bytes());
        respond(std::move(res));
      });
}

}  // namespace hrs::server
