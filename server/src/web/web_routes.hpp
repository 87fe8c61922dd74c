#pragma once

#include <memory>

namespace hrs::server {
class router;
}

namespace hrs::server::web {

class session_store;

// GET and POST /s/{token}: the survey form of an invitation.
void add_invitation_pages(router& routes);
// GET and POST /c/{survey}: the campaign form with its staff picker.
void add_campaign_pages(router& routes);
// GET /thanks/{survey}: where a stored response is sent.
void add_thanks_page(router& routes);
// GET /static/{file}: the stylesheet.
void add_static_files(router& routes);
// GET/POST /login, POST /logout, GET /dashboard and /dashboard/staff/{id}: the HR
// leads' pages behind a session cookie.
void add_dashboard_pages(router& routes, std::shared_ptr<session_store> sessions);
// GET /admin and its forms, GET /admin/surveys/{id}/preview: the admins' pages, in the
// same sessions as the dashboard.
void add_admin_pages(router& routes, std::shared_ptr<session_store> sessions);

// All of the above, and the pages for the router's refusals of page paths.
void add_web_routes(router& routes);

}  // namespace hrs::server::web
