// The crash test's victim: opens the store file named in argv[1], registers the shipped
// templates and a roster, then writes responses from several threads until it is killed.
// Each response id is printed on its own line, flushed, only after submit returned
// success, i.e. after the commit that holds it. Exits non-zero when setup fails.

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrs/engine/invitations.hpp"
#include "hrs/engine/responses.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"

namespace {

namespace eng = hrs::engine;
using nlohmann::json;

std::mutex out_mutex;

void report(std::int64_t id) {
  std::lock_guard lock(out_mutex);
  std::printf("%lld\n", static_cast<long long>(id));
  std::fflush(stdout);
}

void write_forever(eng::store& s, unsigned seed) {
  std::mt19937 rng(seed);
  const auto pick = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(rng);
  };
  static const char* const types[] = {"benefits", "payroll", "leave", "hiring", "other"};
  for (;;) {
    json answers{{"request_type", types[pick(0, 4)]},
                 {"courtesy", pick(1, 5)},
                 {"timeliness", pick(1, 5)},
                 {"quality", pick(1, 5)}};
    if (pick(0, 1) == 1) answers["expectations"] = pick(1, 5);
    const std::string staff = "s-" + std::to_string(pick(1, 5));
    eng::result<eng::stored_response> stored = std::unexpected(eng::error{});
    if (pick(0, 2) == 0) {
      answers["staff"] = json::array({staff});
      stored = eng::submit_campaign_response(s, {"hr-service", "", answers});
    } else {
      eng::invitation_request request;
      request.survey = "hr-service";
      request.staff = {staff};
      auto inv = eng::create_invitation(s, request);
      if (!inv) {
        std::fprintf(stderr, "create_invitation: %s\n", inv.error().log.c_str());
        std::_Exit(3);
      }
      stored = eng::submit_response(s, {*inv->token, "", answers});
    }
    if (!stored) {
      std::fprintf(stderr, "submit: %s\n", stored.error().log.c_str());
      std::_Exit(4);
    }
    report(stored->id);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: crash_writer STORE_FILE\n");
    return 2;
  }
  eng::store_options options;
  options.file = argv[1];
  options.fold_after_responses = 50;  // so that kills also land around folds
  auto opened = eng::store::open(options);
  if (!opened) {
    std::fprintf(stderr, "store::open: %s %s\n", opened.error().message.c_str(),
                 opened.error().log.c_str());
    return 1;
  }
  auto& s = **opened;
  if (!eng::sync_definitions(s, std::string(HRS_SOURCE_DIR) + "/survey_defs",
                             eng::command_line_actor("test"))
           .ok)
    return 1;
  for (int i = 1; i <= 5; ++i) {
    const std::string id = "s-" + std::to_string(i);
    if (!eng::put_staff(s, {id, "Staff " + id, i % 2 == 0 ? "payroll" : "benefits"},
                        eng::command_line_actor("test")))
      return 1;
  }
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t)
    threads.emplace_back([&s, t] { write_forever(s, 1000 + t); });
  for (auto& t : threads)
    t.join();
  return 0;
}
