#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "hrs/engine/definition_loader.hpp"
#include "temp_dir.hpp"

using namespace hrs::engine;

namespace {

std::vector<std::filesystem::path> shipped_templates() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(hrs::testing::source_path("survey_defs"))) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && !name.ends_with(".schema.json"))
      files.push_back(entry.path());
  }
  return files;
}

// Every text a respondent sees must exist in every locale the template declares: a
// missing translation would silently show the default language.
void require_complete(const localized_text& text, const survey& s, const std::string& where) {
  for (const auto& locale : s.locales) {
    INFO(where << " in " << locale);
    REQUIRE(text.by_locale.contains(locale));
    REQUIRE_FALSE(text.by_locale.at(locale).empty());
  }
}

}  // namespace

TEST_CASE("every shipped template loads and is fully translated",
          "[engine][definitions][shipped]") {
  const auto files = shipped_templates();
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    auto loaded = load_definition_file(file);
    INFO(file.filename().string());
    if (!loaded) {
      for (const auto& line : format_problems(file, loaded.error()))
        UNSCOPED_INFO(line);
    }
    REQUIRE(loaded.has_value());
    require_complete(loaded->title, *loaded, "title");
    for (const auto& q : loaded->questions) {
      require_complete(q.text, *loaded, q.id);
      if (q.help) require_complete(*q.help, *loaded, q.id + " help");
      for (const auto& [point, label] : q.labels)
        require_complete(label, *loaded, q.id + " label");
      for (const auto& o : q.options)
        require_complete(o.label, *loaded, q.id + "/" + o.id);
    }
  }
}

TEST_CASE("the HR service template asks what DESIGN.md promises",
          "[engine][definitions][shipped]") {
  auto s = load_definition_file(hrs::testing::source_path("survey_defs/hr-service.json"));
  REQUIRE(s.has_value());
  CHECK(s->id == "hr-service");
  CHECK(s->locales == std::vector<std::string>{"en", "it", "es", "ro", "zh-Hant"});
  CHECK(s->campaign);

  std::set<std::string> dimensions, segments;
  for (const auto& q : s->questions) {
    if (q.dimension) dimensions.insert(*q.dimension);
    if (q.segment) segments.insert(q.id);
  }
  CHECK(dimensions == std::set<std::string>{"courtesy", "timeliness", "quality", "expectations"});
  CHECK(segments == std::set<std::string>{"request_type", "importance"});

  const auto* request = s->find("request_type");
  REQUIRE(request != nullptr);
  std::set<std::string> options;
  for (const auto& o : request->options)
    options.insert(o.id);
  CHECK(options == std::set<std::string>{"benefits", "payroll", "leave", "hiring", "training",
                                         "policy", "other"});
  REQUIRE(s->staff_question() != nullptr);
  for (const char* required : {"request_type", "courtesy", "timeliness", "quality"})
    CHECK(s->find(required)->required);
  const auto* comment = s->find("comment");
  REQUIRE(comment != nullptr);
  CHECK(comment->type == question_type::text);
}
