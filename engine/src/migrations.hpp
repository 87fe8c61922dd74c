#pragma once

#include "hrs/engine/error.hpp"
#include "sqlite.hpp"

namespace hrs::engine {

// Brings the store to `up_to` (current_schema_version() by default). A store written by
// a newer hrsurvey is refused: its schema may mean things this build does not know.
[[nodiscard]] result<void> apply_migrations(sql::connection& db, int up_to);

}  // namespace hrs::engine
