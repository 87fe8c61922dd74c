#include "router.hpp"

#include <fmt/format.h>
#include <boost/url/parse.hpp>

#include "error_response.hpp"
#include "server_context.hpp"

namespace hrs::server {

namespace {

std::vector<std::string_view> split_pattern(std::string_view pattern) {
  std::vector<std::string_view> parts;
  while (!pattern.empty()) {
    pattern.remove_prefix(1);  // '/'
    const auto end = pattern.find('/');
    parts.push_back(pattern.substr(0, end));
    pattern = end == std::string_view::npos ? std::string_view{} : pattern.substr(end);
  }
  return parts;
}

// Returns the params when the decoded path segments fit the pattern.
std::optional<std::vector<std::string>> match(std::string_view pattern,
                                              const boost::urls::url_view& url) {
  const auto parts = split_pattern(pattern);
  const auto segments = url.segments();
  if (static_cast<std::size_t>(segments.size()) != parts.size() || !url.is_path_absolute())
    return std::nullopt;
  std::vector<std::string> params;
  auto it = segments.begin();
  for (const auto part : parts) {
    const std::string segment = *it++;
    if (part.starts_with('{')) {
      if (segment.empty()) return std::nullopt;
      params.push_back(segment);
    } else if (segment != part) {
      return std::nullopt;
    }
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

void router::add(http::verb method, std::string pattern, access who, handler run) {
  std::string name = fmt::format("{} {}", std::string_view(http::to_string(method)), pattern);
  routes_.push_back({method, std::move(pattern), std::move(name), std::move(who), std::move(run)});
}

void router::dispatch(const request& req, server_context& server, responder respond,
                      std::string& route_name) const {
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
    auto params = match(r.pattern, *parsed);
    if (!params) continue;
    if (r.method != req.method()) {
      // HEAD is not offered: every route's answer is small and built per request.
      allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(r.method));
      continue;
    }
    route_name = r.name;
    request_context ctx{req, std::move(*params), *parsed, std::nullopt, server};
    if (!r.who.roles.empty()) {
      auto caller = engine::authenticate(*server.store, bearer_token(req));
      if (!caller) return respond(error_response(caller.error()));
      if (std::find(r.who.roles.begin(), r.who.roles.end(), caller->granted) == r.who.roles.end())
        return respond(
            error_response({engine::errc::forbidden, "this token's role may not do this", {}, {}}));
      ctx.caller = std::move(*caller);
    }
    return r.run(ctx, std::move(respond));
  }
  if (!allow.empty()) {
    auto res = error_response(http::status::method_not_allowed, "method_not_allowed",
                              "this method is not allowed here");
    res.set(http::field::allow, allow);
    return respond(std::move(res));
  }
  respond(error_response({engine::errc::not_found, "no such endpoint", {}, {}}));
}

}  // namespace hrs::server
