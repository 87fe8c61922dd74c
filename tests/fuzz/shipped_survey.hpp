#pragma once

#include <cstdio>
#include <cstdlib>

#include "hrs/engine/definition_loader.hpp"

// The shipped template, loaded once: the answers a respondent sends are checked against
// it. Aborts when it does not load, since every input would then test nothing.
inline const hrs::engine::survey& shipped_survey() {
  static const hrs::engine::survey survey = [] {
    auto loaded = hrs::engine::load_definition_file(HRS_SOURCE_DIR "/survey_defs/hr-service.json");
    if (!loaded) {
      std::fputs("survey_defs/hr-service.json does not load\n", stderr);
      std::abort();
    }
    return *loaded;
  }();
  return survey;
}
