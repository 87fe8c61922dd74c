// Request targets as the server routes them: the path matched against the route table
// under each method, then the query read as the report endpoints read it (from, to,
// survey, team, bucket, limit, offset). Any target gets a route, 404, 405 or 400, and a
// query or a validation error, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/report_query.hpp"
#include "http/router.hpp"

namespace server = hrs::server;

namespace {

// The server's patterns (server/src/api/*_routes.cpp, server/src/web/*): how many
// there are and their shapes matter to the matcher, not what the handlers do.
const server::router& routes() {
  static const server::router table = [] {
    server::router r;
    const auto none = [](server::request_context&, server::responder) {};
    using server::http::verb;
    for (const auto& [method, pattern] : std::initializer_list<std::pair<verb, const char*>>{
             {verb::get, "/healthz"},
             {verb::get, "/metrics"},
             {verb::get, "/api/v1/surveys"},
             {verb::get, "/api/v1/surveys/{id}"},
             {verb::post, "/api/v1/surveys"},
             {verb::get, "/api/v1/staff"},
             {verb::put, "/api/v1/staff/{id}"},
             {verb::post, "/api/v1/staff:import"},
             {verb::post, "/api/v1/invitations"},
             {verb::get, "/api/v1/invitations/{token}/survey"},
             {verb::post, "/api/v1/responses"},
             {verb::post, "/api/v1/campaigns/{survey}/responses"},
             {verb::get, "/api/v1/reports/staff"},
             {verb::get, "/api/v1/reports/staff/{id}"},
             {verb::get, "/api/v1/reports/overview"},
             {verb::get, "/api/v1/reports/staff/{id}/comments"},
             {verb::get, "/api/v1/reports/staff.csv"},
             {verb::get, "/s/{token}"},
             {verb::post, "/s/{token}"},
             {verb::get, "/c/{survey}"},
             {verb::post, "/c/{survey}"},
             {verb::get, "/thanks/{survey}"},
             {verb::get, "/static/{file}"},
             {verb::get, "/login"},
             {verb::post, "/login"},
             {verb::post, "/logout"},
             {verb::get, "/dashboard"},
             {verb::get, "/dashboard/staff/{id}"},
             {verb::get, "/admin"},
             {verb::post, "/admin/surveys"},
             {verb::get, "/admin/surveys/{id}/preview"},
             {verb::post, "/admin/roster"},
             {verb::post, "/admin/tokens"},
             {verb::post, "/admin/tokens/{id}/revoke"},
         })
      r.add(method, pattern, server::access::open(), none);
    return r;
  }();
  return table;
}

std::size_t param_count(const server::route& r) {
  std::size_t n = 0;
  for (const auto& part : r.parts)
    n += part.starts_with('{') ? 1 : 0;
  return n;
}

void read_query(const boost::urls::params_view& params) {
  constexpr hrs::engine::day_number today = 20'000;  // 2024-10-04
  for (const std::optional<std::string>& team :
       {std::optional<std::string>{}, std::optional<std::string>{"hr"}}) {
    auto query = server::parse_report_query(params, {}, today, team);
    if (query && query->from > query->to) std::abort();
    if (query && team && query->team != team) std::abort();
  }
  (void)server::parse_trend_bucket(params);
  auto limit = server::parse_count(params, "limit", 50, 200);
  if (limit && *limit > 200) std::abort();
  (void)server::parse_count(params, "offset", 0, 1'000'000);
  (void)server::param_value(params, "sort");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  using server::http::verb;
  for (auto method : {verb::get, verb::post, verb::put, verb::delete_}) {
    const auto matched = routes().match(method, target);
    if (matched.malformed) return 0;
    if (matched.found) {
      if (matched.found->method != method || matched.params.size() != param_count(*matched.found))
        std::abort();
      for (const auto& p : matched.params)
        if (p.empty()) std::abort();  // an empty segment is no id
    }
    if (method == verb::get) read_query(matched.target.params());
  }
  return 0;
}
