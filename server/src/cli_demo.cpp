#include <fmt/format.h>

#include <chrono>

#include "cli_commands.hpp"
#include "hrs/engine/access_tokens.hpp"
#include "hrs/engine/demo.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/store.hpp"

namespace hrs::server {

int demo_create(const store_args& store, const demo_args& args) {
  auto s = open_store(store, true);
  if (!s) return 1;
  const auto started = std::chrono::steady_clock::now();
  engine::demo_options options{args.responses, args.seed, 365, {}};
  if (stderr_is_terminal()) {
    options.progress = [](std::size_t done, std::size_t total) {
      fmt::print(stderr, "\rsimulating responses: {} / {}", done, total);
      if (done == total) fmt::print(stderr, "\n");
    };
  }
  auto summary = engine::generate_demo(*s, options);
  if (!summary) return report_error(summary.error());
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const auto by = engine::command_line_actor("demo");
  auto admin =
      engine::create_access_token(*s, {engine::role::admin, std::nullopt, "demo admin"}, by);
  auto lead = engine::create_access_token(*s, {engine::role::lead, std::nullopt, "demo lead"}, by);
  auto integration = engine::create_access_token(
      *s, {engine::role::integration, std::nullopt, "demo integration"}, by);
  if (!admin || !lead || !integration)
    return report_error(!admin ? admin.error() : !lead ? lead.error() : integration.error());
  auto english = engine::create_invitation(*s, {"hr-service", {"s-101"}, "en", "DEMO-1", 30});
  auto italian =
      engine::create_invitation(*s, {"hr-service", {"s-109", "s-110"}, "it", "DEMO-2", 30});
  if (!english || !italian) return report_error(!english ? english.error() : italian.error());

  fmt::print("demo store {}: {} staff in 5 teams, {} responses over the last year ({:.1f} s)\n",
             store.db, summary->staff, summary->responses, seconds);
  fmt::print("tokens (shown once):\n  admin        {}\n  lead         {}\n  integration  {}\n",
             *admin->token, *lead->token, *integration->token);
  fmt::print(
      "open invitations:\n  {}/s/{}  (English, Giulia Romano)\n  {}/s/{}  (Italian, Marco Bianchi "
      "and Ioana Dumitrescu)\n",
      args.base_url, *english->token, args.base_url, *italian->token);
  return 0;
}

}  // namespace hrs::server
