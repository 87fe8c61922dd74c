// The audit log of admin actions, for admins: newest first, paged by the id of the
// last entry seen.

#include <fmt/format.h>

#include <charconv>

#include "../http/server_context.hpp"
#include "api_support.hpp"
#include "hrs/engine/audit.hpp"

namespace hrs::server {

namespace {

using json = nlohmann::json;

std::optional<std::int64_t> positive_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

engine::result<engine::audit_query> read_query(const request_context& ctx) {
  std::vector<engine::detail> problems;
  engine::audit_query query;
  for (auto [name, field] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
    if (auto text = query_param(ctx, name)) {
      if (auto day = engine::parse_date(*text))
        *field = *day;
      else
        problems.push_back({name, "expected a date YYYY-MM-DD"});
    }
  }
  if (query.from && query.to && *query.from > *query.to)
    problems.push_back({"from", "must not be after to"});
  if (auto text = query_param(ctx, "limit")) {
    auto limit = positive_integer(*text);
    if (limit && static_cast<std::size_t>(*limit) <= engine::max_audit_page)
      query.limit = static_cast<std::size_t>(*limit);
    else
      problems.push_back({"limit", fmt::format("must be 1 to {}", engine::max_audit_page)});
  }
  if (auto text = query_param(ctx, "before")) {
    if (auto before = positive_integer(*text))
      query.before = *before;
    else
      problems.push_back({"before", "must be an entry id (a positive integer)"});
  }
  if (!problems.empty())
    return engine::fail(engine::errc::validation_failed, "the query is invalid",
                        std::move(problems));
  return query;
}

void list_audit(request_context& ctx, responder respond) {
  auto query = read_query(ctx);
  if (!query) return reply_error(respond, query.error());
  auto entries = engine::read_audit_log(*ctx.server.store, *query);
  if (!entries) return reply_error(respond, entries.error());
  json out = json::array();
  for (const auto& e : *entries) {
    out.push_back({{"id", e.id},
                   {"at", engine::format_timestamp(e.at)},
                   {"actor", {{"id", e.by.id}, {"label", e.by.label}}},
                   {"action", e.action},
                   {"target", e.target},
                   {"details", e.details}});
  }
  // A full page may have older entries behind it: `next_before` asks for them.
  json next = nullptr;
  if (entries->size() == query->limit) next = entries->back().id;
  reply(respond, http::status::ok, {{"entries", std::move(out)}, {"next_before", next}});
}

}  // namespace

void add_audit_routes(router& routes) {
  routes.add(http::verb::get, "/api/v1/audit", access::for_roles({engine::role::admin}),
             list_audit);
}

}  // namespace hrs::server
