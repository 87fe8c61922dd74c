#include "qos_checks.hpp"

#include <catch2/catch.hpp>

#include <numeric>

namespace hrs::testing {

std::array<std::int64_t, 5> recount_histogram(const std::filesystem::path& db,
                                              std::string_view dimension) {
  std::array<std::int64_t, 5> counts{};
  for (int rating = 1; rating <= 5; ++rating)
    counts[static_cast<std::size_t>(rating - 1)] =
        query_integers(db, "SELECT count(*) FROM responses WHERE json_extract(answers, '$." +
                               std::string(dimension) + "') = " + std::to_string(rating))
            .at(0);
  return counts;
}

void check_reports_equal_recount(http_client& client, const std::string& lead_token,
                                 const std::filesystem::path& db) {
  const auto reply = client.get("/api/v1/reports/overview", lead_token);
  REQUIRE(reply.status == 200);
  const auto overview = reply.json();
  const int threshold = overview["anonymity_threshold"].get<int>();
  for (const auto dimension : service_dimensions) {
    INFO("dimension " << dimension);
    const auto expected = recount_histogram(db, dimension);
    const auto n = std::accumulate(expected.begin(), expected.end(), std::int64_t{0});
    const auto& cell = overview["dimensions"][std::string(dimension)];
    CAPTURE(cell.dump());
    if (n < threshold) {
      CHECK(cell["suppressed"] == true);
      continue;
    }
    CHECK(cell["n"] == n);
    CHECK(cell["histogram"] == nlohmann::json(expected));
  }
  CHECK(overview["response_rate"]["answered"] == hrs::testing::count_answered_marks(db));
}

void check_clean_exit(server_process& server) {
  const int code = server.terminate();
  INFO((code == 0 ? std::string() : "the server's log:\n" + server.log()));
  CHECK(code == 0);
}

}  // namespace hrs::testing
