#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/locale.hpp"

namespace {

hrs::engine::survey multilingual_survey() {
  hrs::engine::survey s;
  s.id = "hr-service";
  s.version = 1;
  s.default_locale = "en";
  s.locales = {"en", "it", "zh-Hant", "pt-BR"};
  s.title.by_locale = {{"en", "How did HR do?"}};
  return s;
}

}  // namespace

TEST_CASE("locale tags are a language and optional subtags", "[engine][locale]") {
  const auto [tag, valid] = GENERATE(table<std::string, bool>({
      {"en", true},         {"ast", true},    {"zh-Hant", true},
      {"zh-Hant-TW", true}, {"pt-BR", true},  {"es-419", true},
      {"EN-us", true},      {"", false},      {"e", false},
      {"engl", false},      {"en-", false},   {"-en", false},
      {"en--US", false},    {"en-a", false},  {"en-abcdefghi", false},
      {"en_US", false},     {"en US", false}, {"1a", false},
      {"*", false},
  }));
  INFO(tag);
  CHECK(hrs::engine::is_locale_tag(tag) == valid);
}

TEST_CASE("a requested locale resolves to one of the survey's locales", "[engine][locale]") {
  const auto s = multilingual_survey();
  const auto [requested, expected] = GENERATE(table<std::string, std::string>({
      {"it", "it"},               // exact
      {"IT", "it"},               // tags ignore case
      {"ZH-hant", "zh-Hant"},     // and the result is spelled as the survey spells it
      {"zh-Hant-TW", "zh-Hant"},  // drop the last subtag
      {"it-CH", "it"},            // down to the language
      {"pt-BR", "pt-BR"},
      // Fallback goes from specific to general only: "zh" does not pick "zh-Hant" (a
      // reader of "zh" may read simplified script), nor "pt" pick "pt-BR".
      {"zh", "en"},
      {"pt", "en"},
      {"fr", "en"},  // unknown: the default
      {"", "en"},    // invalid: the default
      {"english", "en"},
      {"en_US", "en"},
      {"*", "en"},
  }));
  INFO(requested);
  CHECK(hrs::engine::resolve_locale(s, requested) == expected);
}

TEST_CASE("the first candidate the survey has wins", "[engine][locale]") {
  const auto s = multilingual_survey();
  using list = std::vector<std::string>;
  CHECK(hrs::engine::resolve_locale(s, list{"fr", "it-CH", "en"}) == "it");
  // The default is a match like any other: an "en" reader is not sent to Italian.
  CHECK(hrs::engine::resolve_locale(s, list{"en", "it"}) == "en");
  CHECK(hrs::engine::resolve_locale(s, list{"*", "zh-Hant-HK"}) == "zh-Hant");
  CHECK(hrs::engine::resolve_locale(s, list{"fr", "de"}) == "en");
  CHECK(hrs::engine::resolve_locale(s, list{}) == "en");
}

TEST_CASE("localize falls back from the tag to its language to the default", "[engine][locale]") {
  hrs::engine::localized_text text;
  text.by_locale = {{"en", "Hello"}, {"it", "Ciao"}, {"zh-Hant", "你好"}};

  CHECK(hrs::engine::localize(text, "it", "en") == "Ciao");
  CHECK(hrs::engine::localize(text, "IT", "en") == "Ciao");
  CHECK(hrs::engine::localize(text, "it-CH", "en") == "Ciao");
  CHECK(hrs::engine::localize(text, "zh-Hant-TW", "en") == "你好");
  CHECK(hrs::engine::localize(text, "zh", "en") == "Hello");
  CHECK(hrs::engine::localize(text, "fr", "en") == "Hello");
  CHECK(hrs::engine::localize(text, "", "en") == "Hello");

  SECTION("a text without the default locale still yields a string") {
    hrs::engine::localized_text partial;
    partial.by_locale = {{"it", "Ciao"}};
    CHECK(hrs::engine::localize(partial, "fr", "en") == "Ciao");
    CHECK(hrs::engine::localize(hrs::engine::localized_text{}, "fr", "en").empty());
  }
}
