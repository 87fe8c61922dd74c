#include "router.hpp"

#include "error_response.hpp"
#include "server_context.hpp"

namespace hrs::server {

namespace {

std::string_view bearer_token(const request& req) {
  const auto value = std::string_view(req[http::field::authorization]);
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), value.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      }))
    return {};
  return value.substr(scheme.size());
}

}  // namespace

response rate_limited_response(std::chrono::seconds retry_after) {
  auto res = error_response({engine::errc::too_many_requests,
                             "too many requests from this address; try again later",
                             {},
                             {}});
  res.set(http::field::retry_after, std::to_string(retry_after.count()));
  return res;
}

void router::dispatch(const request& req, server_context& server,
                      const boost::asio::ip::address& peer, responder respond,
                      std::string_view& route_name) const {
  // A constant label: the method and target come from the client, and every distinct
  // label value would be a new metrics series kept forever.
  route_name = "(no route)";
  auto matched = match(req.method(), req.target());
  if (matched.malformed) {
    return respond(error_response(
        {engine::errc::validation_failed, "the request target is malformed", {}, {}}));
  }
  if (const route* r = matched.found) {
    route_name = r->name;
    request_context ctx{req,
                        std::move(matched.params),
                        matched.target,
                        std::nullopt,
                        server,
                        client_address(req, peer, server.trusted_proxies)};
    if (r->who.rate_limited) {
      if (auto wait = server.public_requests.take(key_of(ctx.client), rate_limiter::clock::now())) {
        server.metrics.limited_public();
        auto res = r->who.refuse ? r->who.refuse(ctx) : rate_limited_response(*wait);
        res.set(http::field::retry_after, std::to_string(wait->count()));
        return respond(std::move(res));
      }
    }
    if (!r->who.roles.empty()) {
      const auto token = bearer_token(req);
      // Checked before the token is: once an address has guessed wrong too often, its
      // guesses are not even looked at for a while.
      if (!token.empty())
        if (auto wait = server.token_checks_refused(ctx.client))
          return respond(rate_limited_response(*wait));
      auto caller = engine::authenticate(*server.store, token);
      if (!caller) {
        if (!token.empty() && caller.error().code == engine::errc::unauthorized)
          server.token_check_failed(ctx.client);
        return respond(error_response(caller.error()));
      }
      if (std::find(r->who.roles.begin(), r->who.roles.end(), caller->granted) ==
          r->who.roles.end())
        return respond(
            error_response({engine::errc::forbidden, "this token's role may not do this", {}, {}}));
      ctx.caller = std::move(*caller);
    }
    return r->run(ctx, std::move(respond));
  }
  if (!matched.allow.empty()) {
    auto res = refusal(req, http::status::method_not_allowed, "method_not_allowed",
                       "this method is not allowed here");
    res.set(http::field::allow, matched.allow);
    return respond(std::move(res));
  }
  respond(refusal(req, http::status::not_found, "not_found", "no such endpoint"));
}

response router::refusal(const http::request_header<>& req, http::status status,
                         std::string_view code, std::string_view message) const {
  if (refusal_page_) {
    if (auto page = refusal_page_(req, status)) return std::move(*page);
  }
  return error_response(status, code, message);
}

}  // namespace hrs::server
