#include "api_support.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report_query.hpp"

namespace hrs::server {

std::optional<std::string> query_param(const request_context& ctx, std::string_view name) {
  return param_value(ctx.target.params(), name);
}

const nlohmann::json* member(const nlohmann::json& body, std::string_view key,
                             nlohmann::json::value_t type, std::vector<engine::detail>& problems) {
  auto it = body.find(key);
  if (it == body.end()) return nullptr;
  const bool ok = it->type() == type ||
                  (type == nlohmann::json::value_t::number_integer && it->is_number_integer());
  if (!ok) {
    constexpr auto name = [](nlohmann::json::value_t t) {
      switch (t) {
        case nlohmann::json::value_t::string:
          return "a string";
        case nlohmann::json::value_t::array:
          return "an array";
        case nlohmann::json::value_t::object:
          return "an object";
        case nlohmann::json::value_t::number_integer:
          return "an integer";
        case nlohmann::json::value_t::boolean:
          return "true or false";
        default:
          return "another type";
      }
    };
    problems.push_back({(nlohmann::json::json_pointer() / std::string(key)).to_string(),
                        fmt::format("expected {}", name(type))});
    return nullptr;
  }
  return &*it;
}

void reject_unknown_keys(const nlohmann::json& body,
                         std::initializer_list<std::string_view> allowed,
                         std::vector<engine::detail>& problems) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      problems.push_back({(nlohmann::json::json_pointer() / key).to_string(), "unknown key"});
  }
}

}  // namespace hrs::server
