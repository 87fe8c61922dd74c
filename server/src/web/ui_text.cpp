#include "ui_text.hpp"

#include <map>
#include <stdexcept>

#include "embedded_files.hpp"
#include "hrs/engine/locale.hpp"
#include "hrs/engine/survey.hpp"

namespace hrs::server::web {

namespace {

using json = nlohmann::json;

constexpr std::string_view fallback_locale = "en";

struct catalog {
  std::vector<std::string> locales;
  std::map<std::string, std::string, std::less<>> names;  // tag -> its own language's name
  std::map<std::string, json, std::less<>> strings;       // tag -> {key: text}
  // Only `locales` and `default_locale` are set: the input resolve_locale needs to pick
  // one of the UI's locales with the same fallback as survey texts.
  engine::survey locale_set;
};

catalog parse_catalog() {
  const auto document = json::parse(embedded("ui.json"));
  catalog c;
  for (const auto& [tag, name] : document.at("language_name").items()) {
    c.locales.push_back(tag);
    c.names.emplace(tag, name.get<std::string>());
  }
  c.locale_set.locales = c.locales;
  c.locale_set.default_locale = fallback_locale;
  for (const auto& [key, texts] : document.items()) {
    engine::localized_text text;
    for (const auto& [tag, value] : texts.items())
      text.by_locale.emplace(tag, value.get<std::string>());
    for (const auto& tag : c.locales)
      c.strings[tag][key] = engine::localize(text, tag, fallback_locale);
  }
  return c;
}

const catalog& the_catalog() {
  static const catalog c = parse_catalog();
  return c;
}

}  // namespace

const json& ui_strings(std::string_view locale) {
  const auto& c = the_catalog();
  return c.strings.find(engine::resolve_locale(c.locale_set, locale))->second;
}

const std::string& ui_string(std::string_view key, std::string_view locale) {
  const auto& strings = ui_strings(locale);
  const auto it = strings.find(key);
  if (it == strings.end()) throw std::logic_error("ui.json has no key " + std::string(key));
  return it->get_ref<const std::string&>();
}

const std::vector<std::string>& ui_locales() {
  return the_catalog().locales;
}

std::string resolve_ui_locale(std::span<const std::string> candidates) {
  return engine::resolve_locale(the_catalog().locale_set, candidates);
}

std::optional<std::string> language_name(std::string_view tag) {
  const auto& names = the_catalog().names;
  const auto it = names.find(tag);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

}  // namespace hrs::server::web
