// Roster CSV as `hrsurvey staff import`, POST /api/v1/staff:import and the admin page
// read it: any bytes give a roster or a validation error, and every accepted entry is
// one that PUT /api/v1/staff/{id} would accept too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hrs/engine/roster.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view csv(reinterpret_cast<const char*>(data), size);
  auto roster = hrs::engine::parse_roster_csv(csv);
  if (!roster) return 0;
  for (const auto& member : *roster) {
    if (!hrs::engine::validate_staff(member)) std::abort();
  }
  return 0;
}
