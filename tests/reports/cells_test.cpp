// The cells a report shows: which of a group to hide so that no figure rests on fewer
// than k responses, not even by subtracting the shown cells from a total shown elsewhere,
// and what a cell holds once it is hidden.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "hrs/reports/cells.hpp"
#include "hrs/reports/json.hpp"

namespace {

namespace rep = hrs::reports;
using hrs::engine::histogram;
using counts = std::vector<std::int64_t>;
using flags = std::vector<bool>;

// The responses in the hidden cells, plus those in no cell.
std::int64_t hidden_total(const counts& n, const flags& hidden, std::int64_t unshown = 0) {
  std::int64_t total = unshown;
  for (std::size_t i = 0; i < n.size(); ++i)
    if (hidden[i]) total += n[i];
  return total;
}

// A cell with no figure at all: what a suppressed cell must be, whatever it was built
// from.
void check_holds_no_figure(const rep::dimension_cell& cell) {
  CHECK(cell.suppressed);
  CHECK(cell.figures.n == 0);
  CHECK(cell.figures.mean == 0);
  CHECK(cell.figures.sd == 0);
  CHECK(!cell.figures.ci95.has_value());
  CHECK(cell.figures.csat == 0);
  CHECK(!cell.figures.csat_ci95.has_value());
  CHECK(cell.figures.counts == histogram{});
  CHECK(cell.shrunk_mean == 0);
  CHECK(cell.vs_standard == rep::standing::meets);
}

}  // namespace

TEST_CASE("cells_to_hide hides nothing when every cell reaches the threshold", "[reports][cells]") {
  CHECK(rep::cells_to_hide({5, 7, 12}, 5) == flags{false, false, false});
  CHECK(rep::cells_to_hide({5}, 5) == flags{false});
  CHECK(rep::cells_to_hide({3, 3}, 3) == flags{false, false});
}

TEST_CASE("cells_to_hide of no cells is empty", "[reports][cells]") {
  CHECK(rep::cells_to_hide({}, 5).empty());
  CHECK(rep::cells_to_hide({}, 5, 3).empty());  // nothing left to hide
}

TEST_CASE("cells with no responses are hidden but give nothing away", "[reports][cells]") {
  // Hiding empty cells hides no response: the total minus the shown cells is 0, which
  // reveals nobody, so the shown cells stay shown.
  CHECK(rep::cells_to_hide({0, 0, 8, 9}, 5) == flags{true, true, false, false});
  CHECK(rep::cells_to_hide({0}, 5) == flags{true});
}

TEST_CASE("one small cell forces the smallest shown cell hidden", "[reports][cells]") {
  // 2 alone would be the total minus 9 + 6 + 7: the 6 goes too, leaving 8 hidden.
  CHECK(rep::cells_to_hide({2, 9, 6, 7}, 5) == flags{true, false, true, false});
  // A cell of exactly the threshold is hidden when it is the smallest shown.
  CHECK(rep::cells_to_hide({5, 1, 9}, 5) == flags{true, true, false});
  // Several small cells together still fewer than the threshold: the smallest shown goes.
  CHECK(rep::cells_to_hide({1, 1, 1, 20, 30}, 5) == flags{true, true, true, true, false});
  CHECK(rep::cells_to_hide({1, 2, 1}, 5) == flags{true, true, true});  // nothing left to show
  const auto ties = rep::cells_to_hide({2, 6, 6}, 5);
  CHECK(ties[0]);
  CHECK(ties[1] != ties[2]);  // one of the two sixes, not both
}

TEST_CASE("hiding stops once the hidden cells hold the threshold", "[reports][cells]") {
  // 3 + 4 hidden: 7 responses, no single small cell can be recovered.
  CHECK(rep::cells_to_hide({3, 4, 10, 11}, 5) == flags{true, true, false, false});
  // Exactly the threshold hidden is enough.
  CHECK(rep::cells_to_hide({1, 1, 1, 1, 1, 20, 30}, 5) ==
        flags{true, true, true, true, true, false, false});
  CHECK(rep::cells_to_hide({2, 3, 6}, 5) == flags{true, true, false});
}

TEST_CASE("responses in no cell of the group count as hidden", "[reports][cells]") {
  // 2 responses of the total belong to no cell (e.g. staff off the roster): showing both
  // cells would give those 2 away, so the smaller cell is hidden with them.
  CHECK(rep::cells_to_hide({6, 8}, 5, 2) == flags{true, false});
  CHECK(rep::cells_to_hide({6}, 5, 2) == flags{true});
  // Enough unshown responses hide nothing more.
  CHECK(rep::cells_to_hide({6, 8}, 5, 5) == flags{false, false});
  CHECK(rep::cells_to_hide({6, 8}, 5, 0) == flags{false, false});
  // A small cell plus unshown responses reaching the threshold is enough.
  CHECK(rep::cells_to_hide({2, 6, 8}, 5, 3) == flags{true, false, false});
  CHECK(rep::cells_to_hide({2, 6, 8}, 5, 2) == flags{true, true, false});
}

TEST_CASE("no group of hidden cells can be recovered by subtraction", "[reports][cells]") {
  // For random groups: every cell under the threshold is hidden, and the hidden cells
  // with the unshown responses hold none, or at least the threshold, or everything is
  // hidden. And nothing is hidden without need: a shown cell is never smaller than one
  // hidden only to protect others.
  std::mt19937 random(20260101);
  const int threshold = GENERATE(3, 5, 10);
  for (int round = 0; round < 2000; ++round) {
    counts n(std::uniform_int_distribution<std::size_t>(0, 8)(random));
    for (auto& c : n)
      c = std::uniform_int_distribution<std::int64_t>(0, 3 * threshold)(random);
    const std::int64_t unshown =
        round % 3 == 0 ? std::uniform_int_distribution<std::int64_t>(0, threshold)(random) : 0;
    const auto hidden = rep::cells_to_hide(n, threshold, unshown);
    CAPTURE(threshold, n, unshown, hidden);
    REQUIRE(hidden.size() == n.size());
    bool all_hidden = true;
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (n[i] < threshold) CHECK(hidden[i]);
      all_hidden = all_hidden && hidden[i];
    }
    const auto total = hidden_total(n, hidden, unshown);
    CHECK((total == 0 || total >= threshold || all_hidden));
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (hidden[i] || n[i] < threshold) continue;
      for (std::size_t j = 0; j < n.size(); ++j)
        if (hidden[j] && n[j] >= threshold) CHECK(n[i] >= n[j]);
    }
  }
}

TEST_CASE("make_cell shows the figures of a cell that reaches the threshold", "[reports][cells]") {
  rep::report_query query;
  query.statistics.standard_by_dimension.insert_or_assign("expectations", 3.0);
  // Ratings 3, 4, 4, 5, 5: mean 4.2.
  const histogram counts{0, 0, 1, 2, 2};
  const auto cell = rep::make_cell(counts, "courtesy", 3.0, query);
  REQUIRE(!cell.suppressed);
  CHECK(cell.figures.n == 5);
  CHECK(cell.figures.mean == Approx(4.2));
  CHECK(cell.figures.counts == counts);
  CHECK(cell.figures.csat == Approx(0.8));
  REQUIRE(cell.figures.ci95.has_value());
  CHECK(cell.standard == 4.0);
  CHECK(cell.vs_standard == rep::standing::meets);
  CHECK(cell.shrunk_mean == Approx((5 * 4.2 + 10 * 3.0) / 15));

  const auto expectations = rep::make_cell(counts, "expectations", 3.0, query);
  CHECK(expectations.standard == 3.0);
  CHECK(expectations.vs_standard == rep::standing::above);  // ci95 low 3.16 > 3

  const auto json = rep::cell_json(cell, query.threshold());
  CHECK(json["suppressed"] == false);
  CHECK(json["n"] == 5);
  CHECK(json["histogram"] == nlohmann::json{0, 0, 1, 2, 2});
}

TEST_CASE("a suppressed cell holds no figure", "[reports][cells]") {
  rep::report_query query;
  SECTION("fewer responses than the threshold") {
    const auto cell = rep::make_cell({0, 0, 1, 2, 1}, "courtesy", 3.0, query);
    check_holds_no_figure(cell);
    CHECK(cell.standard == 4.0);  // the setting, not a figure of the responses
  }
  SECTION("hidden to protect another cell, whatever its n") {
    check_holds_no_figure(rep::make_cell({10, 20, 30, 40, 50}, "courtesy", 3.0, query, true));
  }
  SECTION("no responses at all") {
    check_holds_no_figure(rep::make_cell({}, "courtesy", 3.0, query));
  }
  SECTION("its JSON is the fact that there are fewer, and nothing else") {
    const auto cell = rep::make_cell({0, 0, 0, 2, 2}, "courtesy", 3.0, query);
    CHECK(rep::cell_json(cell, query.threshold()) ==
          nlohmann::json{{"suppressed", true}, {"fewer_than", 5}});
  }
}

TEST_CASE("the anonymity threshold is never below 3", "[reports][cells]") {
  rep::report_query query;
  CHECK(query.threshold() == 5);  // the default
  const auto configured = GENERATE(-10, 0, 1, 2, 3);
  query.anonymity_threshold = configured;
  CAPTURE(configured);
  CHECK(query.threshold() == 3);
  check_holds_no_figure(rep::make_cell({0, 0, 0, 1, 1}, "courtesy", 4.0, query));
  const auto three = rep::make_cell({0, 0, 1, 1, 1}, "courtesy", 4.0, query);
  CHECK(!three.suppressed);
  CHECK(three.figures.n == 3);
}

TEST_CASE("a threshold above the default hides more", "[reports][cells]") {
  rep::report_query query;
  query.anonymity_threshold = 7;
  CHECK(query.threshold() == 7);
  check_holds_no_figure(rep::make_cell({0, 0, 2, 2, 2}, "courtesy", 4.0, query));
  CHECK(!rep::make_cell({0, 0, 2, 2, 3}, "courtesy", 4.0, query).suppressed);
  CHECK(
      rep::cell_json(rep::make_cell({0, 0, 2, 2, 2}, "courtesy", 4.0, query), query.threshold()) ==
      nlohmann::json{{"suppressed", true}, {"fewer_than", 7}});
}
