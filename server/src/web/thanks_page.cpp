// /thanks/{survey}: where a stored response is sent (303), so that reloading the page
// never posts the answers again.

#include "../http/server_context.hpp"
#include "hrs/engine/locale.hpp"
#include "hrs/engine/surveys.hpp"
#include "hrs/engine/text_rules.hpp"
#include "message_pages.hpp"
#include "page_locale.hpp"
#include "ui_text.hpp"
#include "web_routes.hpp"

namespace hrs::server::web {

namespace {

void thanks(request_context& ctx, responder respond) {
  const auto& id = ctx.params[0];
  engine::result<std::shared_ptr<const engine::survey>> survey =
      engine::fail(engine::errc::not_found, "no survey has this id");
  if (engine::is_safe_id(id)) survey = engine::find_active_survey(*ctx.server.store, id);
  if (!survey) return respond(error_page(survey.error(), ui_page_locale(ctx), ui_locales()));
  const auto& s = **survey;
  const auto locale = survey_page_locale(s, ctx);
  message m{
      locale, ui_string("thanks_title", locale), {ui_string("thanks_text", locale)}, s.locales};
  if (s.thank_you) m.paragraphs.push_back(engine::localize(*s.thank_you, locale, s.default_locale));
  respond(message_page(http::status::ok, m));
}

}  // namespace

void add_thanks_page(router& routes) {
  routes.add(http::verb::get, "/thanks/{survey}", access::open(), thanks);
}

}  // namespace hrs::server::web
