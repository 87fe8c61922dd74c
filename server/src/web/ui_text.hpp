#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hrs::server::web {

// The texts of the pages themselves (buttons, "required", errors, status pages), from
// the embedded server/web/ui.json, which holds each key in en, it, es, ro and zh-Hant.
// A locale without its own text falls back like survey texts do (tag, language), then
// to English. Thread-safe: the file is parsed once, on first use.

// Every UI string in `locale`, as an object keyed like ui.json.
const nlohmann::json& ui_strings(std::string_view locale);

// One UI string in `locale`; throws std::logic_error for a key ui.json lacks (a bug).
const std::string& ui_string(std::string_view key, std::string_view locale);

// The locales ui.json has a language name for, in its order.
const std::vector<std::string>& ui_locales();

// The UI locale for a list of requested tags in preference order: the first that the UI
// has (itself or a parent tag), else English.
std::string resolve_ui_locale(std::span<const std::string> candidates);

// The name of the language `tag` in that language ("Italiano"), or nullopt when ui.json
// has none for exactly this tag.
std::optional<std::string> language_name(std::string_view tag);

}  // namespace hrs::server::web
