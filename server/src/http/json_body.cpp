#include "json_body.hpp"

#include <fmt/format.h>
#include <boost/algorithm/string/predicate.hpp>

#include <set>
#include <vector>

namespace hrs::server {

namespace {

constexpr int max_depth = 32;

}  // namespace

bool has_content_type(const request& req, std::string_view type) {
  auto value = std::string_view(req[http::field::content_type]);
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ')
    value.remove_suffix(1);
  return boost::algorithm::iequals(value, type);
}

engine::result<nlohmann::json> parse_json_body(const request& req) {
  using engine::errc;
  if (!has_content_type(req, "application/json"))
    return engine::fail(errc::unsupported_media_type, "the body must be application/json");

  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  bool too_deep = false;
  auto watch = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using event_t = nlohmann::json::parse_event_t;
    if (depth > max_depth) too_deep = true;
    if (event == event_t::object_start) keys.emplace_back();
    if (event == event_t::object_end && !keys.empty()) keys.pop_back();
    if (event == event_t::key && !keys.empty() &&
        !keys.back().insert(parsed.get<std::string>()).second && duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(req.body(), watch);
  } catch (const nlohmann::json::exception& e) {
    return engine::fail(errc::validation_failed, "the body is not valid JSON",
                        {{"", "malformed JSON or invalid UTF-8"}}, e.what());
  }
  if (too_deep)
    return engine::fail(errc::validation_failed, "the body is nested too deeply",
                        {{"", "at most 32 levels"}});
  if (!duplicate.empty())
    return engine::fail(
        errc::validation_failed, "the body has a key twice",
        {{"", fmt::format("the key \"{}\" appears twice in one object", duplicate)}});
  return body;
}

}  // namespace hrs::server
