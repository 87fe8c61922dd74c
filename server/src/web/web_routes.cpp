#include "web_routes.hpp"

#include "../http/router.hpp"
#include "message_pages.hpp"
#include "web_sessions.hpp"

namespace hrs::server::web {

void add_web_routes(router& routes) {
  add_invitation_pages(routes);
  add_campaign_pages(routes);
  add_thanks_page(routes);
  add_static_files(routes);
  // The sessions live as long as the routes, i.e. the process.
  auto sessions = std::make_shared<session_store>();
  add_dashboard_pages(routes, sessions);
  add_admin_pages(routes, sessions);
  routes.set_refusal_page(refusal_page);
}

}  // namespace hrs::server::web
