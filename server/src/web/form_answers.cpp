#include "form_answers.hpp"

#include <charconv>
#include <cstdint>

#include "hrs/engine/answers.hpp"
#include "hrs/engine/text_rules.hpp"
#include "ui_text.hpp"

namespace hrs::server::web {

namespace {

using json = nlohmann::json;

// "5" -> 5; anything else that is not exactly an integer stays the string it was.
json rating_value(const std::string& text) {
  std::int64_t number = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, number);
  if (ec == std::errc{} && stop == end) return number;
  return text;
}

std::string without_cr_before_lf(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string with_max(std::string text, std::size_t max) {
  constexpr std::string_view slot = "{max}";
  if (const auto at = text.find(slot); at != std::string::npos)
    text.replace(at, slot.size(), std::to_string(max));
  return text;
}

std::string message_for(const engine::question& q, const json* sent, std::string_view locale) {
  const auto ui = [&](std::string_view key) { return ui_string(key, locale); };
  if (sent == nullptr) return ui("error_required");
  switch (q.type) {
    case engine::question_type::rating:
      return ui("error_rating");
    case engine::question_type::choice:
      return ui("error_choice");
    case engine::question_type::text: {
      if (!sent->is_string()) return ui("error_text");
      const auto& text = sent->get_ref<const std::string&>();
      if (is_blank(text)) return ui("error_required");
      const auto limit = static_cast<std::size_t>(
          q.max_length > 0 ? q.max_length : engine::default_text_max_length);
      const auto length = engine::utf8_length(text);
      if (length && *length > limit) return with_max(ui("error_too_long"), limit);
      return ui("error_text");
    }
    case engine::question_type::staff:
      if (sent->is_array() && sent->size() > engine::max_staff_per_response)
        return with_max(ui("error_staff_too_many"), engine::max_staff_per_response);
      return ui("error_staff");
  }
  return ui("error_form");
}

}  // namespace

json answers_from_form(const engine::survey& s, const form_fields& form, form_mode mode) {
  json answers = json::object();
  for (const auto& q : s.questions) {
    auto values = form.values(q.id);
    if (q.type == engine::question_type::staff) {
      if (mode == form_mode::invitation) continue;
      json ids = json::array();
      for (auto& id : values) {
        if (!id.empty()) ids.push_back(std::move(id));
      }
      if (!ids.empty()) answers[q.id] = std::move(ids);
      continue;
    }
    std::erase_if(values, [](const std::string& v) { return v.empty(); });
    if (values.empty()) continue;
    if (values.size() > 1) {
      answers[q.id] = values;
      continue;
    }
    switch (q.type) {
      case engine::question_type::rating:
        answers[q.id] = rating_value(values.front());
        break;
      case engine::question_type::text:
        answers[q.id] = without_cr_before_lf(std::move(values.front()));
        break;
      case engine::question_type::choice:
      case engine::question_type::staff:
        answers[q.id] = std::move(values.front());
        break;
    }
  }
  return answers;
}

form_errors explain_errors(const engine::survey& s, const json& answers, const engine::error& err,
                           std::string_view locale) {
  constexpr std::string_view prefix = "/answers/";
  form_errors out;
  for (const auto& d : err.details) {
    const engine::question* q = nullptr;
    if (d.path.starts_with(prefix)) q = s.find(std::string_view(d.path).substr(prefix.size()));
    if (q == nullptr) {
      if (out.general.empty()) out.general.push_back(ui_string("error_form", locale));
      continue;
    }
    const auto it = answers.find(q->id);
    out.by_question.emplace(q->id, message_for(*q, it == answers.end() ? nullptr : &*it, locale));
  }
  if (out.empty()) out.general.push_back(ui_string("error_form", locale));
  return out;
}

}  // namespace hrs::server::web
