#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "form_answers.hpp"
#include "form_body.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/survey.hpp"

namespace hrs::server::web {

// Everything the survey form shows besides the template itself.
struct survey_form_input {
  form_mode mode = form_mode::invitation;
  std::string locale;  // one of the survey's locales
  // Where the form posts, relative to the page ("?lang=it"): the same path, so that
  // the invitation token never has to be written into the page again.
  std::string action;
  const form_fields* sent = nullptr;     // the answers to show again; nullptr: a new form
  const form_errors* errors = nullptr;   // nullptr: none
  std::vector<std::string> staff_names;  // invitation mode: who handled the request
  const std::vector<engine::staff_member>* roster = nullptr;  // campaign mode: the picker
  std::string search;    // campaign mode: show only staff whose name contains this
  bool preview = false;  // an admin's preview: a note, and the submit button disabled
};

// The values of templates/survey_form.mustache: the survey's texts in `locale`, each
// question with its kept answer and its error, the staff picker grouped by team.
nlohmann::json survey_form_values(const engine::survey& s, const survey_form_input& in);

}  // namespace hrs::server::web
