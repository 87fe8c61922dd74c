#include "page_locale.hpp"

#include <algorithm>
#include <charconv>

#include <boost/url/parse.hpp>

#include "../api/api_support.hpp"
#include "hrs/engine/locale.hpp"
#include "ui_text.hpp"

namespace hrs::server::web {

namespace {

// The q value of a language range (1 when absent); 0 for a malformed one, which drops it.
double quality(std::string_view text) {
  double q = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), q);
  if (ec != std::errc{} || end != text.data() + text.size() || q < 0 || q > 1) return 0;
  return q;
}

// The tags to try, best first: `lang` (the query's), then `preferred`, then
// Accept-Language.
std::vector<std::string> candidates(std::optional<std::string> lang,
                                    std::optional<std::string_view> preferred,
                                    std::string_view accept_language) {
  std::vector<std::string> tags;
  if (lang && engine::is_locale_tag(*lang)) tags.push_back(std::move(*lang));
  if (preferred && !preferred->empty()) tags.emplace_back(*preferred);
  for (auto& tag : accepted_languages(accept_language))
    tags.push_back(std::move(tag));
  return tags;
}

std::vector<std::string> candidates(const request_context& ctx,
                                    std::optional<std::string_view> preferred) {
  return candidates(query_param(ctx, "lang"), preferred, ctx.req[http::field::accept_language]);
}

}  // namespace

std::vector<std::string> accepted_languages(std::string_view header) {
  // Accept-Language has the shape of an extension list: `range *( ";" param )`, comma
  // separated, so Beast's ext_list parses it.
  std::vector<std::pair<double, std::string>> ranges;
  for (const auto& [range_view, params] : http::ext_list(header)) {
    const std::string_view range(range_view.data(), range_view.size());
    double q = 1;
    for (const auto& [name, value] : params) {
      if (name == "q" || name == "Q") q = quality({value.data(), value.size()});
    }
    if (q > 0 && engine::is_locale_tag(range)) ranges.emplace_back(q, std::string(range));
  }
  std::ranges::stable_sort(ranges, std::ranges::greater{}, &std::pair<double, std::string>::first);
  std::vector<std::string> tags;
  for (auto& [q, tag] : ranges)
    tags.push_back(std::move(tag));
  return tags;
}

std::string survey_page_locale(const engine::survey& s, const request_context& ctx,
                               std::optional<std::string_view> preferred) {
  return engine::resolve_locale(s, candidates(ctx, preferred));
}

std::string ui_page_locale(const request_context& ctx) {
  return resolve_ui_locale(candidates(ctx, std::nullopt));
}

std::string ui_page_locale(const http::request_header<>& req) {
  std::optional<std::string> lang;
  if (auto target = boost::urls::parse_origin_form(req.target())) {
    const auto params = target->params();
    if (auto it = params.find("lang"); it != params.end()) lang = std::string((*it).value);
  }
  return resolve_ui_locale(
      candidates(std::move(lang), std::nullopt, req[http::field::accept_language]));
}

}  // namespace hrs::server::web
