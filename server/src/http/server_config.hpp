#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

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
  // Per client address (IPv4, or IPv6 /64); 0: no cap of its own.
  std::size_t max_connections_per_address = 256;
  std::chrono::seconds read_timeout{10};  // to receive a whole request once it started
  std::chrono::seconds idle_timeout{30};  // between requests on a kept-alive connection
  std::chrono::seconds drain_timeout{10};
  // Requests per client address to the public survey endpoints; 0: unlimited.
  double rate_public_per_minute = 1200;
  double rate_public_burst = 1200;
  // Failed token checks (sign-in, bearer tokens) per client address; 0: unlimited.
  double rate_failed_logins_per_minute = 10;
  double rate_failed_logins_burst = 20;
  std::size_t rate_max_addresses = 65536;  // per limit; the least recent are forgotten
  // Proxies whose X-Forwarded-For names the client (IP addresses).
  std::vector<std::string> trusted_proxies;
  int comment_retention_days = 0;  // > 0: erase older comments at start and daily
  report_settings reports;
};

}  // namespace hrs::server
