// Prepares a store for the HTTP ingest benchmark (bench/ingest/run.sh): the shipped
// templates, the demo roster and N fresh invitations, whose tokens are written one per
// line. Many creations are outstanding at once so that the store's group commit puts
// many of them in each transaction (one commit per invitation would take minutes).

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <semaphore>
#include <thread>
#include <vector>

#include "hrs/engine/demo.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"

namespace fs = std::filesystem;
using namespace hrs::engine;

int main(int argc, char** argv) {
  CLI::App app{"creates a benchmark store with N invitations and writes their tokens"};
  std::string db, tokens_file, defs = fs::path(HRS_SOURCE_DIR) / "survey_defs";
  std::size_t n = 1'000'000;
  unsigned in_flight = 4096;
  app.add_option("--db", db, "store file to create (must not exist)")->required();
  app.add_option("--defs", defs, "folder of survey templates")->capture_default_str();
  app.add_option("--count", n, "invitations to create")->capture_default_str();
  app.add_option("--tokens", tokens_file, "file for the tokens, one per line")->required();
  app.add_option("--in-flight", in_flight, "create_invitation calls outstanding at once")
      ->check(CLI::Range(1u, 65536u))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (fs::exists(db)) {
    fmt::print(stderr, "{} exists; the benchmark wants a fresh store\n", db);
    return 1;
  }

  auto opened = store::open(store_options{.file = db});
  if (!opened) {
    fmt::print(stderr, "open {}: {} {}\n", db, opened.error().message, opened.error().log);
    return 1;
  }
  auto& s = **opened;
  if (!sync_definitions(s, defs, command_line_actor("make_invitations")).ok) {
    fmt::print(stderr, "loading the templates from {} failed\n", defs);
    return 1;
  }
  const auto roster = demo_roster();
  if (auto imported = import_staff(s, roster, command_line_actor("make_invitations")); !imported) {
    fmt::print(stderr, "importing the demo roster failed: {}\n", imported.error().message);
    return 1;
  }

  // Two driver threads (the cores) keep up to --in-flight creations outstanding through
  // the completion API, so the writer sees large groups without hundreds of blocked
  // threads.
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> tokens(n);
  std::atomic<std::size_t> next{0}, failures{0};
  {
    const unsigned drivers = std::min(2u, in_flight);
    std::vector<std::jthread> threads;
    for (unsigned t = 0; t < drivers; ++t) {
      threads.emplace_back([&, t] {
        const unsigned window = in_flight / drivers + (t < in_flight % drivers ? 1 : 0);
        std::counting_semaphore<1 << 16> slots(window);
        for (std::size_t i; (i = next++) < n;) {
          slots.acquire();
          create_invitation(s,
                            {"hr-service", {roster[i % roster.size()].id}, "en", std::nullopt, 30},
                            [&, i](result<invitation> inv) {
                              if (inv && inv->token) {
                                tokens[i] = std::move(*inv->token);
                              } else if (failures++ == 0) {
                                fmt::print(stderr, "create_invitation: {}\n",
                                           inv ? "no token" : inv.error().message);
                              }
                              slots.release();
                            });
        }
        for (unsigned k = 0; k < window; ++k)
          slots.acquire();
      });
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failures > 0) {
    fmt::print(stderr, "{} of {} invitations failed\n", failures.load(), n);
    return 1;
  }
  std::ofstream out(tokens_file, std::ios::binary | std::ios::trunc);
  for (const auto& token : tokens)
    out << token << '\n';
  out.close();
  if (!out) {
    fmt::print(stderr, "writing {} failed\n", tokens_file);
    return 1;
  }
  const auto stats = s.stats();
  s.close();
  fmt::print(stderr, "{} invitations in {:.1f} s ({:.0f}/s, {} groups, mean {:.1f} writes)\n", n,
             seconds, static_cast<double>(n) / seconds, stats.groups,
             static_cast<double>(stats.writes) /
                 static_cast<double>(std::max<std::uint64_t>(stats.groups, 1)));
  return 0;
}
