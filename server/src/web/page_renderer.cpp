#include "page_renderer.hpp"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include <stdexcept>

#include "embedded_files.hpp"
#include "ui_text.hpp"

namespace hrs::server::web {

namespace {

using json = nlohmann::json;
namespace mstch = kainjow::mustache;

constexpr std::string_view template_folder = "templates/";
constexpr std::string_view template_suffix = ".mustache";

// Mustache values from JSON: objects, lists, strings and booleans as they are; numbers
// as their text; null as false. Children are moved into place: kainjow's set() and
// push_back() copy their argument deeply, which copied every value of a page once per
// level of nesting above it (a rating point four times).
mstch::data to_data(const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      mstch::data out{mstch::data::type::object};
      for (const auto& [key, item] : value.items())
        out[key] = to_data(item);
      return out;
    }
    case json::value_t::array: {
      mstch::data out{mstch::data::type::list};
      // kainjow has no moving push_back and shows its list only as const; the list is
      // an ordinary vector it owns, so adding to it in place is sound.
      auto& items = const_cast<mstch::list&>(out.list_value());
      items.reserve(value.size());
      for (const auto& item : value)
        items.push_back(to_data(item));
      return out;
    }
    case json::value_t::string:
      return mstch::data{value.get_ref<const std::string&>()};
    case json::value_t::boolean:
      return mstch::data{value.get<bool>()};
    case json::value_t::null:
    case json::value_t::discarded:
      return mstch::data{false};
    default:
      return mstch::data{value.dump()};
  }
}

std::string_view template_text(std::string_view name) {
  return embedded(fmt::format("{}{}{}", template_folder, name, template_suffix));
}

// Every embedded template as a partial named by its file's stem.
void add_partials(mstch::data& root) {
  for (const auto& file : embedded_files()) {
    if (!file.name.starts_with(template_folder) || !file.name.ends_with(template_suffix)) continue;
    auto stem = file.name.substr(template_folder.size());
    stem.remove_suffix(template_suffix.size());
    const auto text = file.text();
    root[std::string(stem)] = mstch::data{mstch::partial{[text] { return std::string(text); }}};
  }
}

json language_links(const page& p) {
  json links = json::array();
  for (const auto& tag : p.languages) {
    links.push_back({{"tag", tag},
                     {"name", language_name(tag).value_or(tag)},
                     {"href", "?lang=" + tag},
                     {"current", tag == p.locale}});
  }
  return links;
}

// FNV-1a: a stable fingerprint of the stylesheet for its URL, not a security measure.
std::uint32_t fingerprint(std::string_view bytes) {
  std::uint32_t hash = 2166136261u;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

const std::string& stylesheet_url() {
  static const std::string url =
      fmt::format("/static/hrsurvey.css?v={:08x}", fingerprint(embedded("static/hrsurvey.css")));
  return url;
}

std::string render_page(const page& p) {
  if (!p.values.is_object() && !p.values.is_null())
    throw std::logic_error(fmt::format("{}: the page's values are not an object", p.body));
  // Straight from the page's values, without copying them into one JSON document first.
  auto root = p.values.is_null() ? mstch::data{mstch::data::type::object} : to_data(p.values);
  root["lang"] = mstch::data{p.locale};
  root["title"] = mstch::data{p.title};
  root["stylesheet"] = mstch::data{stylesheet_url()};
  root["ui"] = to_data(ui_strings(p.locale));
  root["languages"] = to_data(language_links(p));
  root["has_languages"] = mstch::data{p.languages.size() > 1};
  add_partials(root);
  root["page"] =
      mstch::data{mstch::partial{[body = template_text(p.body)] { return std::string(body); }}};
  mstch::mustache layout{std::string(template_text("layout"))};
  if (!layout.is_valid()) throw std::logic_error("layout.mustache: " + layout.error_message());
  auto html = layout.render(root);
  if (!layout.is_valid())
    throw std::logic_error(fmt::format("{}.mustache: {}", p.body, layout.error_message()));
  return html;
}

}  // namespace hrs::server::web
