#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/error.hpp"
#include "hrs/engine/time.hpp"

namespace hrs::engine {

class store;

// A text answer that named a staff member, e.g. a comment.
struct written_answer {
  std::int64_t response_id = 0;
  unix_seconds received_at = 0;
  std::string question;
  std::string locale;
  std::string text;
  // The mean of the response's ratings that count on scorecards (its dimensions); absent
  // when it rated none. For picking praise; not to be shown beside the text.
  std::optional<double> rating_mean;
};

struct written_answers_query {
  std::string staff;
  day_number from = 0;  // inclusive
  day_number to = 0;    // inclusive
  std::size_t limit = 50;
  std::size_t offset = 0;
  std::optional<std::string> survey;  // only answers to this template
};

// The text answers naming a staff member in a period, newest first, one page. Reads
// only that staff member's texts, never the responses. Callers apply the anonymity
// rules: this returns whatever is stored.
[[nodiscard]] result<std::vector<written_answer>> list_written_answers(
    store& s, const written_answers_query& query);

}  // namespace hrs::engine
