#include "router.hpp"

#include <fmt/format.h>
#include <boost/url/decode_view.hpp>
#include <boost/url/parse.hpp>

#include "error_response.hpp"
#include "server_context.hpp"

namespace hrs::server {

namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
  std::vector<std::string> parts;
  while (!pattern.empty()) {
    pattern.remove_prefix(1);  // '/'
    const auto end = pattern.find('/');
    parts.emplace_back(pattern.substr(0, end));
    pattern = end == std::string_view::npos ? std::string_view{} : pattern.substr(end);
  }
  return parts;
}

bool is_param(std::string_view part) {
  return part.starts_with('{');
}

// True when the decoded path segments fit the route's pattern. Runs for every route
// on every request, so it compares the segments in place, decoding nothing into strings.
bool fits(const route& r, const boost::urls::url_view& url) {
  const auto segments = url.encoded_segments();
  if (static_cast<std::size_t>(segments.size()) != r.parts.size() || !url.is_path_absolute())
    return false;
  auto it = segments.begin();
  for (const auto& part : r.parts) {
    const auto segment = *it++;
    if (is_param(part) ? segment.empty() : *segment != part) return false;
  }
  return true;
}

// The decoded segments in the places of the route's params, in order.
std::vector<std::string> params_of(const route& r, const boost::urls::url_view& url) {
  std::vector<std::string> params;
  auto it = url.encoded_segments().begin();
  for (const auto& part : r.parts) {
    const auto segment = *it++;
    if (is_param(part)) params.push_back(segment.decode());
  }
  return params;
}

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

void router::add(http::verb method, std::string pattern, access who, handler run) {
  std::string name = fmt::format("{} {}", std::string_view(http::to_string(method)), pattern);
  auto parts = split_pattern(pattern);
  routes_.push_back({method, std::move(pattern), std::move(name), std::move(who), std::move(run),
                     std::move(parts)});
}

void router::dispatch(const request& req, server_context& server,
                      const boost::asio::ip::address& peer, responder respond,
                      std::string_view& route_name) const {
  // A constant label: the method and target come from the client, and every distinct
  // label value would be a new metrics series kept forever.
  route_name = "(no route)";
  auto parsed = boost::urls::parse_origin_form(req.target());
  if (!parsed) {
    return respond(error_response(
        {engine::errc::validation_failed, "the request target is malformed", {}, {}}));
  }
  std::string allow;
  for (const auto& r : routes_) {
    if (!fits(r, *parsed)) continue;
    if (r.method != req.method()) {
      // HEAD is not offered: every route's answer is small and built per request.
      allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(r.method));
      continue;
    }
    route_name = r.name;
    request_context ctx{req,     params_of(r, *parsed),
                        *parsed, std::nullopt,
                        server,  client_address(req, peer, server.trusted_proxies)};
    if (r.who.rate_limited) {
      if (auto wait = server.public_requests.take(key_of(ctx.client), rate_limiter::clock::now())) {
        server.metrics.limited_public();
        auto res = r.who.refuse ? r.who.refuse(ctx) : rate_limited_response(*wait);
        res.set(http::field::retry_after, std::to_string(wait->count()));
        return respond(std::move(res));
      }
    }
    if (!r.who.roles.empty()) {
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
      if (std::find(r.who.roles.begin(), r.who.roles.end(), caller->granted) == r.who.roles.end())
        return respond(
            error_response({engine::errc::forbidden, "this token's role may not do this", {}, {}}));
      ctx.caller = std::move(*caller);
    }
    return r.run(ctx, std::move(respond));
  }
  if (!allow.empty()) {
    auto res = refusal(req, http::status::method_not_allowed, "method_not_allowed",
                       "this method is not allowed here");
    res.set(http::field::allow, allow);
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
