#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>

#include "hrs/engine/error.hpp"
#include "hrs/engine/survey.hpp"
#include "reader_pool.hpp"

namespace hrs::engine {

// The template versions of the store, parsed once and shared. Thread-safe.
class survey_catalog {
 public:
  explicit survey_catalog(reader_pool& readers) : readers_(readers) {}

  // Returns the version, loading it from the store on first use; nullptr if unknown.
  // A caller that already holds a connection passes it: taking a second one from the
  // pool while holding one could wait forever once every connection is held so.
  [[nodiscard]] result<std::shared_ptr<const survey>> find(std::string_view id, int version,
                                                           sql::connection* db = nullptr) const;
  // Returns the highest version of a template; nullptr if unknown.
  [[nodiscard]] result<std::shared_ptr<const survey>> active(std::string_view id) const;
  // Puts a version just committed by this process into the cache.
  void remember(std::shared_ptr<const survey> s);

 private:
  reader_pool& readers_;
  mutable std::shared_mutex mutex_;
  mutable std::map<std::pair<std::string, int>, std::shared_ptr<const survey>, std::less<>> cache_;
};

}  // namespace hrs::engine
