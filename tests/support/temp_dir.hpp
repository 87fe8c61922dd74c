#pragma once

#include <filesystem>

namespace hrs::testing {

// A fresh directory under the system temp dir, removed with everything in it when the
// object goes out of scope.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Returns the path of a file in the source tree, e.g. source_path("survey_defs").
std::filesystem::path source_path(const std::filesystem::path& relative);

}  // namespace hrs::testing
