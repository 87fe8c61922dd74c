#include "../http/json_body.hpp"
#include "../http/server_context.hpp"
#include "api_support.hpp"
#include "hrs/engine/roster.hpp"

namespace hrs::server {

namespace {

using json = nlohmann::json;

json to_json(const engine::staff_member& m) {
  return {{"id", m.id}, {"name", m.name}, {"team", m.team}};
}

void list_roster(request_context& ctx, responder respond) {
  auto roster = engine::list_staff(*ctx.server.store);
  if (!roster) return reply_error(respond, roster.error());
  json staff = json::array();
  for (const auto& m : *roster)
    staff.push_back(to_json(m));
  reply(respond, http::status::ok, {{"staff", std::move(staff)}});
}

void put_member(request_context& ctx, responder respond) {
  auto body = parse_json_body(ctx.req);
  if (!body) return reply_error(respond, body.error());
  std::vector<engine::detail> problems;
  if (!body->is_object())
    return reply_error(
        respond,
        {engine::errc::validation_failed, "expected an object", {{"", "expected an object"}}, {}});
  reject_unknown_keys(*body, {"id", "name", "team"}, problems);
  const auto* id = member(*body, "id", json::value_t::string, problems);
  const auto* name = member(*body, "name", json::value_t::string, problems);
  const auto* team = member(*body, "team", json::value_t::string, problems);
  if (id != nullptr && id->get_ref<const std::string&>() != ctx.params[0])
    problems.push_back({"/id", "must equal the id in the path"});
  if (name == nullptr && !body->contains("name")) problems.push_back({"/name", "required"});
  if (team == nullptr && !body->contains("team")) problems.push_back({"/team", "required"});
  if (!problems.empty())
    return reply_error(
        respond,
        {engine::errc::validation_failed, "the staff entry is invalid", std::move(problems), {}});

  engine::staff_member m{ctx.params[0], name->get<std::string>(), team->get<std::string>()};
  auto outcome = engine::put_staff(*ctx.server.store, m, engine::token_actor(*ctx.caller));
  if (!outcome) return reply_error(respond, outcome.error());
  reply(respond,
        *outcome == engine::put_outcome::created ? http::status::created : http::status::ok,
        to_json(m));
}

void import_roster(request_context& ctx, responder respond) {
  if (!has_content_type(ctx.req, "text/csv"))
    return reply_error(respond,
                       {engine::errc::unsupported_media_type, "the body must be text/csv", {}, {}});
  auto roster = engine::parse_roster_csv(ctx.req.body());
  if (!roster) return reply_error(respond, roster.error());
  auto summary = engine::import_staff(*ctx.server.store, *roster, engine::token_actor(*ctx.caller));
  if (!summary) return reply_error(respond, summary.error());
  reply(respond, http::status::ok,
        {{"created", summary->created},
         {"updated", summary->updated},
         {"unchanged", summary->unchanged}});
}

}  // namespace

void add_staff_routes(router& routes) {
  const auto roster_keepers = access::for_roles({engine::role::admin, engine::role::integration});
  routes.add(http::verb::get, "/api/v1/staff", roster_keepers, list_roster);
  routes.add(http::verb::put, "/api/v1/staff/{id}", roster_keepers, put_member);
  routes.add(http::verb::post, "/api/v1/staff:import", roster_keepers, import_roster);
}

}  // namespace hrs::server
