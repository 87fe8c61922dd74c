#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "hrs/engine/error.hpp"
#include "sqlite.hpp"

namespace hrs::engine {

class reader_pool;

// A read-only connection borrowed from the pool; returned when destroyed.
class reader_lease {
 public:
  reader_lease(reader_pool& pool, std::unique_ptr<sql::connection> conn) noexcept
      : pool_(&pool), conn_(std::move(conn)) {}
  reader_lease(reader_lease&&) noexcept = default;
  reader_lease& operator=(reader_lease&&) = delete;
  ~reader_lease();
  sql::connection& db() noexcept { return *conn_; }

 private:
  reader_pool* pool_;
  std::unique_ptr<sql::connection> conn_;
};

// Read-only connections opened on demand up to a limit; borrowers beyond it wait.
class reader_pool {
 public:
  reader_pool(std::filesystem::path file, std::size_t limit)
      : file_(std::move(file)), limit_(limit) {}
  [[nodiscard]] result<reader_lease> acquire();
  // The sum of the page caches of the connections opened, each as of when it was last
  // given back (a borrowed connection is not SQLite-mutexed: only its borrower may ask).
  std::uint64_t cache_bytes() const;

 private:
  friend class reader_lease;
  void give_back(std::unique_ptr<sql::connection> conn);

  std::filesystem::path file_;
  std::size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<sql::connection>> idle_;
  std::size_t opened_ = 0;
  std::unordered_map<const sql::connection*, std::uint64_t> cache_bytes_;
};

}  // namespace hrs::engine
