#include "hrs/engine/definition_loader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include <fmt/format.h>

#include "hrs/engine/locale.hpp"

namespace hrs::engine {
namespace {

using json = nlohmann::json;
using pointer = json::json_pointer;

// Templates are hand-written files of a few kilobytes; the cap only stops a wrong file.
constexpr std::uintmax_t max_definition_file_bytes = 1024 * 1024;
// The deepest path a valid template has is /questions/i/options/j/label/locale (6).
constexpr int max_nesting_depth = 32;

constexpr std::array top_level_keys{"id",        "version",  "default_locale",
                                    "locales",   "title",    "description",
                                    "thank_you", "campaign", "questions"};
constexpr std::array question_keys{"id",      "type",      "text",   "help",    "required",
                                   "segment", "dimension", "labels", "options", "max_length"};
constexpr std::array option_keys{"id", "label"};
constexpr std::array rating_points{"1", "2", "3", "4", "5"};

// ---------------------------------------------------------------------------------------
// Small predicates

bool is_lower_or_digit(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// ^[a-z0-9][a-z0-9_-]{0,63}$: survey and option ids end up in URLs and CSV headers.
bool is_slug_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64 || !is_lower_or_digit(id.front())) return false;
  return std::ranges::all_of(id,
                             [](char c) { return is_lower_or_digit(c) || c == '_' || c == '-'; });
}

// ^[a-z][a-z0-9_]{0,63}$: question ids and dimensions double as form field names.
bool is_identifier(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64 || id.front() < 'a' || id.front() > 'z') return false;
  return std::ranges::all_of(id, [](char c) { return is_lower_or_digit(c) || c == '_'; });
}

template <std::size_t N>
bool is_one_of(const std::array<const char*, N>& names, std::string_view name) noexcept {
  return std::ranges::any_of(names, [name](const char* n) { return name == n; });
}

std::optional<question_type> parse_question_type(std::string_view name) noexcept {
  for (const auto type :
       {question_type::rating, question_type::choice, question_type::text, question_type::staff}) {
    if (to_string(type) == name) return type;
  }
  return std::nullopt;
}

// Returns the value of an integer JSON number, saturated to the int64 range, or nullopt
// for anything else (floats included: 1.0 is not a version).
std::optional<std::int64_t> integer_value(const json& value) noexcept {
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    return u > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return std::nullopt;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

// ---------------------------------------------------------------------------------------
// The validator: walks the document once and records every problem it finds. Checks
// that depend on a broken value (e.g. text locales when `locales` is not an array) are
// skipped rather than reported again, so each mistake yields one detail.

class validator {
 public:
  std::vector<detail> run(const json& document) {
    if (!document.is_object()) {
      add(pointer{}, "expected an object");
      return std::move(problems_);
    }
    check_unknown_keys(document, pointer{}, top_level_keys);
    read_locales(document);
    check_top_level_scalars(document);
    check_required_text(document, pointer{} / "title");
    check_optional_text(document, pointer{} / "description");
    check_optional_text(document, pointer{} / "thank_you");
    check_questions(document);
    return std::move(problems_);
  }

 private:
  struct question_context {
    pointer at;
    std::optional<question_type> type;
  };

  std::vector<detail> problems_;
  // Valid entries of `locales`, or nullopt when `locales` is unusable.
  std::optional<std::set<std::string>> locales_;
  // The default locale when it is a usable string, else nullopt.
  std::optional<std::string> default_locale_;
  std::set<std::string> question_ids_;
  std::map<std::string, std::string> dimensions_;  // dimension -> question id
  bool has_staff_question_ = false;

  void add(const pointer& at, std::string message) {
    problems_.push_back(detail{at.to_string(), std::move(message)});
  }

  // Returns the member at `at` (the last token is the key) or nullptr.
  static const json* member(const json& object, const pointer& at) {
    const auto it = object.find(at.back());
    return it == object.end() ? nullptr : &*it;
  }

  const json* required_member(const json& object, const pointer& at) {
    const json* value = member(object, at);
    if (value == nullptr) add(at, fmt::format("{} is required", at.back()));
    return value;
  }

  template <std::size_t N>
  void check_unknown_keys(const json& object, const pointer& at,
                          const std::array<const char*, N>& allowed) {
    for (const auto& [key, value] : object.items()) {
      if (!is_one_of(allowed, key)) add(at / key, "unknown key");
    }
  }

  // Checks type and returns the string, or nullopt after recording the problem.
  std::optional<std::string> expect_string(const json& value, const pointer& at) {
    if (!value.is_string()) {
      add(at, "expected a string");
      return std::nullopt;
    }
    return value.get<std::string>();
  }

  void expect_boolean(const json* value, const pointer& at) {
    if (value != nullptr && !value->is_boolean()) add(at, "expected a boolean");
  }

  // --- top level --------------------------------------------------------------------

  void read_locales(const json& document) {
    const pointer at = pointer{} / "locales";
    const json* locales = required_member(document, at);
    if (locales == nullptr) return;
    if (!locales->is_array()) {
      add(at, "expected an array of locale tags");
      return;
    }
    if (locales->empty()) {
      add(at, "a survey needs at least one locale");
      return;
    }
    std::set<std::string> valid;
    std::set<std::string> seen_lowercase;
    for (std::size_t i = 0; i < locales->size(); ++i) {
      const auto tag = expect_string((*locales)[i], at / i);
      if (!tag) continue;
      if (!is_locale_tag(*tag)) {
        add(at / i, fmt::format("'{}' is not a locale tag", *tag));
      } else if (!seen_lowercase.insert(lowercase(*tag)).second) {
        // Lookups ignore case, so "en" and "EN" would be the same locale twice.
        add(at / i, fmt::format("locale {} is listed twice", *tag));
      } else {
        valid.insert(*tag);
      }
    }
    locales_ = std::move(valid);
  }

  void check_top_level_scalars(const json& document) {
    const pointer id_at = pointer{} / "id";
    if (const json* id = required_member(document, id_at)) {
      if (const auto value = expect_string(*id, id_at); value && !is_slug_id(*value)) {
        add(id_at, "an id is 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
      }
    }
    const pointer version_at = pointer{} / "version";
    if (const json* version = required_member(document, version_at)) {
      const auto value = integer_value(*version);
      if (!value) {
        add(version_at, "expected an integer");
      } else if (*value < 1 || *value > INT_MAX) {
        add(version_at, fmt::format("version must be from 1 to {}", INT_MAX));
      }
    }
    check_default_locale(document);
    const pointer campaign_at = pointer{} / "campaign";
    expect_boolean(member(document, campaign_at), campaign_at);
  }

  void check_default_locale(const json& document) {
    const pointer at = pointer{} / "default_locale";
    const json* value = required_member(document, at);
    if (value == nullptr) return;
    const auto tag = expect_string(*value, at);
    if (!tag) return;
    if (!is_locale_tag(*tag)) {
      add(at, fmt::format("'{}' is not a locale tag", *tag));
      return;
    }
    if (locales_ && !locales_->contains(*tag)) {
      add(at, "default_locale not in locales");
      return;  // texts are then not checked for it: one mistake, one problem
    }
    default_locale_ = *tag;
  }

  // --- texts --------------------------------------------------------------------------

  void check_required_text(const json& object, const pointer& at) {
    if (const json* value = required_member(object, at)) check_text(*value, at);
  }

  void check_optional_text(const json& object, const pointer& at) {
    if (const json* value = member(object, at)) check_text(*value, at);
  }

  void check_text(const json& value, const pointer& at) {
    if (value.is_string()) {
      if (value.get_ref<const std::string&>().empty()) add(at, "a text must not be empty");
      return;
    }
    if (!value.is_object()) {
      add(at, "expected a string or an object of locale to string");
      return;
    }
    for (const auto& [locale, translation] : value.items()) {
      if (locales_ && !locales_->contains(locale)) {
        add(at / locale, fmt::format("locale {} is not in locales", locale));
      } else if (!translation.is_string()) {
        add(at / locale, "expected a string");
      } else if (translation.get_ref<const std::string&>().empty()) {
        add(at / locale, "a text must not be empty");
      }
    }
    if (default_locale_ && !value.contains(*default_locale_)) {
      add(at, fmt::format("the text has no {} version (the default locale)", *default_locale_));
    }
  }

  // --- questions ----------------------------------------------------------------------

  void check_questions(const json& document) {
    const pointer at = pointer{} / "questions";
    const json* questions = required_member(document, at);
    if (questions == nullptr) return;
    if (!questions->is_array()) {
      add(at, "expected an array of questions");
      return;
    }
    if (questions->empty()) {
      add(at, "a survey needs at least one question");
      return;
    }
    for (std::size_t i = 0; i < questions->size(); ++i)
      check_question((*questions)[i], at / i);
  }

  void check_question(const json& q, const pointer& at) {
    if (!q.is_object()) {
      add(at, "expected an object");
      return;
    }
    check_unknown_keys(q, at, question_keys);
    const auto id = check_question_id(q, at);
    const question_context context{at, check_question_type(q, at)};
    check_required_text(q, at / "text");
    check_optional_text(q, at / "help");
    expect_boolean(member(q, at / "required"), at / "required");
    check_segment(q, context);
    check_dimension(q, context, id.value_or(""));
    check_labels(q, context);
    check_options(q, context);
    check_max_length(q, context);
  }

  std::optional<std::string> check_question_id(const json& q, const pointer& at) {
    const pointer id_at = at / "id";
    const json* value = required_member(q, id_at);
    if (value == nullptr) return std::nullopt;
    auto id = expect_string(*value, id_at);
    if (!id) return std::nullopt;
    if (!is_identifier(*id)) {
      add(id_at, "a question id is 1 to 64 of a-z, 0-9 and '_', starting with a letter");
      return std::nullopt;
    }
    if (!question_ids_.insert(*id).second) {
      add(id_at, fmt::format("duplicate question id '{}'", *id));
    }
    return id;
  }

  std::optional<question_type> check_question_type(const json& q, const pointer& at) {
    const pointer type_at = at / "type";
    const json* value = required_member(q, type_at);
    if (value == nullptr) return std::nullopt;
    const auto name = expect_string(*value, type_at);
    if (!name) return std::nullopt;
    const auto type = parse_question_type(*name);
    if (!type) {
      add(type_at, fmt::format("unknown question type '{}'", *name));
    } else if (*type == question_type::staff) {
      // One staff answer per response is what scorecards attribute ratings to.
      if (has_staff_question_) add(type_at, "a survey has at most one staff question");
      has_staff_question_ = true;
    }
    return type;
  }

  // Returns the member when present and allowed on this question's type; records a
  // problem when present on a type that cannot carry it. An unknown type allows all, so
  // that the shape of the value is still checked.
  const json* type_specific_member(const json& q, const question_context& context,
                                   std::string_view key,
                                   std::initializer_list<question_type> allowed_on,
                                   std::string_view misplaced_message) {
    const pointer at = context.at / std::string(key);
    const json* value = member(q, at);
    if (value == nullptr || !context.type) return value;
    if (std::ranges::find(allowed_on, *context.type) == allowed_on.end()) {
      add(at, std::string(misplaced_message));
      return nullptr;
    }
    return value;
  }

  void check_segment(const json& q, const question_context& context) {
    const json* value =
        type_specific_member(q, context, "segment", {question_type::rating, question_type::choice},
                             "segment is only allowed on rating and choice questions");
    expect_boolean(value, context.at / "segment");
  }

  void check_dimension(const json& q, const question_context& context,
                       const std::string& question_id) {
    const pointer at = context.at / "dimension";
    const json* value = type_specific_member(q, context, "dimension", {question_type::rating},
                                             "dimension is only allowed on rating questions");
    if (value == nullptr) return;
    const auto dimension = expect_string(*value, at);
    if (!dimension) return;
    if (!is_identifier(*dimension)) {
      add(at, "a dimension is 1 to 64 of a-z, 0-9 and '_', starting with a letter");
      return;
    }
    // Scorecards aggregate by dimension: two questions feeding one would double-count.
    const auto [it, inserted] = dimensions_.emplace(*dimension, question_id);
    if (!inserted) {
      add(at,
          fmt::format("dimension '{}' is already used by question '{}'", *dimension, it->second));
    }
  }

  void check_labels(const json& q, const question_context& context) {
    const pointer at = context.at / "labels";
    const json* labels = type_specific_member(q, context, "labels", {question_type::rating},
                                              "labels are only allowed on rating questions");
    if (labels == nullptr) return;
    if (!labels->is_object()) {
      add(at, "expected an object of rating point to text");
      return;
    }
    for (const auto& [point, label] : labels->items()) {
      if (!is_one_of(rating_points, point)) {
        add(at / point, "rating labels are the points 1 to 5");
      } else {
        check_text(label, at / point);
      }
    }
  }

  void check_options(const json& q, const question_context& context) {
    const pointer at = context.at / "options";
    const json* options = type_specific_member(q, context, "options", {question_type::choice},
                                               "options are only allowed on choice questions");
    const bool is_choice = context.type == question_type::choice;
    if (options == nullptr) {
      if (is_choice) add(at, "a choice question needs at least one option");
      return;
    }
    if (!options->is_array()) {
      add(at, "expected an array of options");
      return;
    }
    if (options->empty()) {
      add(at, "a choice question needs at least one option");
      return;
    }
    std::set<std::string> ids;
    for (std::size_t j = 0; j < options->size(); ++j)
      check_option((*options)[j], at / j, ids);
  }

  void check_option(const json& option_value, const pointer& at, std::set<std::string>& ids) {
    if (!option_value.is_object()) {
      add(at, "expected an object");
      return;
    }
    check_unknown_keys(option_value, at, option_keys);
    const pointer id_at = at / "id";
    if (const json* value = required_member(option_value, id_at)) {
      if (const auto id = expect_string(*value, id_at)) {
        if (!is_slug_id(*id)) {
          add(id_at,
              "an option id is 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        } else if (!ids.insert(*id).second) {
          add(id_at, fmt::format("duplicate option id '{}'", *id));
        }
      }
    }
    check_required_text(option_value, at / "label");
  }

  void check_max_length(const json& q, const question_context& context) {
    const pointer at = context.at / "max_length";
    const json* value = type_specific_member(q, context, "max_length", {question_type::text},
                                             "max_length is only allowed on text questions");
    if (value == nullptr) return;
    const auto length = integer_value(*value);
    if (!length) {
      add(at, "expected an integer");
    } else if (*length < 1 || *length > max_text_max_length) {
      add(at, fmt::format("max_length must be from 1 to {}", max_text_max_length));
    }
  }
};

// ---------------------------------------------------------------------------------------
// Conversion of a validated document to the model. Uses at() throughout: every key it
// reads was checked to exist by the validator.

localized_text to_text(const json& value, const std::string& default_locale) {
  localized_text text;
  if (value.is_string()) {
    text.by_locale.emplace(default_locale, value.get<std::string>());
  } else {
    text.by_locale = value.get<std::map<std::string, std::string>>();
  }
  return text;
}

std::optional<localized_text> to_optional_text(const json& object, const char* key,
                                               const std::string& default_locale) {
  const auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  return to_text(*it, default_locale);
}

bool to_bool(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->get<bool>();
}

question to_question(const json& q, const std::string& default_locale) {
  question out;
  out.id = q.at("id").get<std::string>();
  out.type = *parse_question_type(q.at("type").get_ref<const std::string&>());
  out.text = to_text(q.at("text"), default_locale);
  out.help = to_optional_text(q, "help", default_locale);
  out.required = to_bool(q, "required");
  out.segment = to_bool(q, "segment");
  if (const auto it = q.find("dimension"); it != q.end()) out.dimension = it->get<std::string>();
  if (const auto it = q.find("labels"); it != q.end()) {
    for (const auto& [point, label] : it->items()) {
      out.labels.emplace(point.front() - '0', to_text(label, default_locale));
    }
  }
  if (const auto it = q.find("options"); it != q.end()) {
    for (const auto& o : *it) {
      out.options.push_back(
          option{o.at("id").get<std::string>(), to_text(o.at("label"), default_locale)});
    }
  }
  if (out.type == question_type::text) {
    const auto it = q.find("max_length");
    out.max_length = it == q.end() ? default_text_max_length : it->get<int>();
  }
  return out;
}

survey to_survey(const json& document) {
  survey s;
  s.id = document.at("id").get<std::string>();
  s.version = document.at("version").get<int>();
  s.default_locale = document.at("default_locale").get<std::string>();
  s.locales = document.at("locales").get<std::vector<std::string>>();
  s.title = to_text(document.at("title"), s.default_locale);
  s.description = to_optional_text(document, "description", s.default_locale);
  s.thank_you = to_optional_text(document, "thank_you", s.default_locale);
  s.campaign = to_bool(document, "campaign");
  for (const auto& q : document.at("questions"))
    s.questions.push_back(to_question(q, s.default_locale));
  return s;
}

json to_json_text(const localized_text& text) {
  return json(text.by_locale);
}

json to_json_question(const question& q) {
  json out = json::object();
  out["id"] = q.id;
  out["type"] = std::string(to_string(q.type));
  out["text"] = to_json_text(q.text);
  if (q.help) out["help"] = to_json_text(*q.help);
  out["required"] = q.required;
  if (q.type == question_type::rating || q.type == question_type::choice)
    out["segment"] = q.segment;
  if (q.dimension) out["dimension"] = *q.dimension;
  if (!q.labels.empty()) {
    json& labels = out["labels"] = json::object();
    for (const auto& [point, label] : q.labels)
      labels[std::to_string(point)] = to_json_text(label);
  }
  if (q.type == question_type::choice) {
    json& options = out["options"] = json::array();
    for (const auto& o : q.options)
      options.push_back({{"id", o.id}, {"label", to_json_text(o.label)}});
  }
  if (q.type == question_type::text) out["max_length"] = q.max_length;
  return out;
}

// ---------------------------------------------------------------------------------------
// Parsing text: line and column for syntax errors, and duplicate keys, which nlohmann
// silently resolves by keeping the last one.

// Returns 1-based line and column of the character at 0-based `offset`.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto before = text.substr(0, offset);
  const auto line = 1 + static_cast<std::size_t>(std::ranges::count(before, '\n'));
  const auto last_newline = before.rfind('\n');
  const auto line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
  return {line, offset - line_start + 1};
}

// Returns the part of nlohmann's message after its own "[json.exception...] parse error
// at line L, column C: " prefix, whose position is counted differently from ours.
// Its "last read" context echoes the input, which may be the invalid UTF-8 the parser
// rejected; such bytes become '?' so that the message can itself be sent as JSON.
std::string parse_error_reason(std::string_view what) {
  const auto close = what.find("] ");
  const auto colon = what.find(": ", close == std::string_view::npos ? 0 : close);
  std::string reason(colon == std::string_view::npos ? what : what.substr(colon + 2));
  try {
    (void)json(reason).dump();
  } catch (const json::type_error&) {
    std::ranges::replace_if(
        reason, [](char c) { return static_cast<unsigned char>(c) >= 0x80; }, '?');
  }
  return reason;
}

// Follows the parser's events to know the pointer of each key, and records a problem for
// each key that repeats within its object, and for nesting deeper than any template has.
class document_watcher {
 public:
  bool on_event(int depth, json::parse_event_t event, const json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        frames_.push_back(frame{event == json::parse_event_t::array_start, 0, {}, {}});
        if (depth >= max_nesting_depth && !too_deep_reported_) {
          too_deep_reported_ = true;
          problems_.push_back(detail{current_pointer(), "the document is nested too deeply"});
        }
        break;
      case json::parse_event_t::key:
        on_key(parsed.get<std::string>());
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        end_value();
        break;
      case json::parse_event_t::value:
        end_value();
        break;
    }
    return true;
  }

  std::vector<detail> take_problems() { return std::move(problems_); }

 private:
  struct frame {
    bool is_array = false;
    std::size_t next_index = 0;  // arrays: index of the element being parsed
    std::string key;             // objects: key of the member being parsed
    std::set<std::string> keys;  // objects: keys seen so far
  };

  std::vector<frame> frames_;
  std::vector<detail> problems_;
  bool too_deep_reported_ = false;

  void on_key(std::string key) {
    if (frames_.empty()) return;
    frame& top = frames_.back();
    top.key = std::move(key);
    // Below the nesting limit the document is refused already; tracking keys there
    // would only let thousands of levels make every duplicate's pointer as long.
    if (frames_.size() > static_cast<std::size_t>(max_nesting_depth)) return;
    if (!top.keys.insert(top.key).second) {
      problems_.push_back(detail{current_pointer(), fmt::format("duplicate key '{}'", top.key)});
    }
  }

  void end_value() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().next_index;
  }

  // The pointer of the value being parsed (for a key event: of that key's value).
  std::string current_pointer() const {
    pointer at;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i)
      at.push_back(segment(frames_[i]));
    if (!frames_.empty() && !frames_.back().is_array) at.push_back(frames_.back().key);
    return at.to_string();
  }

  static std::string segment(const frame& f) {
    return f.is_array ? std::to_string(f.next_index) : f.key;
  }
};

void append(std::vector<detail>& to, std::vector<detail> from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

result<survey> validation_result(const json& document, std::vector<detail> problems) {
  append(problems, validator{}.run(document));
  if (!problems.empty()) {
    const auto count = problems.size();
    return fail(errc::validation_failed,
                count == 1 ? std::string("the survey template has 1 problem")
                           : fmt::format("the survey template has {} problems", count),
                std::move(problems));
  }
  return to_survey(document);
}

}  // namespace

result<survey> parse_definition(std::string_view json_text) {
  document_watcher watcher;
  json document;
  try {
    document = json::parse(
        json_text,
        [&watcher](int depth, json::parse_event_t event, json& parsed) {
          return watcher.on_event(depth, event, parsed);
        },
        /*allow_exceptions=*/true);
  } catch (const json::parse_error& e) {
    // `byte` counts characters read, the offending one included.
    const auto [line, column] = line_and_column(json_text, e.byte == 0 ? 0 : e.byte - 1);
    return fail(errc::validation_failed, "the survey template is not valid JSON",
                {detail{"", fmt::format("line {}, column {}: {}", line, column,
                                        parse_error_reason(e.what()))}});
  } catch (const json::out_of_range&) {
    // 1e400 is valid JSON that no double holds: nlohmann throws out_of_range.406, not a
    // parse_error, and without the position.
    return fail(errc::validation_failed, "the survey template is not valid JSON",
                {detail{"", "a number is too large"}});
  }
  return validation_result(document, watcher.take_problems());
}

result<survey> parse_definition(const json& document) {
  return validation_result(document, {});
}

result<survey> load_definition_file(const std::filesystem::path& file) {
  const auto name = file.filename().string();
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) {
    const auto code = ec == std::errc::no_such_file_or_directory ? errc::not_found : errc::internal;
    return fail(code, fmt::format("cannot read survey template {}", name), {},
                fmt::format("{}: {}", file.string(), ec.message()));
  }
  if (size > max_definition_file_bytes) {
    return fail(errc::too_large, fmt::format("survey template {} is larger than 1 MiB", name));
  }
  std::ifstream in(file, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    return fail(errc::internal, fmt::format("cannot read survey template {}", name), {},
                fmt::format("{}: {}", file.string(), std::strerror(errno)));
  }
  return parse_definition(text);
}

std::vector<std::string> format_problems(const std::filesystem::path& file, const error& err) {
  const auto name = file.filename().string();
  std::vector<std::string> lines;
  if (err.details.empty()) lines.push_back(fmt::format("{}: {}", name, err.message));
  for (const auto& d : err.details) {
    lines.push_back(d.path.empty() ? fmt::format("{}: {}", name, d.message)
                                   : fmt::format("{}: {}: {}", name, d.path, d.message));
  }
  return lines;
}

json to_json_document(const survey& s) {
  json out = json::object();
  out["id"] = s.id;
  out["version"] = s.version;
  out["default_locale"] = s.default_locale;
  out["locales"] = s.locales;
  out["title"] = to_json_text(s.title);
  if (s.description) out["description"] = to_json_text(*s.description);
  if (s.thank_you) out["thank_you"] = to_json_text(*s.thank_you);
  out["campaign"] = s.campaign;
  json& questions = out["questions"] = json::array();
  for (const auto& q : s.questions)
    questions.push_back(to_json_question(q));
  return out;
}

}  // namespace hrs::engine
