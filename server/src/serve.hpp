#pragma once

#include "http/server_config.hpp"

namespace hrs::server {

// Runs `hrsurvey serve` until SIGTERM or SIGINT, then drains; returns the exit code.
int serve(const server_config& config);

}  // namespace hrs::server
