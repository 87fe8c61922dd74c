#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hrs/engine/audit.hpp"
#include "hrs/engine/error.hpp"
#include "hrs/engine/survey.hpp"

namespace hrs::engine {

class store;

enum class registration { created, unchanged, replaced };

// Stores a validated template version. The same content again changes nothing; other
// content under a stored version replaces it only while no response or invitation
// refers to that version (errc::conflict otherwise: make a new version). A stored or
// replaced version is audited as done `by`.
[[nodiscard]] result<registration> register_survey(store& s, const survey& definition,
                                                   const actor& by);

struct survey_version_summary {
  std::string id;
  int version = 0;
  std::int64_t responses = 0;
};

// Every stored version, by id then version.
[[nodiscard]] result<std::vector<survey_version_summary>> list_survey_versions(store& s);

// The highest version of a template, or errc::not_found.
[[nodiscard]] result<std::shared_ptr<const survey>> find_active_survey(store& s,
                                                                       std::string_view id);
// One version, or errc::not_found.
[[nodiscard]] result<std::shared_ptr<const survey>> find_survey(store& s, std::string_view id,
                                                                int version);

struct definitions_sync {
  std::vector<std::string> lines;  // one per file: a summary, or `file: /pointer: message`
  bool ok = true;
};

// Loads every *.json template of a folder (not *.schema.json) and registers the valid
// ones. Reports every problem of every file.
[[nodiscard]] definitions_sync sync_definitions(store& s, const std::filesystem::path& folder,
                                                const actor& by);

}  // namespace hrs::engine
