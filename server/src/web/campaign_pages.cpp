// /c/{survey}: a campaign survey, open to anyone with the link; the respondent picks the
// staff who helped from the roster.

#include <expected>
#include <memory>

#include "../api/api_support.hpp"
#include "../http/server_context.hpp"
#include "form_page.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/surveys.hpp"
#include "hrs/engine/text_rules.hpp"
#include "html_response.hpp"
#include "message_pages.hpp"
#include "page_locale.hpp"
#include "ui_text.hpp"
#include "web_routes.hpp"

namespace hrs::server::web {

namespace {

struct open_campaign {
  std::shared_ptr<const engine::survey> survey;
  std::string locale;
  std::vector<engine::staff_member> roster;  // empty when the survey asks for no staff
};

std::expected<open_campaign, response> open(const request_context& ctx) {
  auto& store = *ctx.server.store;
  const auto& id = ctx.params[0];
  const auto not_found = [&] {
    return error_page({engine::errc::not_found, "no campaign survey has this id", {}, {}},
                      ui_page_locale(ctx), ui_locales());
  };
  if (!engine::is_safe_id(id)) return std::unexpected(not_found());
  auto survey = engine::find_active_survey(store, id);
  if (!survey) {
    if (survey.error().code == engine::errc::not_found) return std::unexpected(not_found());
    return std::unexpected(error_page(survey.error(), ui_page_locale(ctx)));
  }
  if (!(*survey)->campaign) return std::unexpected(not_found());
  open_campaign out{*survey, survey_page_locale(**survey, ctx), {}};
  if ((*survey)->staff_question() != nullptr) {
    auto roster = engine::list_staff(store);
    if (!roster) return std::unexpected(error_page(roster.error(), out.locale));
    out.roster = std::move(*roster);
  }
  return out;
}

survey_form_input form_input(const open_campaign& c) {
  survey_form_input in;
  in.mode = form_mode::campaign;
  in.locale = c.locale;
  in.action = form_action(c.locale);
  in.roster = &c.roster;
  return in;
}

void show(request_context& ctx, responder respond) {
  auto campaign = open(ctx);
  if (!campaign) return respond(std::move(campaign.error()));
  auto in = form_input(*campaign);
  in.search = query_param(ctx, "q").value_or("");
  respond(survey_form_page(http::status::ok, *campaign->survey, in));
}

struct submission {
  open_campaign campaign;
  form_fields sent;
  nlohmann::json answers;
};

void answer(request_context& ctx, responder respond) {
  auto campaign = open(ctx);
  if (!campaign) return respond(std::move(campaign.error()));
  auto form = parse_form_body(ctx.req);
  if (!form) return respond(error_page(form.error(), campaign->locale, campaign->survey->locales));

  // The staff picker's search button: the same form again, answers kept, nothing stored.
  if (form->value(action_field) == "search") {
    auto in = form_input(*campaign);
    in.sent = &*form;
    in.search = form->value(search_field);
    return respond(survey_form_page(http::status::ok, *campaign->survey, in));
  }

  auto answers = answers_from_form(*campaign->survey, *form, form_mode::campaign);
  auto state = std::make_shared<submission>(std::move(*campaign), std::move(*form), answers);
  auto& server = ctx.server;
  engine::submit_campaign_response(
      *server.store, {state->campaign.survey->id, state->campaign.locale, std::move(answers)},
      [respond = std::move(respond), state,
       &server](engine::result<engine::stored_response> stored) mutable {
        const auto& survey = *state->campaign.survey;
        const auto& locale = state->campaign.locale;
        if (stored) {
          server.metrics.response_stored();
          return respond(see_other(thanks_location(survey, locale)));
        }
        if (stored.error().code != engine::errc::validation_failed)
          return respond(error_page(stored.error(), locale, survey.locales));
        const auto errors = explain_errors(survey, state->answers, stored.error(), locale);
        auto in = form_input(state->campaign);
        in.sent = &state->sent;
        in.errors = &errors;
        in.search = state->sent.value(search_field);
        respond(survey_form_page(http::status::bad_request, survey, in));
      });
}

}  // namespace

void add_campaign_pages(router& routes) {
  routes.add(http::verb::get, "/c/{survey}", access::open_limited(too_many_requests_page), show);
  routes.add(http::verb::post, "/c/{survey}", access::open_limited(too_many_requests_page), answer);
}

}  // namespace hrs::server::web
