#pragma once

#include <span>
#include <string>
#include <string_view>

#include "hrs/engine/survey.hpp"

namespace hrs::engine {

// Returns true when `tag` looks like a BCP 47 tag we accept: a 2-3 letter language,
// then subtags of 2-8 letters or digits separated by '-' (e.g. "en", "zh-Hant", "pt-BR").
bool is_locale_tag(std::string_view tag) noexcept;

// Picks the locale a survey is shown in for a requested tag: the tag itself if the
// survey has it (case-insensitive), then its language ("zh-Hant-TW" -> "zh-Hant" ->
// "zh"), then the survey's default locale. Returns a tag from `s.locales`.
std::string resolve_locale(const survey& s, std::string_view requested);

// Like resolve_locale, for an Accept-Language style list of candidates in preference
// order: the first candidate the survey has (itself or a parent tag, not the default as
// a fallback) wins, even when that is the default locale; if none, the default locale.
std::string resolve_locale(const survey& s, std::span<const std::string> candidates);

// Returns the text in `locale` with the same fallback: tag, language, default locale.
const std::string& localize(const localized_text& text, std::string_view locale,
                            std::string_view default_locale);

}  // namespace hrs::engine
