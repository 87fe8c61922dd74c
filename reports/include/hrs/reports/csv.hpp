#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/reports/scorecards.hpp"

namespace hrs::reports {

// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF; a leading =, +, -
// or @ gets a ' so that spreadsheets do not run it as a formula.
std::string csv_field(std::string_view value);

// Receives the CSV text piece by piece.
using csv_sink = std::function<void(std::string_view)>;

// The scorecards as RFC 4180 CSV (UTF-8, CRLF, header row), one row per staff and
// dimension, handed to `sink` in pieces of about `chunk` bytes, so that the memory it
// takes does not grow with the rows. Suppressed cells leave every figure empty and say
// why in the note.
void write_scorecards_csv(const std::vector<staff_scorecard>& cards, int threshold,
                          const csv_sink& sink, std::size_t chunk = 16 * 1024);

}  // namespace hrs::reports
