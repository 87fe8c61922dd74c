#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "hrs/engine/audit.hpp"
#include "writer.hpp"

namespace hrs::engine {

// Adds an audit entry inside the job's transaction, so that the action and its entry
// commit or roll back together. Writer thread only.
[[nodiscard]] result<void> record_audit(write_tx& tx, const actor& by, std::string_view action,
                                        std::string_view target, const nlohmann::json& details);

}  // namespace hrs::engine
