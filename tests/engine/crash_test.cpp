#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hrs/engine/aggregates.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/time.hpp"
#include "store_fixture.hpp"

extern char** environ;

namespace {

using hrs::testing::raw_db;
using hrs::testing::temp_dir;

namespace eng = hrs::engine;

// Runs the crash writer on `file`, reads the ids it reports until `wanted` of them are
// seen, then kills it with SIGKILL. Returns the ids, every one acknowledged as committed.
std::vector<std::int64_t> run_and_kill(const std::filesystem::path& file, std::size_t wanted) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);

  std::string program = HRS_CRASH_WRITER;
  std::string target = file.string();
  char* argv[] = {program.data(), target.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  REQUIRE(spawned == 0);

  std::vector<std::int64_t> ids;
  std::string pending;
  char buffer[4096];
  while (ids.size() < wanted) {
    const ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // the writer died: checked below
    pending.append(buffer, static_cast<std::size_t>(got));
    for (std::size_t end; (end = pending.find('\n')) != std::string::npos;) {
      ids.push_back(std::stoll(pending.substr(0, end)));
      pending.erase(0, end + 1);
    }
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::close(pipe_fds[0]);
  INFO("the crash writer stopped by itself after " << ids.size() << " responses");
  REQUIRE(ids.size() >= wanted);
  CHECK(WIFSIGNALED(status));
  return ids;
}

}  // namespace

TEST_CASE("acknowledged responses survive kill -9", "[engine][crash][concurrency]") {
  temp_dir dir;
  const auto file = dir / "crash.db";
  std::size_t total = 0;
  for (int round = 1; round <= 3; ++round) {
    CAPTURE(round);
    const auto ids = run_and_kill(file, 500);
    total += ids.size();

    {
      raw_db db(file);
      CHECK(db.integrity() == "ok");
      std::size_t missing = 0;
      for (auto id : ids)
        if (db.integer("SELECT count(*) FROM responses WHERE id = ?1", id) != 1) ++missing;
      CHECK(missing == 0);
      CHECK(db.count("responses") >= static_cast<std::int64_t>(total));
    }

    auto s = eng::store::open({.file = file});
    REQUIRE(s);
    // The writer uses the real clock: compare around today.
    const auto today = eng::day_of(eng::now_seconds());
    const eng::count_query around_today{today - 2, today + 2, std::nullopt};
    auto counts = eng::read_counts(**s, around_today);
    auto recount = eng::recount_from_responses(**s, around_today);
    REQUIRE(counts);
    REQUIRE(recount);
    CHECK_FALSE(recount->empty());
    CHECK(hrs::testing::counts_difference(*recount, *counts) == "");
    (*s)->close();
    CHECK(raw_db(file).integrity() == "ok");
  }
}
