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

void router::add(http::verb method, std::string pattern, access who, handler run) {
  std::string name = fmt::format("{} {}", std::string_view(http::to_string(method)), pattern);
  auto parts = split_pattern(pattern);
  routes_.push_back({method, std::move(pattern), std::move(name), std::move(who), std::move(run),
                     std::move(parts)});
}

route_match router::match(http::verb method, std::string_view target) const {
  route_match out;
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    out.malformed = true;
    return out;
  }
  out.target = *parsed;
  for (const auto& r : routes_) {
    if (!fits(r, *parsed)) continue;
    if (r.method != method) {
      // HEAD is not offered: every route's answer is small and built per request.
      out.allow += (out.allow.empty() ? "" : ", ") + std::string(http::to_string(r.method));
      continue;
    }
    out.found = &r;
    out.params = params_of(r, *parsed);
    return out;
  }
  return out;
}

void router::dispatch(const request& req, server_context& server, responder respond,
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
    request_context ctx{req, std::move(matched.params), matched.target, std::nullopt, server};
    if (!r->who.roles.empty()) {
      auto caller = engine::authenticate(*server.store, bearer_token(req));
      if (!caller) return respond(error_response(caller.error()));
      if (std::find(r->who.roles.begin(), r->who.roles.end(), caller->granted) ==
          r->who.roles.end())
        return respond(
            error_response({engine::errc::forbidden, "this token's role may not do this", {}, {}}));
      ctx.caller = std::move(*caller);
    }
    return r->run(ctx, std::move(respond));
  }
  if (!matched.allow.empty()) {
    auto res = error_response(http::status::method_not_allowed, "method_not_allowed",
                              "this method is not allowed here");
    res.set(http::field::allow, matched.allow);
    return respond(std::move(res));
  }
  respond(error_response({engine::errc::not_found, "no such endpoint", {}, {}}));
}

}  // namespace hrs::server
