#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace hrs::server::web {

// One file of server/web/ compiled into the binary (see server/web/embed_files.cmake).
struct embedded_file {
  std::string_view name;  // its path under server/web/, e.g. "templates/layout.mustache"
  const unsigned char* data;
  std::size_t size;

  std::string_view text() const noexcept { return {reinterpret_cast<const char*>(data), size}; }
};

// Every embedded file, sorted by name. Defined in the generated embedded_web.cpp.
std::span<const embedded_file> embedded_files() noexcept;

// Returns the contents of the embedded file `name`, or nullopt when there is none.
std::optional<std::string_view> find_embedded(std::string_view name) noexcept;

// Returns the contents of an embedded file the server cannot work without; a missing
// one is a build mistake, so it throws std::logic_error.
std::string_view embedded(std::string_view name);

}  // namespace hrs::server::web
