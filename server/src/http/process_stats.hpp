#pragma once

#include <cstdint>
#include <optional>

namespace hrs::server {

// What Prometheus' process_* metrics show of this process, read from /proc/self and
// getrlimit/getrusage. A figure that cannot be read is nullopt (and left out).
struct process_stats {
  std::optional<double> resident_bytes;
  std::optional<double> open_fds;
  std::optional<double> max_fds;  // the soft RLIMIT_NOFILE
  std::optional<double> cpu_seconds;
  // The C library's heap (glibc's mallinfo2): bytes allocated and not freed, and bytes
  // freed but kept in its arenas. RSS holds both; a leak grows the first.
  std::optional<double> heap_in_use_bytes;
  std::optional<double> heap_free_bytes;
};

// Reads the figures now. Any thread.
process_stats read_process_stats();

}  // namespace hrs::server
