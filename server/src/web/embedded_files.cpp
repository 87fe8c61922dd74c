#include "embedded_files.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hrs::server::web {

std::optional<std::string_view> find_embedded(std::string_view name) noexcept {
  const auto files = embedded_files();
  const auto it = std::ranges::find(files, name, &embedded_file::name);
  if (it == files.end()) return std::nullopt;
  return it->text();
}

std::string_view embedded(std::string_view name) {
  if (auto text = find_embedded(name)) return *text;
  throw std::logic_error("no embedded web asset " + std::string(name));
}

}  // namespace hrs::server::web
