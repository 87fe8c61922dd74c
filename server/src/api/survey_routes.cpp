#include <charconv>
#include <map>

#include "../http/json_body.hpp"
#include "../http/server_context.hpp"
#include "api_support.hpp"
#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/locale.hpp"
#include "hrs/engine/surveys.hpp"

namespace hrs::server {

namespace {

using json = nlohmann::json;

// Every stored version per template id, in version order.
engine::result<std::map<std::string, json>> versions_by_survey(engine::store& s) {
  auto versions = engine::list_survey_versions(s);
  if (!versions) return std::unexpected(versions.error());
  std::map<std::string, json> out;
  for (const auto& v : *versions) {
    auto& list = out[v.id];
    if (list.is_null()) list = json::array();
    list.push_back({{"version", v.version}, {"responses", v.responses}});
  }
  return out;
}

void list_surveys(request_context& ctx, responder respond) {
  auto versions = versions_by_survey(*ctx.server.store);
  if (!versions) return reply_error(respond, versions.error());
  json surveys = json::array();
  for (auto& [id, list] : *versions) {
    auto active = engine::find_active_survey(*ctx.server.store, id);
    if (!active) return reply_error(respond, active.error());
    const auto& s = **active;
    surveys.push_back({{"id", id},
                       {"title", engine::localize(s.title, s.default_locale, s.default_locale)},
                       {"active_version", s.version},
                       {"versions", std::move(list)}});
  }
  reply(respond, http::status::ok, {{"surveys", std::move(surveys)}});
}

void get_survey(request_context& ctx, responder respond) {
  const auto& id = ctx.params[0];
  auto active = engine::find_active_survey(*ctx.server.store, id);
  if (!active) return reply_error(respond, active.error());
  auto shown = *active;
  if (auto wanted = query_param(ctx, "version")) {
    int version = 0;
    auto [end, ec] = std::from_chars(wanted->data(), wanted->data() + wanted->size(), version);
    if (ec != std::errc{} || end != wanted->data() + wanted->size() || version < 1)
      return reply_error(respond, {engine::errc::validation_failed,
                                   "the version is invalid",
                                   {{"version", "expected a positive integer"}},
                                   {}});
    auto found = engine::find_survey(*ctx.server.store, id, version);
    if (!found) return reply_error(respond, found.error());
    shown = *found;
  }
  auto versions = versions_by_survey(*ctx.server.store);
  if (!versions) return reply_error(respond, versions.error());
  reply(respond, http::status::ok,
        {{"id", id},
         {"active_version", (*active)->version},
         {"versions", (*versions)[id]},
         {"definition", engine::to_json_document(*shown)}});
}

void post_survey(request_context& ctx, responder respond) {
  auto body = parse_json_body(ctx.req);
  if (!body) return reply_error(respond, body.error());
  auto definition = engine::parse_definition(*body);
  if (!definition) return reply_error(respond, definition.error());
  // Rare and made by admins: waiting here for the commit is simpler than a callback.
  auto outcome =
      engine::register_survey(*ctx.server.store, *definition, engine::token_actor(*ctx.caller));
  if (!outcome) return reply_error(respond, outcome.error());
  constexpr std::string_view names[] = {"created", "unchanged", "replaced"};
  reply(respond,
        *outcome == engine::registration::created ? http::status::created : http::status::ok,
        {{"id", definition->id},
         {"version", definition->version},
         {"status", names[static_cast<int>(*outcome)]}});
}

}  // namespace

void add_survey_routes(router& routes) {
  const auto readers = access::for_roles({engine::role::admin, engine::role::lead});
  routes.add(http::verb::get, "/api/v1/surveys", readers, list_surveys);
  routes.add(http::verb::get, "/api/v1/surveys/{id}", readers, get_survey);
  routes.add(http::verb::post, "/api/v1/surveys", access::for_roles({engine::role::admin}),
             post_survey);
}

}  // namespace hrs::server
