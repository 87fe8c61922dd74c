#include "form_body.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "../http/json_body.hpp"

namespace hrs::server::web {

std::vector<std::string> form_fields::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : fields_) {
    if (key == name) out.push_back(value);
  }
  return out;
}

std::string form_fields::value(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return value;
  }
  return {};
}

engine::result<form_fields> parse_form_body(const request& req) {
  if (!has_content_type(req, "application/x-www-form-urlencoded"))
    return engine::fail(engine::errc::unsupported_media_type,
                        "the body must be application/x-www-form-urlencoded");
  return parse_form_fields(req.body());
}

engine::result<form_fields> parse_form_fields(const std::string& body) {
  // Checked first, so that the view below, which throws on a malformed body, does not.
  if (auto checked = boost::urls::parse_query(body); !checked)
    return engine::fail(engine::errc::validation_failed, "the form is not urlencoded",
                        {{"", "malformed application/x-www-form-urlencoded body"}},
                        checked.error().message());
  // HTML forms encode spaces as "+".
  const boost::urls::params_view params(body, boost::urls::encoding_opts(true));
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& param : params) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    fields.emplace_back(param.key, param.value);
  }
  return form_fields(std::move(fields));
}

}  // namespace hrs::server::web
