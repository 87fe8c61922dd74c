// /s/{token}: the survey of an invitation, as a form that works without JavaScript.

#include <expected>
#include <memory>

#include "../http/server_context.hpp"
#include "form_page.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/surveys.hpp"
#include "html_response.hpp"
#include "message_pages.hpp"
#include "page_locale.hpp"
#include "ui_text.hpp"
#include "web_routes.hpp"

namespace hrs::server::web {

namespace {

// An invitation that may be answered now, with what its form shows.
struct open_invitation {
  std::shared_ptr<const engine::survey> survey;
  std::string locale;
  std::vector<std::string> staff_names;
};

// The page for a token that cannot be answered: "already answered" and "expired" in the
// invitation's language, an unknown token (404) in the browser's.
response refusal_page(const request_context& ctx, const engine::error& err) {
  auto& store = *ctx.server.store;
  if (err.code == engine::errc::conflict || err.code == engine::errc::gone) {
    auto inv = engine::find_invitation(store, ctx.params[0], engine::token_use::view);
    if (inv) {
      if (auto survey = engine::find_survey(store, inv->survey, inv->version))
        return error_page(err, survey_page_locale(**survey, ctx, inv->locale), (*survey)->locales);
    }
  }
  return error_page(err, ui_page_locale(ctx), ui_locales());
}

std::expected<open_invitation, response> open(const request_context& ctx) {
  auto& store = *ctx.server.store;
  auto inv = engine::find_invitation(store, ctx.params[0], engine::token_use::answer);
  if (!inv) return std::unexpected(refusal_page(ctx, inv.error()));
  auto survey = engine::find_survey(store, inv->survey, inv->version);
  if (!survey) return std::unexpected(error_page(survey.error(), ui_page_locale(ctx)));
  open_invitation out{*survey, survey_page_locale(**survey, ctx, inv->locale), {}};
  // A staff member removed from the roster since is still named, by id.
  for (const auto& id : inv->staff) {
    auto member = engine::find_staff(store, id);
    out.staff_names.push_back(member ? member->name : id);
  }
  return out;
}

survey_form_input form_input(const open_invitation& inv) {
  survey_form_input in;
  in.mode = form_mode::invitation;
  in.locale = inv.locale;
  in.action = form_action(inv.locale);
  in.staff_names = inv.staff_names;
  return in;
}

void show(request_context& ctx, responder respond) {
  auto inv = open(ctx);
  if (!inv) return respond(std::move(inv.error()));
  respond(survey_form_page(http::status::ok, *inv->survey, form_input(*inv)));
}

// What a submit needs after the engine has answered, possibly on another thread.
struct submission {
  open_invitation inv;
  form_fields sent;
  nlohmann::json answers;
};

void answer(request_context& ctx, responder respond) {
  auto inv = open(ctx);
  if (!inv) return respond(std::move(inv.error()));
  auto form = parse_form_body(ctx.req);
  if (!form) return respond(error_page(form.error(), inv->locale, inv->survey->locales));

  auto answers = answers_from_form(*inv->survey, *form, form_mode::invitation);
  auto state = std::make_shared<submission>(std::move(*inv), std::move(*form), answers);
  auto& server = ctx.server;
  engine::submit_response(
      *server.store, {ctx.params[0], state->inv.locale, std::move(answers)},
      [respond = std::move(respond), state,
       &server](engine::result<engine::stored_response> stored) mutable {
        const auto& survey = *state->inv.survey;
        if (stored) {
          server.metrics.response_stored();
          return respond(see_other(thanks_location(survey, state->inv.locale)));
        }
        if (stored.error().code != engine::errc::validation_failed)
          return respond(error_page(stored.error(), state->inv.locale, survey.locales));
        const auto errors =
            explain_errors(survey, state->answers, stored.error(), state->inv.locale);
        auto in = form_input(state->inv);
        in.sent = &state->sent;
        in.errors = &errors;
        respond(survey_form_page(http::status::bad_request, survey, in));
      });
}

}  // namespace

void add_invitation_pages(router& routes) {
  routes.add(http::verb::get, "/s/{token}", access::open_limited(too_many_requests_page), show);
  routes.add(http::verb::post, "/s/{token}", access::open_limited(too_many_requests_page), answer);
}

}  // namespace hrs::server::web
