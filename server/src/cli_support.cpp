#include "cli_support.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "hrs/engine/surveys.hpp"

namespace hrs::server {

int report_error(const engine::error& err) {
  fmt::print(stderr, "hrsurvey: {}\n", err.message);
  for (const auto& d : err.details)
    fmt::print(stderr, "  {}: {}\n", d.path.empty() ? "(document)" : d.path, d.message);
  if (!err.log.empty()) fmt::print(stderr, "  cause: {}\n", err.log);
  return 1;
}

std::unique_ptr<engine::store> open_store(const store_args& args, bool sync_templates,
                                          engine::store_options options) {
  options.file = args.db;
  auto opened = engine::store::open(std::move(options));
  if (!opened) {
    report_error(opened.error());
    return nullptr;
  }
  if (sync_templates) {
    const auto sync = engine::sync_definitions(
        **opened, args.defs, engine::command_line_actor(fmt::format("--defs {}", args.defs)));
    if (!sync.ok) {
      for (const auto& line : sync.lines)
        fmt::print(stderr, "{}\n", line);
      fmt::print(stderr, "hrsurvey: the templates in {} have problems; fix them and run again\n",
                 args.defs);
      return nullptr;
    }
  }
  return std::move(*opened);
}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace hrs::server
