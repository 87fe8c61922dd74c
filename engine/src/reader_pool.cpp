#include "reader_pool.hpp"

namespace hrs::engine {

reader_lease::~reader_lease() {
  if (conn_) pool_->give_back(std::move(conn_));
}

result<reader_lease> reader_pool::acquire() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || opened_ < limit_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return reader_lease(*this, std::move(conn));
  }
  ++opened_;
  lock.unlock();
  auto conn = sql::connection::open(file_, sql::access::read_only);
  if (!conn) {
    std::lock_guard relock(mutex_);
    --opened_;
    returned_.notify_one();
    return std::unexpected(conn.error());
  }
  return reader_lease(*this, std::move(*conn));
}

void reader_pool::give_back(std::unique_ptr<sql::connection> conn) {
  const auto cached = conn->cache_bytes();
  {
    std::lock_guard lock(mutex_);
    cache_bytes_[conn.get()] = cached;
    idle_.push_back(std::move(conn));
  }
  returned_.notify_one();
}

std::uint64_t reader_pool::cache_bytes() const {
  std::lock_guard lock(mutex_);
  std::uint64_t sum = 0;
  for (const auto& [conn, bytes] : cache_bytes_)
    sum += bytes;
  return sum;
}

}  // namespace hrs::engine
