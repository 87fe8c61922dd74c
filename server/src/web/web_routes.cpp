#include "web_routes.hpp"

namespace hrs::server::web {

void add_web_routes(router& routes) {
  add_invitation_pages(routes);
  add_campaign_pages(routes);
  add_thanks_page(routes);
  add_static_files(routes);
  add_dashboard_pages(routes);
}

}  // namespace hrs::server::web
