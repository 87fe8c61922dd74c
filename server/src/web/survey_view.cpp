#include "survey_view.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "hrs/engine/locale.hpp"
#include "hrs/engine/text_rules.hpp"
#include "ui_text.hpp"

namespace hrs::server::web {

namespace {

using json = nlohmann::json;

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

class view_builder {
 public:
  view_builder(const engine::survey& s, const survey_form_input& in) : s_(s), in_(in) {}

  std::string text(const engine::localized_text& t) const {
    return engine::localize(t, in_.locale, s_.default_locale);
  }

  // The first value sent for a question, or "" on a new form.
  std::string sent(const engine::question& q) const {
    return in_.sent != nullptr ? in_.sent->value(q.id) : std::string{};
  }

  const std::string* error(const engine::question& q) const {
    if (in_.errors == nullptr) return nullptr;
    const auto it = in_.errors->by_question.find(q.id);
    return it == in_.errors->by_question.end() ? nullptr : &it->second;
  }

  json question(const engine::question& q) const {
    const auto* problem = error(q);
    std::string described_by;
    if (q.help) described_by = "h-" + q.id;
    if (problem != nullptr) described_by += (described_by.empty() ? "e-" : " e-") + q.id;
    json item = {{"id", q.id},
                 {"text", text(q.text)},
                 {"required", q.required},
                 {"has_help", q.help.has_value()},
                 {"help", q.help ? text(*q.help) : std::string{}},
                 {"has_error", problem != nullptr},
                 {"error", problem != nullptr ? *problem : std::string{}},
                 {"has_described_by", !described_by.empty()},
                 {"described_by", described_by},
                 {"is_rating", q.type == engine::question_type::rating},
                 {"is_choice", q.type == engine::question_type::choice},
                 {"is_text", q.type == engine::question_type::text},
                 {"is_staff", q.type == engine::question_type::staff}};
    switch (q.type) {
      case engine::question_type::rating:
        item["points"] = rating_points(q);
        break;
      case engine::question_type::choice:
        item["options"] = choice_options(q);
        break;
      case engine::question_type::text: {
        // What was typed comes back as it was, escaped by the template; bytes that are not
        // clean UTF-8 text are not shown again.
        auto value = sent(q);
        item["value"] = engine::is_clean_text(value) ? value : std::string{};
        item["max_length"] = q.max_length > 0 ? q.max_length : engine::default_text_max_length;
        break;
      }
      case engine::question_type::staff:
        add_staff_picker(q, item);
        break;
    }
    return item;
  }

 private:
  json rating_points(const engine::question& q) const {
    const auto chosen = sent(q);
    json points = json::array();
    for (int point = 1; point <= 5; ++point) {
      const auto label = q.labels.find(point);
      points.push_back({{"question_id", q.id},
                        {"question_required", q.required},
                        {"value", std::to_string(point)},
                        {"checked", chosen == std::to_string(point)},
                        {"has_label", label != q.labels.end()},
                        {"label", label != q.labels.end() ? text(label->second) : std::string{}}});
    }
    return points;
  }

  json choice_options(const engine::question& q) const {
    const auto chosen = sent(q);
    json options = json::array();
    for (const auto& o : q.options) {
      options.push_back({{"question_id", q.id},
                         {"question_required", q.required},
                         {"value", o.id},
                         {"label", text(o.label)},
                         {"checked", chosen == o.id}});
    }
    return options;
  }

  // Checkboxes grouped by team, teams and names sorted. A search shows the staff whose
  // name or id contains it (ASCII letters without regard to case), and always the ones
  // already chosen, so that searching never drops a choice.
  void add_staff_picker(const engine::question& q, json& item) const {
    std::set<std::string, std::less<>> chosen;
    if (in_.sent != nullptr) {
      for (auto& id : in_.sent->values(q.id))
        chosen.insert(std::move(id));
    }
    // Like typed text, a search that is not clean UTF-8 is neither used nor shown again.
    const auto search = engine::is_clean_text(in_.search) ? in_.search : std::string{};
    const auto needle = ascii_lower(search);
    std::map<std::string, std::vector<const engine::staff_member*>> teams;
    bool matched = false;
    if (in_.roster != nullptr) {
      for (const auto& member : *in_.roster) {
        const bool match = ascii_lower(member.name).find(needle) != std::string::npos ||
                           ascii_lower(member.id).find(needle) != std::string::npos;
        matched = matched || match;
        if (match || chosen.contains(member.id)) teams[member.team].push_back(&member);
      }
    }
    json groups = json::array();
    for (auto& [team, members] : teams) {
      std::ranges::sort(members, {}, &engine::staff_member::name);
      json listed = json::array();
      for (const auto* member : members) {
        listed.push_back({{"question_id", q.id},
                          {"staff_id", member->id},
                          {"name", member->name},
                          {"checked", chosen.contains(member->id)}});
      }
      groups.push_back({{"team", team}, {"members", std::move(listed)}});
    }
    item["teams"] = std::move(groups);
    item["search"] = search;
    item["search_action"] = in_.action + "#q-" + q.id;
    item["no_match"] = !needle.empty() && !matched;
  }

  const engine::survey& s_;
  const survey_form_input& in_;
};

}  // namespace

json survey_form_values(const engine::survey& s, const survey_form_input& in) {
  const view_builder view(s, in);
  json questions = json::array();
  json error_list = json::array();
  bool has_required = false;
  for (const auto& q : s.questions) {
    if (q.type == engine::question_type::staff && in.mode == form_mode::invitation) continue;
    has_required = has_required || q.required;
    if (const auto* problem = view.error(q))
      error_list.push_back(
          {{"question_id", q.id}, {"question_text", view.text(q.text)}, {"message", *problem}});
    questions.push_back(view.question(q));
  }
  std::string staff_names;
  for (const auto& name : in.staff_names) {
    if (!staff_names.empty()) staff_names += ui_string("list_separator", in.locale);
    staff_names += name;
  }
  json form_errors = json::array();
  if (in.errors != nullptr) form_errors = in.errors->general;
  return {{"survey_title", view.text(s.title)},
          {"has_description", s.description.has_value()},
          {"description", s.description ? view.text(*s.description) : std::string{}},
          {"has_staff_names", !staff_names.empty()},
          {"staff_names", staff_names},
          {"has_errors", !error_list.empty() || !form_errors.empty()},
          {"error_list", std::move(error_list)},
          {"form_errors", std::move(form_errors)},
          {"has_required", has_required},
          {"action", in.action},
          {"preview", in.preview},
          {"questions", std::move(questions)}};
}

}  // namespace hrs::server::web
