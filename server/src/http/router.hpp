#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/url/url_view.hpp>

#include <chrono>
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
// order, the parsed target (for the query), on authenticated routes the caller, and
// the client's address (behind a trusted proxy, the one it forwarded for).
struct request_context {
  const request& req;
  std::vector<std::string> params;
  boost::urls::url_view target;
  std::optional<engine::access_token> caller;
  server_context& server;
  boost::asio::ip::address client = {};
};

// Builds the 429 answer of a rate-limited route; the router adds Retry-After.
using too_many_requests = response (*)(const request_context& ctx);

using handler = std::function<void(request_context&, responder)>;

// The page a browser gets for a refusal of the HTTP layer (404, 405, 413, 414) on a request
// with this header, or nullopt for the JSON error body (the API's paths).
using refusal_page =
    std::function<std::optional<response>(const http::request_header<>& req, http::status status)>;

// Who may call a route: nobody needs a token (public), or a token with one of the roles.
// A public route may be rate-limited: its requests spend the client address's budget
// for public requests (server_context::public_requests), and over it get a 429 built
// by `refuse` (the JSON error when null) with nothing done.
struct access {
  std::vector<engine::role> roles;  // empty: public
  bool rate_limited = false;
  too_many_requests refuse = nullptr;
  static access open() { return {}; }
  static access open_limited(too_many_requests refuse = nullptr) { return {{}, true, refuse}; }
  static access for_roles(std::initializer_list<engine::role> r) { return {r}; }
};

// The JSON 429 error, with Retry-After; for handlers that refuse by themselves.
response rate_limited_response(std::chrono::seconds retry_after);

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

  // Dispatches `req`, which came from `peer`; `route_name` receives the matched route's name ("(no
  // route)" if none), for metrics. It views a string that lives as long as the router.
  void dispatch(const request& req, server_context& server, const boost::asio::ip::address& peer,
                responder respond, std::string_view& route_name) const;

  // Sets who renders refusals as pages; without one every refusal is JSON.
  void set_refusal_page(refusal_page render) { refusal_page_ = std::move(render); }

  // A refusal of the HTTP layer to `req` (no route, wrong method, body too large): the
  // refusal page when there is one for this request, else the JSON error body with
  // `code` and `message`. The router answers its own 404 and 405 with it; the session
  // its 413 and 414.
  response refusal(const http::request_header<>& req, http::status status, std::string_view code,
                   std::string_view message) const;

 private:
  std::vector<route> routes_;
  refusal_page refusal_page_;
};

}  // namespace hrs::server
