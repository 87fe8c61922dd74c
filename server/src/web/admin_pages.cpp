// The admins' pages: the templates with their versions and a preview of each locale,
// the upload of a new template version, the roster import and the access tokens. Every
// change goes through the same engine calls as the JSON API; every POST carries the
// session's CSRF token.

#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "../http/server_context.hpp"
#include "form_body.hpp"
#include "form_page.hpp"
#include "hrs/engine/access_tokens.hpp"
#include "hrs/engine/audit.hpp"
#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/locale.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/surveys.hpp"
#include "hrs/engine/time.hpp"
#include "page_locale.hpp"
#include "signed_in_pages.hpp"
#include "web_routes.hpp"
#include "web_sessions.hpp"

namespace hrs::server::web {

namespace {

using json = nlohmann::json;

constexpr std::string_view admins_only = "Only admin tokens may use the admin pages.";
// The admin page shows this many of the newest audit entries; the API pages through all.
constexpr std::size_t recent_audit_entries = 20;

// What one request to the admin page has to say besides the stored state: the outcome
// of a form just sent, and the text of a form to show again.
struct admin_state {
  std::string notice;  // what was done, e.g. "Stored hr-service version 2."
  std::string upload_text;
  std::vector<std::string> upload_problems;
  std::string roster_text;
  std::vector<std::string> roster_problems;
  std::vector<std::string> token_problems;
  std::string token_role = "lead";
  std::string token_team;
  std::string token_label;
  std::optional<engine::access_token> new_token;  // just created: its secret, shown once
  std::vector<std::string> revoke_problems;
};

// Every problem of an engine error as `/pointer: message`; the message alone when it
// has no detail.
std::vector<std::string> problem_lines(const engine::error& err) {
  std::vector<std::string> out;
  for (const auto& d : err.details)
    out.push_back(fmt::format("{}: {}", d.path.empty() ? "(document)" : d.path, d.message));
  if (out.empty()) out.push_back(err.message);
  return out;
}

json text_list(const std::vector<std::string>& lines) {
  json out = json::array();
  for (const auto& line : lines)
    out.push_back(line);
  return out;
}

engine::result<json> survey_values(engine::store& store) {
  auto versions = engine::list_survey_versions(store);
  if (!versions) return std::unexpected(versions.error());
  std::map<std::string, json> by_id;
  for (const auto& v : *versions) {
    auto& list = by_id[v.id];
    if (list.is_null()) list = json::array();
    list.push_back({{"version", v.version}, {"responses", v.responses}});
  }
  json out = json::array();
  for (auto& [id, list] : by_id) {
    auto active = engine::find_active_survey(store, id);
    if (!active) return std::unexpected(active.error());
    const auto& s = **active;
    json locales = json::array();
    for (const auto& tag : s.locales)
      locales.push_back(
          {{"tag", tag}, {"href", fmt::format("/admin/surveys/{}/preview?lang={}", id, tag)}});
    out.push_back({{"id", id},
                   {"title", engine::localize(s.title, s.default_locale, s.default_locale)},
                   {"active_version", s.version},
                   {"versions", std::move(list)},
                   {"locales", std::move(locales)},
                   {"questions", s.questions.size()},
                   {"campaign", s.campaign}});
  }
  return out;
}

engine::result<json> token_values(engine::store& store) {
  auto tokens = engine::list_access_tokens(store);
  if (!tokens) return std::unexpected(tokens.error());
  json out = json::array();
  for (const auto& t : *tokens) {
    out.push_back({{"id", t.id},
                   {"role", engine::to_string(t.granted)},
                   {"team", t.team.value_or("")},
                   {"label", t.label},
                   {"created", engine::format_timestamp(t.created_at)},
                   {"is_revoked", t.revoked_at.has_value()},
                   {"revoked", t.revoked_at ? engine::format_timestamp(*t.revoked_at) : ""},
                   {"revoke_action", fmt::format("/admin/tokens/{}/revoke", t.id)}});
  }
  return out;
}

engine::result<json> audit_values(engine::store& store) {
  auto entries = engine::read_audit_log(store, {.limit = recent_audit_entries});
  if (!entries) return std::unexpected(entries.error());
  json out = json::array();
  for (const auto& e : *entries) {
    out.push_back({{"at", engine::format_timestamp(e.at)},
                   {"actor_id", e.by.id},
                   {"actor_label", e.by.label},
                   {"action", e.action},
                   {"target", e.target},
                   {"details", e.details.empty() ? "" : e.details.dump()}});
  }
  return out;
}

response admin_page(request_context& ctx, const signed_in& user, http::status status,
                    const admin_state& state) {
  auto& store = *ctx.server.store;
  auto surveys = survey_values(store);
  auto tokens = token_values(store);
  auto staff = engine::list_staff(store);
  auto audit = audit_values(store);
  if (!surveys || !tokens || !staff || !audit)
    return signed_in_message(http::status::service_unavailable, "Please try again later",
                             "The store cannot be read just now.", user.session.csrf, true);
  json roles = json::array();
  for (const auto* name : {"lead", "admin", "integration"})
    roles.push_back({{"name", name}, {"selected", state.token_role == name}});
  json new_token = false;
  if (state.new_token)
    new_token = {{"id", state.new_token->id},
                 {"role", engine::to_string(state.new_token->granted)},
                 {"secret", state.new_token->token.value_or("")}};
  json values = {
      {"csrf", user.session.csrf},
      {"has_notice", !state.notice.empty()},
      {"notice", state.notice},
      {"surveys", std::move(*surveys)},
      {"upload",
       {{"text", state.upload_text},
        {"has_problems", !state.upload_problems.empty()},
        {"problems", text_list(state.upload_problems)}}},
      {"roster",
       {{"count", staff->size()},
        {"text", state.roster_text},
        {"has_problems", !state.roster_problems.empty()},
        {"problems", text_list(state.roster_problems)}}},
      {"token_form",
       {{"roles", std::move(roles)},
        {"team", state.token_team},
        {"label", state.token_label},
        {"has_problems", !state.token_problems.empty()},
        {"problems", text_list(state.token_problems)}}},
      {"new_token", std::move(new_token)},
      {"has_revoke_problems", !state.revoke_problems.empty()},
      {"revoke_problems", text_list(state.revoke_problems)},
      {"tokens", std::move(*tokens)},
      {"audit", std::move(*audit)},
  };
  return signed_in_page(status, "Administration", "admin_overview", std::move(values),
                        user.session.csrf, true);
}

// The signed-in admin of a page, or the response to send instead.
std::variant<signed_in, response> require_admin(request_context& ctx, session_store& sessions) {
  return require_session(ctx, sessions, {engine::role::admin}, admins_only);
}

// The signed-in admin and the fields of their POST with the session's CSRF token, or
// the response to send instead (403 without the token: nothing is changed).
std::variant<std::pair<signed_in, form_fields>, response> admin_post(request_context& ctx,
                                                                     session_store& sessions) {
  auto who = require_admin(ctx, sessions);
  if (auto* res = std::get_if<response>(&who)) return std::move(*res);
  auto& user = std::get<signed_in>(who);
  auto form = parse_form_body(ctx.req);
  if (!form || !same_secret(form->value(csrf_field), user.session.csrf)) return expired_form(user);
  return std::pair{std::move(user), std::move(*form)};
}

// Runs `handle` for a POST that passed admin_post.
template <class Handle>
void with_admin_post(request_context& ctx, responder& respond, session_store& sessions,
                     Handle handle) {
  auto checked = admin_post(ctx, sessions);
  if (auto* res = std::get_if<response>(&checked)) return respond(std::move(*res));
  auto& [user, form] = std::get<std::pair<signed_in, form_fields>>(checked);
  respond(handle(user, form));
}

void get_admin(request_context& ctx, responder respond, session_store& sessions) {
  auto who = require_admin(ctx, sessions);
  if (auto* res = std::get_if<response>(&who)) return respond(std::move(*res));
  respond(admin_page(ctx, std::get<signed_in>(who), http::status::ok, {}));
}

void post_survey(request_context& ctx, responder respond, session_store& sessions) {
  with_admin_post(ctx, respond, sessions, [&](const signed_in& user, const form_fields& form) {
    admin_state state;
    state.upload_text = form.value("definition");
    auto definition = engine::parse_definition(std::string_view(state.upload_text));
    if (!definition) {
      state.upload_problems = problem_lines(definition.error());
      return admin_page(ctx, user, http::status::bad_request, state);
    }
    auto outcome =
        engine::register_survey(*ctx.server.store, *definition, engine::token_actor(user.grant));
    if (!outcome) {
      state.upload_problems = problem_lines(outcome.error());
      const auto status = outcome.error().code == engine::errc::conflict
                              ? http::status::conflict
                              : http::status::service_unavailable;
      return admin_page(ctx, user, status, state);
    }
    constexpr std::string_view outcomes[] = {"stored", "unchanged: the same content is stored",
                                             "replaced"};
    state.upload_text.clear();
    state.notice = fmt::format("Template {} version {}: {}.", definition->id, definition->version,
                               outcomes[static_cast<int>(*outcome)]);
    return admin_page(ctx, user, http::status::ok, state);
  });
}

void post_roster(request_context& ctx, responder respond, session_store& sessions) {
  with_admin_post(ctx, respond, sessions, [&](const signed_in& user, const form_fields& form) {
    admin_state state;
    state.roster_text = form.value("csv");
    auto roster = engine::parse_roster_csv(state.roster_text);
    if (!roster) {
      state.roster_problems = problem_lines(roster.error());
      return admin_page(ctx, user, http::status::bad_request, state);
    }
    auto summary =
        engine::import_staff(*ctx.server.store, *roster, engine::token_actor(user.grant));
    if (!summary) {
      state.roster_problems = problem_lines(summary.error());
      const auto status = summary.error().code == engine::errc::validation_failed
                              ? http::status::bad_request
                              : http::status::service_unavailable;
      return admin_page(ctx, user, status, state);
    }
    state.roster_text.clear();
    state.notice = fmt::format("Roster imported: {} created, {} updated, {} unchanged.",
                               summary->created, summary->updated, summary->unchanged);
    return admin_page(ctx, user, http::status::ok, state);
  });
}

void post_token(request_context& ctx, responder respond, session_store& sessions) {
  with_admin_post(ctx, respond, sessions, [&](const signed_in& user, const form_fields& form) {
    admin_state state;
    state.token_role = form.value("role");
    state.token_team = form.value("team");
    state.token_label = form.value("label");
    const auto granted = engine::parse_role(state.token_role);
    if (!granted) {
      state.token_problems.emplace_back("/role: must be lead, admin or integration");
      return admin_page(ctx, user, http::status::bad_request, state);
    }
    engine::access_token_request request{*granted, std::nullopt, state.token_label};
    if (!state.token_team.empty()) request.team = state.token_team;
    auto created =
        engine::create_access_token(*ctx.server.store, request, engine::token_actor(user.grant));
    if (!created) {
      state.token_problems = problem_lines(created.error());
      const auto status = created.error().code == engine::errc::validation_failed
                              ? http::status::bad_request
                              : http::status::service_unavailable;
      return admin_page(ctx, user, status, state);
    }
    state.notice = fmt::format("Token {} created.", created->id);
    state.token_role = "lead";
    state.token_team.clear();
    state.token_label.clear();
    state.new_token = std::move(*created);
    return admin_page(ctx, user, http::status::ok, state);
  });
}

void post_revoke(request_context& ctx, responder respond, session_store& sessions) {
  with_admin_post(ctx, respond, sessions, [&](const signed_in& user, const form_fields&) {
    admin_state state;
    auto revoked = engine::revoke_access_token(*ctx.server.store, ctx.params[0],
                                               engine::token_actor(user.grant));
    if (!revoked) {
      state.revoke_problems = problem_lines(revoked.error());
      const auto status = revoked.error().code == engine::errc::not_found
                              ? http::status::not_found
                              : http::status::service_unavailable;
      return admin_page(ctx, user, status, state);
    }
    state.notice = fmt::format("Token {} revoked.", revoked->id);
    return admin_page(ctx, user, http::status::ok, state);
  });
}

// The survey form of the active version in one locale, with its submit disabled.
void get_preview(request_context& ctx, responder respond, session_store& sessions) {
  auto who = require_admin(ctx, sessions);
  if (auto* res = std::get_if<response>(&who)) return respond(std::move(*res));
  const auto& user = std::get<signed_in>(who);
  auto survey = engine::find_active_survey(*ctx.server.store, ctx.params[0]);
  if (!survey) {
    if (survey.error().code == engine::errc::not_found)
      return respond(signed_in_message(http::status::not_found, "Not found",
                                       "There is no template with this id.", user.session.csrf,
                                       true));
    return respond(signed_in_message(http::status::service_unavailable, "Please try again later",
                                     "The store cannot be read just now.", user.session.csrf,
                                     true));
  }
  const auto& s = **survey;
  survey_form_input in;
  in.mode = form_mode::invitation;
  in.locale = survey_page_locale(s, ctx);
  in.action = form_action(in.locale);
  in.preview = true;
  respond(survey_form_page(http::status::ok, s, in));
}

}  // namespace

void add_admin_pages(router& routes, std::shared_ptr<session_store> sessions) {
  // Open to the router, like the dashboard: the session cookie says who calls.
  const auto bind = [&sessions](void (*run)(request_context&, responder, session_store&)) {
    return [sessions, run](request_context& ctx, responder respond) {
      run(ctx, std::move(respond), *sessions);
    };
  };
  routes.add(http::verb::get, "/admin", access::open(), bind(get_admin));
  routes.add(http::verb::post, "/admin/surveys", access::open(), bind(post_survey));
  routes.add(http::verb::get, "/admin/surveys/{id}/preview", access::open(), bind(get_preview));
  routes.add(http::verb::post, "/admin/roster", access::open(), bind(post_roster));
  routes.add(http::verb::post, "/admin/tokens", access::open(), bind(post_token));
  routes.add(http::verb::post, "/admin/tokens/{id}/revoke", access::open(), bind(post_revoke));
}

}  // namespace hrs::server::web
