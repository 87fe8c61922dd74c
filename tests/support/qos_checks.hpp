#pragma once

// Checks shared by the quality-of-service tests. What a store must show after a crash,
// or as a backup copy, whatever moment it was taken at: reports that equal a recount of
// the responses it holds. The recount reads the stored answers with SQLite's JSON
// functions, sharing no code with the engine's aggregates. And how a server must end.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "server_process.hpp"

namespace hrs::testing {

// The rating dimensions of the shipped hr-service template.
inline constexpr std::array<std::string_view, 4> service_dimensions{"courtesy", "timeliness",
                                                                    "quality", "expectations"};

// The counts of 1s..5s of `dimension` over every response stored in `db`.
std::array<std::int64_t, 5> recount_histogram(const std::filesystem::path& db,
                                              std::string_view dimension);

// Checks with Catch that GET /api/v1/reports/overview (its default period, which holds
// today) shows for every dimension the histogram recounted from `db`, and as many
// answered invitations as `db` marks answered. `db` is the file the server behind
// `client` serves, and nothing writes to it meanwhile.
void check_reports_equal_recount(http_client& client, const std::string& lead_token,
                                 const std::filesystem::path& db);

// Checks with Catch that SIGTERM ends `server` with exit code 0, showing its log when it
// does not. Under ThreadSanitizer a server that reported a race exits otherwise, so this
// is also where a race in the server fails the test.
void check_clean_exit(server_process& server);

}  // namespace hrs::testing
