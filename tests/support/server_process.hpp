#pragma once

// The HTTP tests' fixture: the real hrsurvey binary, run as an operator runs it. A store
// is prepared with the command line (roster import, access tokens), `hrsurvey serve`
// listens on a free loopback port, and the tests speak HTTP to it: through a small
// Beast client for well-formed requests, through a raw socket for everything else.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "temp_dir.hpp"

namespace hrs::testing {

using namespace std::chrono_literals;

// How long a test waits for anything before it gives up: generous, since it only bounds
// a failure; nothing waits for it to pass.
inline constexpr std::chrono::seconds patience{20};

// What a finished child process left: its exit code (or -signal when a signal ended it)
// and everything it wrote.
struct process_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the hrsurvey binary with `args` and waits for it. Throws when it cannot start.
process_result run_hrsurvey(const std::vector<std::string>& args);

// An access token created with `hrsurvey token create`.
struct access_token {
  std::string id;      // "tok_...", for `token revoke`
  std::string secret;  // the bearer token, printed once on stdout
};

// A store file in a fresh temp dir, prepared through the command line with a roster of
// six staff in three teams (s-101 and s-102 in "benefits", s-103 and s-104 in "payroll",
// s-105 and s-106 in "recruiting") and one token of each kind.
class served_store {
 public:
  served_store();
  served_store(const served_store&) = delete;
  served_store& operator=(const served_store&) = delete;

  const std::filesystem::path& db() const noexcept { return db_; }
  const temp_dir& dir() const noexcept { return dir_; }

  // `hrsurvey token create --role ROLE [--team TEAM]`; throws when it fails.
  access_token create_token(std::string_view role, std::optional<std::string> team = {});
  // `hrsurvey token revoke ID`; throws when it fails.
  void revoke_token(const access_token& token);

  access_token admin;
  access_token lead;           // all teams
  access_token benefits_lead;  // the "benefits" team only
  access_token integration;

 private:
  temp_dir dir_;
  std::filesystem::path db_;
};

// `hrsurvey serve --listen 127.0.0.1:0 --db DB --defs <source>/survey_defs EXTRA...` as a
// child process. The constructor returns once the server has printed where it listens;
// the destructor sends SIGTERM and waits (or only waits if the process already ended).
// Its log (stderr) goes to a file beside the store, shown when start-up fails.
class server_process {
 public:
  explicit server_process(const std::filesystem::path& db, std::vector<std::string> extra = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  unsigned short port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }
  bool running() const noexcept { return pid_ > 0; }

  // Sends SIGTERM and waits; returns the exit code, or -signal.
  int terminate();
  // Sends SIGKILL and waits.
  void kill();
  // Sends a signal without waiting.
  void signal(int sig) const;
  // Waits for the process to end on its own, at most `limit`; returns the exit code or
  // -signal, or nullopt when it is still running then.
  std::optional<int> wait_for_exit(std::chrono::milliseconds limit);
  // The server's log so far.
  std::string log() const;

 private:
  int reap();

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  unsigned short port_ = 0;
  std::filesystem::path log_file_;
};

// A parsed HTTP response. Header names are lower-cased.
struct http_reply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  bool keep_alive = false;

  // The body as JSON; a discarded value (never a throw) when it is not JSON.
  nlohmann::json json() const;
  // error.code of an error body, or "" when the body is not one.
  std::string error_code() const;
  // The error.details[].path values, in order.
  std::vector<std::string> detail_paths() const;
  std::string header(std::string_view name) const;
};

// Extras for one request; build them with the functions below.
struct request_options {
  std::string token;                              // Authorization: Bearer <token> when not empty
  std::string content_type = "application/json";  // sent with a body, or POST/PUT
  std::vector<std::pair<std::string, std::string>> headers;
};
request_options with_token(std::string token);
request_options with_type(std::string content_type, std::string token = {});
request_options with_header(std::string name, std::string value);

// One HTTP/1.1 connection through Boost.Beast, kept alive across requests; every
// operation is bounded by `patience` and throws on a network error.
class http_client {
 public:
  explicit http_client(unsigned short port);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  http_reply request(std::string_view method, std::string_view target, std::string body = {},
                     const request_options& opts = {});
  http_reply get(std::string_view target, const std::string& token = {});
  http_reply post_json(std::string_view target, const nlohmann::json& body,
                       const std::string& token = {});
  // False once the server has closed the connection (seen by the last request).
  bool open() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// One request on a fresh connection, closed afterwards.
http_reply http_once(unsigned short port, std::string_view method, std::string_view target,
                     std::string body = {}, const request_options& opts = {});

// A plain TCP connection for bytes no well-behaved client sends: malformed requests,
// partial requests, slow clients. Reads wait on poll() against a deadline.
class raw_connection {
 public:
  // Connects; throws when the connection is refused.
  explicit raw_connection(unsigned short port);
  // Connects from the loopback address `from` (e.g. "127.0.0.2"): another client as far
  // as the server can tell.
  raw_connection(unsigned short port, const std::string& from);
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  // Returns a connection, or nullptr when connecting fails (e.g. refused).
  static std::unique_ptr<raw_connection> try_connect(unsigned short port);

  // Sends all bytes; false when the peer has gone (EPIPE, ECONNRESET).
  bool send(std::string_view bytes);
  // Reads one response (status line, headers, Content-Length body); nullopt when the
  // connection ends first or the deadline passes.
  std::optional<http_reply> read_reply(std::chrono::milliseconds limit = patience);
  // Waits until the server closes the connection (EOF or reset); false if it is still
  // open at the deadline. Bytes that arrive meanwhile are kept in received().
  bool wait_closed(std::chrono::milliseconds limit = patience);
  // True when the connection is still open and nothing is waiting to be read, without
  // waiting.
  bool open_and_quiet();
  const std::string& received() const noexcept { return received_; }

 private:
  explicit raw_connection(int fd) : fd_(fd) {}
  // Reads what is there within `limit`: >0 bytes appended, 0 on EOF/reset, -1 timeout.
  long read_some(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

// True when a TCP connection to the port is refused (nobody listens).
bool connection_refused(unsigned short port);

// The ids in the store's responses table, read with the SQLite C API, as someone holding
// the file would.
std::vector<std::int64_t> stored_response_ids(const std::filesystem::path& db);
// PRAGMA integrity_check's first row: "ok" when the file is sound.
std::string integrity_check(const std::filesystem::path& db);
// SELECT count(*) FROM <table>.
std::int64_t count_rows(const std::filesystem::path& db, std::string_view table);
// How many invitations are marked answered (their bits in answered_bits).
std::int64_t count_answered_marks(const std::filesystem::path& db);
// The first column of every row `sql` returns, as integers, read through a read-only
// connection of its own.
std::vector<std::int64_t> query_integers(const std::filesystem::path& db, const std::string& sql);

// A value for an application/x-www-form-urlencoded body: everything but the unreserved
// characters percent-encoded, as browsers send it.
std::string form_encode(std::string_view text);

// The value of the first _csrf field of a signed-in page; empty when there is none.
std::string csrf_of(const std::string& html);
// "name=value" of the reply's Set-Cookie, as a browser sends it back.
std::string cookie_of(const http_reply& reply);

// Answers to hr-service that pass validation for an invitation.
nlohmann::json valid_answers(int courtesy = 5);

// POST /api/v1/invitations to hr-service with `bearer`; returns the invitation's token.
// Throws unless the server answers 201.
std::string create_invitation(http_client& client, const std::string& bearer,
                              const std::vector<std::string>& staff = {"s-101"},
                              const std::string& locale = "en");

// Polls `done` every few milliseconds until it returns true or `limit` passes; returns
// its last value. The pause only spaces the polls: nothing waits for a guessed time.
template <class Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = patience) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
}

}  // namespace hrs::testing
