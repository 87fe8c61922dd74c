#include "packed_counts.hpp"

#include <mutex>

namespace hrs::engine {

std::uint32_t key_pool::id(std::string_view text) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = ids_.find(text); it != ids_.end()) return it->second;
  }
  std::unique_lock lock(mutex_);
  if (auto it = ids_.find(text); it != ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(texts_.size());
  texts_.emplace_back(text);
  ids_.emplace(texts_.back(), id);
  return id;
}

const std::string& key_pool::text(std::uint32_t id) const {
  std::shared_lock lock(mutex_);
  return texts_[id];
}

}  // namespace hrs::engine
