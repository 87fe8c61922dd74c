#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrs/engine/error.hpp"
#include "hrs/engine/survey.hpp"

namespace hrs::engine {

// Validates a survey template and converts it to the model. On failure the error has
// code validation_failed and one detail per problem, all of them at once, each with the
// JSON pointer of the offending value ("/questions/2/labels/6") and a message. Problems
// of the document as a whole (malformed JSON) use the pointer "" and say line and column.
[[nodiscard]] result<survey> parse_definition(std::string_view json_text);
[[nodiscard]] result<survey> parse_definition(const nlohmann::json& document);
// A std::string or a literal converts to both string_view and json; these pick the text.
[[nodiscard]] inline result<survey> parse_definition(const std::string& json_text) {
  return parse_definition(std::string_view(json_text));
}
[[nodiscard]] inline result<survey> parse_definition(const char* json_text) {
  return parse_definition(std::string_view(json_text));
}

// Reads and parses one template file. Each detail's path is prefixed by nothing; use
// format_problems() to print them as `file: /pointer: message`.
[[nodiscard]] result<survey> load_definition_file(const std::filesystem::path& file);

// Returns one line per detail: `<file name>: <pointer>: <message>`.
std::vector<std::string> format_problems(const std::filesystem::path& file, const error& err);

// Converts a validated survey back to its JSON document (stable key order).
nlohmann::json to_json_document(const survey& s);

}  // namespace hrs::engine
