#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../http/http_types.hpp"
#include "hrs/engine/error.hpp"

namespace hrs::server::web {

// The fields of a posted form, decoded, in the order they were sent. A name may come
// several times (the checkboxes of a staff picker).
class form_fields {
 public:
  form_fields() = default;
  explicit form_fields(std::vector<std::pair<std::string, std::string>> fields)
      : fields_(std::move(fields)) {}

  // Every value sent under `name`, in order.
  std::vector<std::string> values(std::string_view name) const;
  // The first value sent under `name`, or "" when there is none.
  std::string value(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Reads an application/x-www-form-urlencoded body (Boost.URL's query parser, "+" as
// space). errc::unsupported_media_type for another Content-Type, validation_failed for
// a body that is not urlencoded. The body limit is the session's, as for JSON.
[[nodiscard]] engine::result<form_fields> parse_form_body(const request& req);

// Decodes an urlencoded body, whatever the request says it is: validation_failed when
// it is not urlencoded. A std::string, not a string_view: Boost.URL 1.81's parse_query
// measures the query it returns with strlen (it passes s.data() where a string_view is
// expected), so the text must end in a NUL right after its last byte.
[[nodiscard]] engine::result<form_fields> parse_form_fields(const std::string& body);

}  // namespace hrs::server::web
