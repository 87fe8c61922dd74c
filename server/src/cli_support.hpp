#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "hrs/engine/error.hpp"
#include "hrs/engine/store.hpp"

namespace hrs::server {

// Options most subcommands share.
struct store_args {
  std::string db = "hrsurvey.db";
  std::string defs = "survey_defs";
};

// Prints an error and its details to stderr; returns the exit code for it (1).
int report_error(const engine::error& err);

// Opens the store; with `sync_templates`, also registers the templates in `defs` and
// prints their problems. Returns nullptr after printing why when it cannot.
std::unique_ptr<engine::store> open_store(const store_args& args, bool sync_templates,
                                          engine::store_options options = {});

// True when stderr is a terminal, for progress lines that would clutter logs.
bool stderr_is_terminal();

}  // namespace hrs::server
