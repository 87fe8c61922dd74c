#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "hrs/engine/definition_loader.hpp"
#include "temp_dir.hpp"

namespace {

using hrs::engine::errc;
using nlohmann::json;

// A valid template that exercises every key; each broken case below is this template
// with one JSON patch applied. Question 2 is the rating with labels.
const char* const base_template = R"({
  "id": "hr-service",
  "version": 1,
  "default_locale": "en",
  "locales": ["en", "it", "zh-Hant"],
  "title": {"en": "How did HR do?", "it": "Come è andata con le Risorse Umane?"},
  "description": "A short survey about your last request",
  "thank_you": {"en": "Thank you!", "zh-Hant": "謝謝"},
  "campaign": false,
  "questions": [
    {"id": "request_type", "type": "choice", "required": true, "segment": true,
     "text": {"en": "What was your request about?"},
     "options": [{"id": "benefits", "label": {"en": "Benefits", "it": "Benefit"}},
                 {"id": "payroll", "label": "Payroll"}]},
    {"id": "importance", "type": "rating", "segment": true,
     "text": {"en": "How important was it to you?"}},
    {"id": "courtesy", "type": "rating", "dimension": "courtesy", "required": true,
     "text": {"en": "How courteous were we?"},
     "labels": {"1": {"en": "Rude"}, "5": {"en": "Very kind", "it": "Molto gentile"}}},
    {"id": "timeliness", "type": "rating", "dimension": "timeliness", "text": "How fast?"},
    {"id": "staff", "type": "staff", "text": {"en": "Who helped you?"}, "help": "Pick one"},
    {"id": "comment", "type": "text", "max_length": 500, "text": {"en": "Anything else?"}}
  ]
})";

json base() {
  return json::parse(base_template);
}

using patch_ops = std::vector<json>;

// Returns the base template with the JSON patch operations applied.
json patched(const patch_ops& ops) {
  return base().patch(json(ops));
}

json add_op(const std::string& path, json value) {
  return {{"op", "add"}, {"path", path}, {"value", std::move(value)}};
}
json replace_op(const std::string& path, json value) {
  return {{"op", "replace"}, {"path", path}, {"value", std::move(value)}};
}
json remove_op(const std::string& path) {
  return {{"op", "remove"}, {"path", path}};
}

struct broken_case {
  std::string rule;
  patch_ops patch;   // applied to the base template
  std::string path;  // the one pointer the loader must report
};

std::vector<broken_case> broken_cases() {
  const json choice_without = base()["questions"][0];
  return {
      // top level
      {"unknown top-level key", {add_op("/colour", "blue")}, "/colour"},
      {"id is required", {remove_op("/id")}, "/id"},
      {"id is a string", {replace_op("/id", 5)}, "/id"},
      {"id pattern", {replace_op("/id", "HR Service")}, "/id"},
      {"id starts with a letter or digit", {replace_op("/id", "-hr")}, "/id"},
      {"id at most 64 characters", {replace_op("/id", std::string(65, 'a'))}, "/id"},
      {"version is required", {remove_op("/version")}, "/version"},
      {"version is not a float", {replace_op("/version", 1.5)}, "/version"},
      {"version is not 1.0", {replace_op("/version", 1.0)}, "/version"},
      {"version is not a string", {replace_op("/version", "1")}, "/version"},
      {"version at least 1", {replace_op("/version", 0)}, "/version"},
      {"version not negative", {replace_op("/version", -3)}, "/version"},
      {"version fits an int", {replace_op("/version", 3000000000LL)}, "/version"},
      {"version fits an int (unsigned)",
       {replace_op("/version", 18446744073709551615ULL)},
       "/version"},
      {"default_locale is required", {remove_op("/default_locale")}, "/default_locale"},
      {"default_locale is a string",
       {replace_op("/default_locale", json::array({"en"}))},
       "/default_locale"},
      {"default_locale is a tag", {replace_op("/default_locale", "en_US")}, "/default_locale"},
      {"default_locale in locales", {replace_op("/default_locale", "fr")}, "/default_locale"},
      {"locales is required", {remove_op("/locales")}, "/locales"},
      {"locales is an array", {replace_op("/locales", "en")}, "/locales"},
      {"locales is not empty", {replace_op("/locales", json::array())}, "/locales"},
      {"locales are strings", {add_op("/locales/-", 7)}, "/locales/3"},
      {"locales are tags", {add_op("/locales/-", "english")}, "/locales/3"},
      {"locales are unique", {add_op("/locales/-", "it")}, "/locales/3"},
      {"locales are unique ignoring case", {add_op("/locales/-", "ZH-hant")}, "/locales/3"},
      {"campaign is a boolean", {replace_op("/campaign", "yes")}, "/campaign"},
      // texts
      {"title is required", {remove_op("/title")}, "/title"},
      {"title is not empty", {replace_op("/title", "")}, "/title"},
      {"title is a text", {replace_op("/title", 42)}, "/title"},
      {"title has the default locale", {replace_op("/title", {{"it", "Ciao"}})}, "/title"},
      {"text locales are declared", {add_op("/title/fr", "Bonjour")}, "/title/fr"},
      {"translations are strings", {replace_op("/title/it", json::array())}, "/title/it"},
      {"translations are not empty", {replace_op("/title/it", "")}, "/title/it"},
      {"description is a text", {replace_op("/description", json::array())}, "/description"},
      {"thank_you has the default locale", {remove_op("/thank_you/en")}, "/thank_you"},
      // questions
      {"questions is required", {remove_op("/questions")}, "/questions"},
      {"questions is an array", {replace_op("/questions", json::object())}, "/questions"},
      {"questions is not empty", {replace_op("/questions", json::array())}, "/questions"},
      {"a question is an object", {replace_op("/questions/1", "importance")}, "/questions/1"},
      {"unknown question key", {add_op("/questions/1/colour", "red")}, "/questions/1/colour"},
      {"question id is required", {remove_op("/questions/1/id")}, "/questions/1/id"},
      {"question id pattern", {replace_op("/questions/1/id", "Importance")}, "/questions/1/id"},
      {"question id has no dash",
       {replace_op("/questions/1/id", "how-important")},
       "/questions/1/id"},
      {"question ids are unique", {replace_op("/questions/3/id", "courtesy")}, "/questions/3/id"},
      {"type is required", {remove_op("/questions/1/type")}, "/questions/1/type"},
      {"type is a string", {replace_op("/questions/1/type", 1)}, "/questions/1/type"},
      {"unknown question type", {replace_op("/questions/1/type", "slider")}, "/questions/1/type"},
      {"question text is required", {remove_op("/questions/1/text")}, "/questions/1/text"},
      {"question text has the default locale",
       {remove_op("/questions/1/text/en")},
       "/questions/1/text"},
      {"help is a text", {replace_op("/questions/4/help", true)}, "/questions/4/help"},
      {"required is a boolean",
       {replace_op("/questions/0/required", "yes")},
       "/questions/0/required"},
      {"segment is a boolean", {replace_op("/questions/1/segment", 1)}, "/questions/1/segment"},
      {"no segment on text", {add_op("/questions/5/segment", true)}, "/questions/5/segment"},
      {"no segment on staff", {add_op("/questions/4/segment", false)}, "/questions/4/segment"},
      {"dimension is a string",
       {replace_op("/questions/2/dimension", 1)},
       "/questions/2/dimension"},
      {"dimension pattern",
       {replace_op("/questions/2/dimension", "Courtesy")},
       "/questions/2/dimension"},
      {"no dimension on choice",
       {add_op("/questions/0/dimension", "topic")},
       "/questions/0/dimension"},
      {"a dimension belongs to one question",
       {replace_op("/questions/3/dimension", "courtesy")},
       "/questions/3/dimension"},
      {"labels are an object",
       {replace_op("/questions/2/labels", json::array())},
       "/questions/2/labels"},
      {"label points up to 5",
       {add_op("/questions/2/labels/6", "Superb")},
       "/questions/2/labels/6"},
      {"label points from 1", {add_op("/questions/2/labels/0", "Awful")}, "/questions/2/labels/0"},
      {"label points are plain digits",
       {add_op("/questions/2/labels/01", "Awful")},
       "/questions/2/labels/01"},
      {"labels are texts",
       {replace_op("/questions/2/labels/1", {{"it", "Scortese"}})},
       "/questions/2/labels/1"},
      {"no labels on choice",
       {add_op("/questions/0/labels", json::object())},
       "/questions/0/labels"},
      {"choice needs options", {remove_op("/questions/0/options")}, "/questions/0/options"},
      {"choice needs at least one option",
       {replace_op("/questions/0/options", json::array())},
       "/questions/0/options"},
      {"options are an array",
       {replace_op("/questions/0/options", "benefits")},
       "/questions/0/options"},
      {"no options on rating",
       {add_op("/questions/1/options", choice_without["options"])},
       "/questions/1/options"},
      {"an option is an object",
       {replace_op("/questions/0/options/1", "payroll")},
       "/questions/0/options/1"},
      {"unknown option key",
       {add_op("/questions/0/options/1/colour", "red")},
       "/questions/0/options/1/colour"},
      {"option id is required",
       {remove_op("/questions/0/options/1/id")},
       "/questions/0/options/1/id"},
      {"option id pattern",
       {replace_op("/questions/0/options/1/id", "Pay roll")},
       "/questions/0/options/1/id"},
      {"option ids are unique",
       {replace_op("/questions/0/options/1/id", "benefits")},
       "/questions/0/options/1/id"},
      {"option label is required",
       {remove_op("/questions/0/options/1/label")},
       "/questions/0/options/1/label"},
      {"option label is a text",
       {replace_op("/questions/0/options/0/label", {{"en", "Benefits"}, {"fr", "Avantages"}})},
       "/questions/0/options/0/label/fr"},
      {"max_length is an integer",
       {replace_op("/questions/5/max_length", 1.5)},
       "/questions/5/max_length"},
      {"max_length is not a string",
       {replace_op("/questions/5/max_length", "500")},
       "/questions/5/max_length"},
      {"max_length is positive",
       {replace_op("/questions/5/max_length", 0)},
       "/questions/5/max_length"},
      {"max_length is bounded",
       {replace_op("/questions/5/max_length", 10001)},
       "/questions/5/max_length"},
      {"no max_length on rating",
       {add_op("/questions/1/max_length", 100)},
       "/questions/1/max_length"},
      {"at most one staff question",
       {add_op("/questions/-", {{"id", "other_staff"}, {"type", "staff"}, {"text", "Who else?"}})},
       "/questions/6/type"},
  };
}

}  // namespace

TEST_CASE("the base template of the broken cases is valid", "[engine][definitions]") {
  const auto parsed = hrs::engine::parse_definition(base());
  REQUIRE(parsed.has_value());
}

TEST_CASE("each broken rule is reported once at its exact pointer", "[engine][definitions]") {
  const auto cases = broken_cases();
  const auto c = GENERATE_COPY(from_range(cases));
  INFO(c.rule);
  const json document = patched(c.patch);

  const auto parsed = hrs::engine::parse_definition(document);

  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().code == errc::validation_failed);
  REQUIRE(parsed.error().details.size() == 1);
  CHECK(parsed.error().details[0].path == c.path);
  CHECK_FALSE(parsed.error().details[0].message.empty());
}

TEST_CASE("messages name what was expected", "[engine][definitions]") {
  const auto message_for = [](const patch_ops& ops) {
    const auto parsed = hrs::engine::parse_definition(patched(ops));
    REQUIRE_FALSE(parsed.has_value());
    REQUIRE(parsed.error().details.size() == 1);
    return parsed.error().details[0].message;
  };
  CHECK(message_for({replace_op("/id", 5)}) == "expected a string");
  CHECK(message_for({replace_op("/version", 1.5)}) == "expected an integer");
  CHECK(message_for({replace_op("/campaign", "yes")}) == "expected a boolean");
  CHECK(message_for({add_op("/colour", 1)}) == "unknown key");
  CHECK(message_for({replace_op("/default_locale", "fr")}) == "default_locale not in locales");
  CHECK(message_for({replace_op("/questions/1/type", "slider")}) ==
        "unknown question type 'slider'");
  CHECK(message_for({add_op("/questions/2/labels/6", "x")}) ==
        "rating labels are the points 1 to 5");
  CHECK(message_for({remove_op("/questions/0/options")}) ==
        "a choice question needs at least one option");
  CHECK(message_for({add_op("/questions/5/segment", true)}) ==
        "segment is only allowed on rating and choice questions");
  CHECK(message_for({add_op("/title/fr", "Bonjour")}) == "locale fr is not in locales");
  CHECK_THAT(message_for({replace_op("/title", {{"it", "Ciao"}})}), Catch::Contains("en"));
}

TEST_CASE("every problem is reported at once", "[engine][definitions]") {
  const json document = patched({
      remove_op("/version"),
      add_op("/questions/2/labels/6", "Superb"),
      replace_op("/questions/1/type", "slider"),
      replace_op("/questions/0/options/1/id", "benefits"),
  });

  const auto parsed = hrs::engine::parse_definition(document);

  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().code == errc::validation_failed);
  CHECK(parsed.error().message == "the survey template has 4 problems");
  std::set<std::string> paths;
  for (const auto& d : parsed.error().details)
    paths.insert(d.path);
  CHECK(paths == std::set<std::string>{"/version", "/questions/2/labels/6", "/questions/1/type",
                                       "/questions/0/options/1/id"});
}

TEST_CASE("a document that is not an object is one problem at the root", "[engine][definitions]") {
  const auto parsed = hrs::engine::parse_definition(json::array({1, 2}));
  REQUIRE_FALSE(parsed.has_value());
  REQUIRE(parsed.error().details.size() == 1);
  CHECK(parsed.error().details[0].path == "");
}

TEST_CASE("malformed JSON is reported with line and column", "[engine][definitions]") {
  // The second comma on line 3 is the 16th character of that line.
  const auto parsed =
      hrs::engine::parse_definition(std::string_view("{\n"
                                                     "  \"id\": \"hr-service\",\n"
                                                     "  \"version\": 1,,\n"
                                                     "  \"questions\": []\n"
                                                     "}\n"));

  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().code == errc::validation_failed);
  REQUIRE(parsed.error().details.size() == 1);
  CHECK(parsed.error().details[0].path == "");
  CHECK_THAT(parsed.error().details[0].message, Catch::StartsWith("line 3, column 16: "));

  SECTION("the position of a truncated document is its end") {
    const auto truncated = hrs::engine::parse_definition(std::string_view("{\n  \"id\": \"x\""));
    REQUIRE_FALSE(truncated.has_value());
    REQUIRE(truncated.error().details.size() == 1);
    CHECK_THAT(truncated.error().details[0].message, Catch::StartsWith("line 2, column "));
  }
  SECTION("invalid UTF-8 is malformed, and the message stays valid UTF-8") {
    const auto invalid = hrs::engine::parse_definition(std::string_view("{\"id\": \"\xff\"}"));
    REQUIRE_FALSE(invalid.has_value());
    REQUIRE(invalid.error().details.size() == 1);
    CHECK_NOTHROW(json(invalid.error().details[0].message).dump());
  }
  SECTION("an empty document is malformed") {
    const auto empty = hrs::engine::parse_definition(std::string_view(""));
    REQUIRE_FALSE(empty.has_value());
    CHECK_THAT(empty.error().details.at(0).message, Catch::StartsWith("line 1, column 1: "));
  }
}

// Found by tests/fuzz/fuzz_definition: nlohmann throws out_of_range, not parse_error,
// for a number no double holds, and that escaped as an exception.
TEST_CASE("a number too large for a double is a validation error, not an exception",
          "[engine][definitions]") {
  for (const std::string_view text :
       {std::string_view("[1e400]"), std::string_view("{\"id\": \"x\", \"version\": -1e99999}")}) {
    const auto parsed = hrs::engine::parse_definition(text);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == errc::validation_failed);
    REQUIRE(parsed.error().details.size() == 1);
    CHECK(parsed.error().details[0].path == "");
  }
}

TEST_CASE("nesting deeper than any template is rejected", "[engine][definitions]") {
  json deep = base();
  json* inner = &(deep["description"] = json::object());
  for (int i = 0; i < 40; ++i)
    inner = &((*inner)["x"] = json::object());

  const auto parsed = hrs::engine::parse_definition(deep.dump());

  REQUIRE_FALSE(parsed.has_value());
  const auto& details = parsed.error().details;
  CHECK(std::ranges::any_of(details, [](const hrs::engine::detail& d) {
    return d.message == "the document is nested too deeply";
  }));
}

// Found by fuzz_definition: thousands of levels, each with a duplicate key, made a
// problem (and a pointer thousands of segments long) per level.
TEST_CASE("a document nested thousands of levels deep gives a short list of problems",
          "[engine][definitions]") {
  constexpr int levels = 5000;
  std::string text;
  for (int i = 0; i < levels; ++i)
    text += R"({"k": 1, "k": )";
  text += "1";
  text += std::string(levels, '}');

  const auto parsed = hrs::engine::parse_definition(std::string_view(text));

  REQUIRE_FALSE(parsed.has_value());
  const auto& details = parsed.error().details;
  CHECK(std::ranges::count_if(details, [](const hrs::engine::detail& d) {
          return d.message == "the document is nested too deeply";
        }) == 1);
  // The duplicates above the limit are still named, each at its own pointer.
  CHECK(std::ranges::any_of(details, [](const hrs::engine::detail& d) {
    return d.path == "/k/k/k" && d.message.find("duplicate key 'k'") != std::string::npos;
  }));
  CHECK(details.size() < 100);
}

TEST_CASE("duplicate object keys are rejected at their pointer", "[engine][definitions]") {
  SECTION("at the top level") {
    std::string text = base().dump();
    text.insert(1, "\"id\": \"other\", ");
    const auto parsed = hrs::engine::parse_definition(std::string_view(text));
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == errc::validation_failed);
    REQUIRE(parsed.error().details.size() == 1);
    CHECK(parsed.error().details[0].path == "/id");
    CHECK_THAT(parsed.error().details[0].message, Catch::Contains("duplicate key 'id'"));
  }
  SECTION("inside an array of objects") {
    const auto parsed = hrs::engine::parse_definition(std::string_view(R"({
      "id": "x", "version": 1, "default_locale": "en", "locales": ["en"], "title": "T",
      "questions": [
        {"id": "a", "type": "text", "text": "A"},
        {"id": "b", "type": "choice", "text": "B",
         "options": [{"id": "o1", "label": "O1"}, {"id": "o2", "label": "O2", "label": "O3"}]}
      ]})"));
    REQUIRE_FALSE(parsed.has_value());
    REQUIRE(parsed.error().details.size() == 1);
    CHECK(parsed.error().details[0].path == "/questions/1/options/1/label");
  }
}

TEST_CASE("a valid template becomes the model", "[engine][definitions]") {
  const auto parsed = hrs::engine::parse_definition(std::string_view(base_template));
  REQUIRE(parsed.has_value());
  const auto& s = *parsed;

  CHECK(s.id == "hr-service");
  CHECK(s.version == 1);
  CHECK(s.locales == std::vector<std::string>{"en", "it", "zh-Hant"});
  CHECK_FALSE(s.campaign);
  REQUIRE(s.questions.size() == 6);
  // A plain string is the text in the default locale.
  REQUIRE(s.description.has_value());
  CHECK(s.description->by_locale ==
        std::map<std::string, std::string>{{"en", "A short survey about your last request"}});

  const auto* courtesy = s.find("courtesy");
  REQUIRE(courtesy != nullptr);
  CHECK(courtesy->type == hrs::engine::question_type::rating);
  CHECK(courtesy->dimension == "courtesy");
  CHECK(courtesy->required);
  CHECK(courtesy->labels.size() == 2);
  CHECK(courtesy->labels.at(5).by_locale.at("it") == "Molto gentile");

  const auto* request_type = s.find("request_type");
  REQUIRE(request_type != nullptr);
  CHECK(request_type->segment);
  REQUIRE(request_type->options.size() == 2);
  CHECK(request_type->options[1].id == "payroll");
  CHECK(request_type->options[1].label.by_locale.at("en") == "Payroll");

  REQUIRE(s.staff_question() != nullptr);
  CHECK(s.staff_question()->id == "staff");
  CHECK(s.find("comment")->max_length == 500);
  CHECK(s.find("missing") == nullptr);
}

TEST_CASE("optional keys take their defaults", "[engine][definitions]") {
  const auto parsed = hrs::engine::parse_definition(patched({
      remove_op("/campaign"),
      remove_op("/questions/5/max_length"),
      remove_op("/questions/4"),
  }));
  REQUIRE(parsed.has_value());
  CHECK_FALSE(parsed->campaign);
  CHECK(parsed->find("comment")->max_length == hrs::engine::default_text_max_length);
  CHECK(parsed->staff_question() == nullptr);
  CHECK_FALSE(parsed->find("timeliness")->required);
}

TEST_CASE("a valid template round-trips through to_json_document", "[engine][definitions]") {
  const auto original = hrs::engine::parse_definition(patched({replace_op("/campaign", true)}));
  REQUIRE(original.has_value());

  const json document = hrs::engine::to_json_document(*original);
  const auto again = hrs::engine::parse_definition(document);

  REQUIRE(again.has_value());
  CHECK(*again == *original);
  CHECK(again->campaign);
  CHECK(hrs::engine::to_json_document(*again) == document);
}

TEST_CASE("problems print as file: pointer: message", "[engine][definitions]") {
  hrs::testing::temp_dir dir;
  const auto file = dir / "hr-service.json";

  SECTION("a rule broken") {
    std::ofstream(file) << patched({add_op("/questions/2/labels/6", "Superb")}).dump(2);
    const auto loaded = hrs::engine::load_definition_file(file);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(hrs::engine::format_problems(file, loaded.error()) ==
          std::vector<std::string>{
              "hr-service.json: /questions/2/labels/6: rating labels are the points 1 to 5"});
  }
  SECTION("malformed JSON shows line and column instead of a pointer") {
    std::ofstream(file) << "{\n  \"id\": \"hr-service\",\n  \"version\": 1,,\n}\n";
    const auto loaded = hrs::engine::load_definition_file(file);
    REQUIRE_FALSE(loaded.has_value());
    const auto lines = hrs::engine::format_problems(file, loaded.error());
    REQUIRE(lines.size() == 1);
    CHECK_THAT(lines[0], Catch::StartsWith("hr-service.json: line 3, column 16: "));
  }
  SECTION("a valid file loads") {
    std::ofstream(file) << base_template;
    const auto loaded = hrs::engine::load_definition_file(file);
    REQUIRE(loaded.has_value());
    CHECK(loaded->id == "hr-service");
  }
  SECTION("a missing file is not_found") {
    const auto loaded = hrs::engine::load_definition_file(dir / "nope.json");
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == errc::not_found);
    const auto lines = hrs::engine::format_problems(dir / "nope.json", loaded.error());
    REQUIRE(lines.size() == 1);
    CHECK_THAT(lines[0], Catch::StartsWith("nope.json: "));
  }
}
