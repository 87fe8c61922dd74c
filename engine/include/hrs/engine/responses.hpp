#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrs/engine/completion.hpp"
#include "hrs/engine/error.hpp"
#include "hrs/engine/time.hpp"

namespace hrs::engine {

class store;

struct response_request {
  std::string token;   // the invitation's token
  std::string locale;  // the language answered in; empty: the invitation's
  nlohmann::json answers;
};

struct campaign_response_request {
  std::string survey;  // a template with "campaign": true
  std::string locale;
  nlohmann::json answers;  // the staff question names the staff
};

struct stored_response {
  std::int64_t id = 0;
  unix_seconds received_at = 0;
};

// Validates the answers against the invitation's template version and stores them with
// the invitation's answered mark in one transaction. `done` runs after the commit.
// Errors: not_found (unknown token), gone (expired), conflict (already answered, also
// when several submits race), validation_failed (details at /answers/<question>, /locale).
void submit_response(store& s, response_request request, completion<stored_response> done);
[[nodiscard]] result<stored_response> submit_response(store& s, response_request request);

// Campaign mode: no invitation. Errors: not_found (unknown template, or one that is not
// open for campaigns), validation_failed.
void submit_campaign_response(store& s, campaign_response_request request,
                              completion<stored_response> done);
[[nodiscard]] result<stored_response> submit_campaign_response(store& s,
                                                               campaign_response_request request);

// A response with its time given, for importing history and the demo generator.
struct historical_response {
  std::string survey;
  int version = 0;
  unix_seconds received_at = 0;
  std::string locale;
  std::vector<std::string> staff;
  nlohmann::json answers;  // already valid for that version
};

// Stores a batch in one transaction after validating each against its template.
[[nodiscard]] result<std::size_t> import_responses(store& s,
                                                   std::vector<historical_response> batch);

}  // namespace hrs::engine
