#pragma once

#include <boost/url/url_view.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/access_tokens.hpp"
#include "http_types.hpp"

namespace hrs::server {

struct server_context;

// What a handler gets: the request, the decoded `{param}` segments of its route in
// order, the parsed target (for the query) and, on authenticated routes, the caller.
struct request_context {
  const request& req;
  std::vector<std::string> params;
  boost::urls::url_view target;
  std::optional<engine::access_token> caller;
  server_context& server;
};

using handler = std::function<void(request_context&, responder)>;

// Who may call a route: nobody needs a token (public), or a token with one of the roles.
struct access {
  std::vector<engine::role> roles;  // empty: public
  static access open() { return {}; }
  static access for_roles(std::initializer_list<engine::role> r) { return {r}; }
};

struct route {
  http::verb method;
  std::string pattern;  // "/api/v1/staff/{id}": literal segments and whole-segment params
  std::string name;     // the label for metrics and logs, e.g. "PUT /api/v1/staff/{id}"
  access who;
  handler run;
  // The pattern's segments, split once: "{...}" marks a param, anything else is literal.
  std::vector<std::string> parts;
};

// Where a request's method and target lead, before anyone is asked for a token.
struct route_match {
  bool malformed = false;                // the target is no origin-form: 400
  const route* found = nullptr;          // the route to run; nullptr: 405 or 404
  std::vector<std::string> params = {};  // the decoded {param} segments of `found`
  boost::urls::url_view target = {};     // the parsed target; views the request's
  std::string allow = {};                // if nothing is found: the methods the path has
};

// Matches a request to a route: 404 when no pattern fits the path, 405 with Allow when
// one fits but not for this method, 401/403 when the route's roles are not met.
class router {
 public:
  void add(http::verb method, std::string pattern, access who, handler run);

  // Finds the route for `method` and `target` (the request line's, percent-encoded).
  // Pure: no store, no response; what dispatch decides from.
  [[nodiscard]] route_match match(http::verb method, std::string_view target) const;

  // Dispatches `req`; `route_name` receives the matched route's name ("(no route)" if
  // none), for metrics. It views a string that lives as long as the router.
  void dispatch(const request& req, server_context& server, responder respond,
                std::string_view& route_name) const;

 private:
  std::vector<route> routes_;
};

}  // namespace hrs::server
