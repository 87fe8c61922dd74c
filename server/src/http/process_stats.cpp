#include "process_stats.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace hrs::server {

process_stats read_process_stats() {
  process_stats out;
  // statm: size, then resident, in pages.
  if (std::ifstream statm("/proc/self/statm"); statm) {
    std::uint64_t size = 0, resident = 0;
    if (statm >> size >> resident)
      out.resident_bytes =
          static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
  }
  std::error_code ec;
  std::uint64_t fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec))
    ++fds;
  // The descriptor that reads the listing is among them; it is not the server's.
  if (!ec) out.open_fds = static_cast<double>(fds > 0 ? fds - 1 : 0);
  if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    out.max_fds = static_cast<double>(limit.rlim_cur);
  if (rusage usage{}; getrusage(RUSAGE_SELF, &usage) == 0) {
    const auto seconds = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    out.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  // Walks every arena under its lock: fine at the pace of scrapes.
  const auto heap = mallinfo2();
  out.heap_in_use_bytes = static_cast<double>(heap.uordblks + heap.hblkhd);
  out.heap_free_bytes = static_cast<double>(heap.fordblks);
  return out;
}

}  // namespace hrs::server
