// Route registration and matching: pure (no store, no response), so that the fuzz
// targets link it without the rest of the server.
#include <fmt/format.h>
#include <boost/url/decode_view.hpp>
#include <boost/url/parse.hpp>

#include "router.hpp"

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

}  // namespace hrs::server
