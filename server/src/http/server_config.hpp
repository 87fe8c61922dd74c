#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "../report_settings.hpp"

namespace hrs::server {

// Everything `hrsurvey serve` can be told; flags, HRSURVEY_* variables and the config
// file set the same fields (docs/OPERATIONS.md lists them).
struct server_config {
  std::string listen = "127.0.0.1:8080";
  std::string db = "hrsurvey.db";
  std::string defs = "survey_defs";
  std::string base_url;  // empty: http://<listen>
  unsigned threads = 0;  // I/O threads; 0: one per core
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_target_bytes = 2048;
  std::size_t max_connections = 1024;
  std::chrono::seconds read_timeout{10};  // to receive a whole request once it started
  std::chrono::seconds idle_timeout{30};  // between requests on a kept-alive connection
  std::chrono::seconds drain_timeout{10};
  int comment_retention_days = 0;  // > 0: erase older comments at start and daily
  report_settings reports;
};

}  // namespace hrs::server
