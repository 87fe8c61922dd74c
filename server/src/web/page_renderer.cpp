#include "page_renderer.hpp"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include <map>
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

// How deep partials may include partials; deeper is taken for a template including
// itself.
constexpr int max_partial_depth = 8;

// Returns `text` with every partial tag ({{> name}}) replaced by the embedded template
// of that name, itself expanded; a name with no template gives nothing, as kainjow
// renders it. Rendering such a text gives what rendering with partials gives: kainjow
// renders a partial's parts into the same line buffer, as if they stood in its place.
std::string expand_partials(std::string_view text, int depth = 0) {
  if (depth > max_partial_depth)
    throw std::logic_error("templates include each other more than 8 deep");
  constexpr std::string_view open = "{{>", close = "}}";
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (std::size_t tag; (tag = text.find(open, at)) != std::string_view::npos;) {
    const auto end = text.find(close, tag);
    if (end == std::string_view::npos) break;  // left to the parser to report
    out.append(text.substr(at, tag - at));
    auto name = text.substr(tag + open.size(), end - tag - open.size());
    name.remove_prefix(std::min(name.find_first_not_of(' '), name.size()));
    name = name.substr(0, name.find_last_not_of(' ') + 1);
    if (auto partial = find_embedded(fmt::format("{}{}{}", template_folder, name, template_suffix)))
      out.append(expand_partials(*partial, depth + 1));
    at = end + close.size();
  }
  out.append(text.substr(at));
  return out;
}

// The layout around each body template, parsed once per thread: kainjow parsed the
// layout and every partial again on every page (each question of a form again), which
// cost more than rendering it. Not shared between threads: rendering is not const.
std::map<std::string, mstch::mustache, std::less<>>& parsed_pages() {
  thread_local std::map<std::string, mstch::mustache, std::less<>> parsed;
  return parsed;
}

// Returns the parsed layout around the body template `body`, from parsed_pages().
mstch::mustache& page_template(const std::string& body) {
  auto& parsed = parsed_pages();
  if (auto it = parsed.find(body); it != parsed.end()) return it->second;
  const auto layout = std::string(template_text("layout"));
  constexpr std::string_view body_tag = "{{> page}}";
  const auto slot = layout.find(body_tag);
  if (slot == std::string::npos) throw std::logic_error("layout.mustache has no {{> page}}");
  const auto text = expand_partials(layout.substr(0, slot)) + expand_partials(template_text(body)) +
                    expand_partials(std::string_view(layout).substr(slot + body_tag.size()));
  auto [it, added] = parsed.try_emplace(body, text);
  if (!it->second.is_valid()) {
    auto message = fmt::format("{}.mustache or the layout: {}", body, it->second.error_message());
    parsed.erase(it);
    throw std::logic_error(message);
  }
  return it->second;
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
  auto& tmpl = page_template(p.body);
  auto html = tmpl.render(root);
  if (!tmpl.is_valid()) {
    const auto message = fmt::format("{}.mustache: {}", p.body, tmpl.error_message());
    // A template that failed to render stays failed; the next page parses it again.
    parsed_pages().erase(p.body);
    throw std::logic_error(message);
  }
  return html;
}

}  // namespace hrs::server::web
