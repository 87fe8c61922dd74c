#pragma once

namespace hrs::server {
class router;
}

namespace hrs::server::web {

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
void add_dashboard_pages(router& routes);

// All of the above.
void add_web_routes(router& routes);

}  // namespace hrs::server::web
