#include "../http/json_body.hpp"
#include "../http/server_context.hpp"
#include "api_support.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/locale.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/surveys.hpp"

namespace hrs::server {

namespace {

using json = nlohmann::json;

json invitation_json(const engine::invitation& inv, const std::string& base_url) {
  json out = {{"id", inv.id},
              {"survey", inv.survey},
              {"version", inv.version},
              {"staff", inv.staff},
              {"locale", inv.locale.empty() ? json(nullptr) : json(inv.locale)},
              {"external_ref", inv.external_ref ? json(*inv.external_ref) : json(nullptr)},
              {"expires_at", engine::format_timestamp(inv.expires_at)}};
  if (inv.token) {
    out["token"] = *inv.token;
    out["url"] = base_url + "/s/" + *inv.token;
  }
  return out;
}

engine::result<engine::invitation_request> read_request(const json& body) {
  std::vector<engine::detail> problems;
  if (!body.is_object())
    return engine::fail(engine::errc::validation_failed, "expected an object",
                        {{"", "expected an object"}});
  reject_unknown_keys(body, {"survey", "staff", "locale", "external_ref", "expires_in_days"},
                      problems);
  engine::invitation_request request;
  if (const auto* survey = member(body, "survey", json::value_t::string, problems))
    request.survey = survey->get<std::string>();
  else if (!body.contains("survey"))
    problems.push_back({"/survey", "required"});
  if (const auto* staff = member(body, "staff", json::value_t::array, problems)) {
    for (std::size_t i = 0; i < staff->size(); ++i) {
      if (!(*staff)[i].is_string())
        problems.push_back({"/staff/" + std::to_string(i), "expected a staff id"});
      else
        request.staff.push_back((*staff)[i].get<std::string>());
    }
  } else if (!body.contains("staff")) {
    problems.push_back({"/staff", "required"});
  }
  if (const auto* locale = member(body, "locale", json::value_t::string, problems))
    request.locale = locale->get<std::string>();
  if (const auto* ref = member(body, "external_ref", json::value_t::string, problems))
    request.external_ref = ref->get<std::string>();
  if (const auto* days = member(body, "expires_in_days", json::value_t::number_integer, problems)) {
    // nlohmann keeps non-negative integers unsigned; anything past a year is refused anyway.
    const auto value =
        days->is_number_unsigned()
            ? static_cast<std::int64_t>(std::min<std::uint64_t>(days->get<std::uint64_t>(), 366))
            : days->get<std::int64_t>();
    request.expires_in_days = static_cast<int>(std::clamp<std::int64_t>(value, 0, 366));
  }
  if (!problems.empty())
    return engine::fail(engine::errc::validation_failed, "the invitation request is invalid",
                        std::move(problems));
  return request;
}

void create(request_context& ctx, responder respond) {
  auto body = parse_json_body(ctx.req);
  if (!body) return reply_error(respond, body.error());
  auto request = read_request(*body);
  if (!request) return reply_error(respond, request.error());
  const auto& base_url = ctx.server.base_url;
  engine::create_invitation(*ctx.server.store, std::move(*request),
                            [respond, &base_url](engine::result<engine::invitation> inv) mutable {
                              if (!inv) return reply_error(respond, inv.error());
                              reply(respond,
                                    inv->created ? http::status::created : http::status::ok,
                                    invitation_json(*inv, base_url));
                            });
}

json localized(const engine::localized_text& text, const std::string& locale,
               const engine::survey& s) {
  return engine::localize(text, locale, s.default_locale);
}

json survey_for_respondent(const engine::survey& s, const std::string& locale) {
  json questions = json::array();
  for (const auto& q : s.questions) {
    json item = {{"id", q.id},
                 {"type", engine::to_string(q.type)},
                 {"text", localized(q.text, locale, s)},
                 {"required", q.required}};
    if (q.help) item["help"] = localized(*q.help, locale, s);
    if (!q.labels.empty()) {
      json labels = json::object();
      for (const auto& [point, label] : q.labels)
        labels[std::to_string(point)] = localized(label, locale, s);
      item["labels"] = std::move(labels);
    }
    if (!q.options.empty()) {
      json options = json::array();
      for (const auto& o : q.options)
        options.push_back({{"id", o.id}, {"label", localized(o.label, locale, s)}});
      item["options"] = std::move(options);
    }
    if (q.type == engine::question_type::text)
      item["max_length"] = q.max_length > 0 ? q.max_length : engine::default_text_max_length;
    questions.push_back(std::move(item));
  }
  json out = {{"id", s.id},
              {"version", s.version},
              {"locale", locale},
              {"locales", s.locales},
              {"title", localized(s.title, locale, s)},
              {"questions", std::move(questions)}};
  if (s.description) out["description"] = localized(*s.description, locale, s);
  if (s.thank_you) out["thank_you"] = localized(*s.thank_you, locale, s);
  return out;
}

void survey_of_invitation(request_context& ctx, responder respond) {
  auto& store = *ctx.server.store;
  auto inv = engine::find_invitation(store, ctx.params[0], engine::token_use::answer);
  if (!inv) return reply_error(respond, inv.error());
  auto definition = engine::find_survey(store, inv->survey, inv->version);
  if (!definition) return reply_error(respond, definition.error());
  auto requested = query_param(ctx, "locale");
  if (requested && !engine::is_locale_tag(*requested))
    return reply_error(respond, {engine::errc::validation_failed,
                                 "the locale is invalid",
                                 {{"locale", "not a language tag such as en or zh-Hant"}},
                                 {}});
  const auto locale = engine::resolve_locale(**definition, requested.value_or(inv->locale));
  json staff = json::array();
  for (const auto& id : inv->staff) {
    auto member_found = engine::find_staff(store, id);
    staff.push_back({{"id", id}, {"name", member_found ? member_found->name : id}});
  }
  reply(respond, http::status::ok,
        {{"survey", survey_for_respondent(**definition, locale)},
         {"staff", std::move(staff)},
         {"expires_at", engine::format_timestamp(inv->expires_at)}});
}

}  // namespace

void add_invitation_routes(router& routes) {
  routes.add(http::verb::post, "/api/v1/invitations",
             access::for_roles({engine::role::integration, engine::role::admin}), create);
  routes.add(http::verb::get, "/api/v1/invitations/{token}/survey", access::open_limited(),
             survey_of_invitation);
}

}  // namespace hrs::server
