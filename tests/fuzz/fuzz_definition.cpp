// Survey templates as `defs check`, POST /api/v1/surveys and the admin page read them:
// any text must give a survey or a validation error with details, never a crash. A
// template that passes must pass again once written back (the store keeps that form).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hrs/engine/definition_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = hrs::engine::parse_definition(text);
  if (!parsed) {
    if (parsed.error().details.empty()) std::abort();  // a refusal must say where
    return 0;
  }
  const auto written = hrs::engine::to_json_document(*parsed);
  if (!hrs::engine::parse_definition(written)) std::abort();
  return 0;
}
