#include <fmt/format.h>

#include "../http/json_body.hpp"
#include "../http/server_context.hpp"
#include "api_support.hpp"
#include "hrs/engine/responses.hpp"

namespace hrs::server {

namespace {

using json = nlohmann::json;

struct common_fields {
  std::string locale;
  json answers;
};

// Checks the fields both kinds of response share; `allowed` names every key allowed.
// The locale and the answers move out of `body` rather than being copied.
engine::result<common_fields> read_common(json& body,
                                          std::initializer_list<std::string_view> allowed,
                                          std::vector<engine::detail>& problems) {
  if (!body.is_object())
    return engine::fail(engine::errc::validation_failed, "expected an object",
                        {{"", "expected an object"}});
  reject_unknown_keys(body, allowed, problems);
  common_fields out;
  if (member(body, "locale", json::value_t::string, problems) != nullptr)
    out.locale = std::move(body["locale"].get_ref<std::string&>());
  if (member(body, "answers", json::value_t::object, problems) != nullptr)
    out.answers = std::move(body["answers"]);
  else if (!body.contains("answers"))
    problems.push_back({"/answers", "required"});
  return out;
}

// Answers after the commit that holds the response, never before.
engine::completion<engine::stored_response> when_stored(responder respond, server_context& server) {
  return [respond = std::move(respond),
          &server](engine::result<engine::stored_response> stored) mutable {
    if (!stored) return reply_error(respond, stored.error());
    server.metrics.response_stored();
    // Written as text, byte for byte what the JSON library would print: building a
    // document for two fields cost more than the rest of the answer. The id is a number
    // and the timestamp's characters need no escaping.
    respond(json_text_response(http::status::created,
                               fmt::format(R"({{"id":{},"received_at":"{}"}})", stored->id,
                                           engine::format_timestamp(stored->received_at))));
  };
}

void submit(request_context& ctx, responder respond) {
  auto body = parse_json_body(ctx.req);
  if (!body) return reply_error(respond, body.error());
  std::vector<engine::detail> problems;
  auto common = read_common(*body, {"token", "locale", "answers"}, problems);
  if (!common) return reply_error(respond, common.error());
  std::string token;
  if (member(*body, "token", json::value_t::string, problems) != nullptr)
    token = std::move((*body)["token"].get_ref<std::string&>());
  else if (!body->contains("token"))
    problems.push_back({"/token", "required"});
  if (!problems.empty())
    return reply_error(
        respond,
        {engine::errc::validation_failed, "the response is invalid", std::move(problems), {}});
  engine::submit_response(*ctx.server.store,
                          {std::move(token), std::move(common->locale), std::move(common->answers)},
                          when_stored(std::move(respond), ctx.server));
}

void submit_campaign(request_context& ctx, responder respond) {
  auto body = parse_json_body(ctx.req);
  if (!body) return reply_error(respond, body.error());
  std::vector<engine::detail> problems;
  auto common = read_common(*body, {"locale", "answers"}, problems);
  if (!common) return reply_error(respond, common.error());
  if (!problems.empty())
    return reply_error(
        respond,
        {engine::errc::validation_failed, "the response is invalid", std::move(problems), {}});
  engine::submit_campaign_response(
      *ctx.server.store, {ctx.params[0], std::move(common->locale), std::move(common->answers)},
      when_stored(std::move(respond), ctx.server));
}

}  // namespace

void add_response_routes(router& routes) {
  routes.add(http::verb::post, "/api/v1/responses", access::open_limited(), submit);
  routes.add(http::verb::post, "/api/v1/campaigns/{survey}/responses", access::open_limited(),
             submit_campaign);
}

}  // namespace hrs::server
