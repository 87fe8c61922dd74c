#include "hrs/engine/locale.hpp"

#include <algorithm>
#include <optional>

namespace hrs::engine {
namespace {

constexpr bool is_ascii_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr bool is_ascii_alnum(char c) noexcept {
  return is_ascii_letter(c) || (c >= '0' && c <= '9');
}

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Tags are compared case-insensitively (BCP 47 section 2.1.1): "zh-hant" is "zh-Hant".
bool same_tag(std::string_view a, std::string_view b) noexcept {
  return std::ranges::equal(a, b, {}, ascii_lower, ascii_lower);
}

// Returns `tag` without its last subtag ("zh-Hant-TW" -> "zh-Hant"), or nullopt when
// only the language is left. Fallback goes from specific to general only: a request
// for "zh" never picks "zh-Hant", since the writer of "zh" may read another script.
std::optional<std::string_view> parent_tag(std::string_view tag) noexcept {
  const auto dash = tag.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  return tag.substr(0, dash);
}

// Returns the first key of `keys` that the requested tag or one of its parents names,
// or nullptr. `key_of` maps an element of `keys` to its tag.
template <class Range, class Key>
auto* match_tag(const Range& keys, std::string_view requested, Key key_of) {
  using element = std::remove_reference_t<decltype(*std::ranges::begin(keys))>;
  const element* found = nullptr;
  if (!is_locale_tag(requested)) return found;
  std::optional<std::string_view> candidate = requested;
  while (candidate && !found) {
    for (const auto& key : keys) {
      if (same_tag(key_of(key), *candidate)) {
        found = &key;
        break;
      }
    }
    candidate = parent_tag(*candidate);
  }
  return found;
}

const std::string* match_locale(const survey& s, std::string_view requested) {
  return match_tag(s.locales, requested,
                   [](const std::string& tag) -> std::string_view { return tag; });
}

}  // namespace

bool is_locale_tag(std::string_view tag) noexcept {
  std::size_t language = 0;
  while (language < tag.size() && is_ascii_letter(tag[language]))
    ++language;
  if (language < 2 || language > 3) return false;
  auto rest = tag.substr(language);
  while (!rest.empty()) {
    if (rest.front() != '-') return false;
    rest.remove_prefix(1);
    std::size_t length = 0;
    while (length < rest.size() && is_ascii_alnum(rest[length]))
      ++length;
    if (length < 2 || length > 8) return false;
    rest.remove_prefix(length);
  }
  return true;
}

std::string resolve_locale(const survey& s, std::string_view requested) {
  if (const auto* tag = match_locale(s, requested)) return *tag;
  return s.default_locale;
}

std::string resolve_locale(const survey& s, std::span<const std::string> candidates) {
  for (const auto& candidate : candidates) {
    if (const auto* tag = match_locale(s, candidate)) return *tag;
  }
  return s.default_locale;
}

const std::string& localize(const localized_text& text, std::string_view locale,
                            std::string_view default_locale) {
  const auto key_of = [](const auto& entry) -> std::string_view { return entry.first; };
  if (const auto* entry = match_tag(text.by_locale, locale, key_of)) return entry->second;
  if (const auto* entry = match_tag(text.by_locale, default_locale, key_of)) {
    return entry->second;
  }
  // A validated text always holds the default locale; this only guards hand-built ones.
  static const std::string empty;
  return text.by_locale.empty() ? empty : text.by_locale.begin()->second;
}

}  // namespace hrs::engine
