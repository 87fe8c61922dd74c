#include "server_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace hrs::testing {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using clock = std::chrono::steady_clock;

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1000;
}

// Milliseconds left until `deadline` for poll(), at least 0.
int millis_until(clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

// posix_spawn attributes that give the child default signal handling and an empty mask,
// whatever the test process ignores or blocks.
struct spawn_attributes {
  posix_spawnattr_t attr{};
  spawn_attributes() {
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~spawn_attributes() { posix_spawnattr_destroy(&attr); }
  spawn_attributes(const spawn_attributes&) = delete;
  spawn_attributes& operator=(const spawn_attributes&) = delete;
};

struct file_actions {
  posix_spawn_file_actions_t actions{};
  file_actions() { posix_spawn_file_actions_init(&actions); }
  ~file_actions() { posix_spawn_file_actions_destroy(&actions); }
  file_actions(const file_actions&) = delete;
  file_actions& operator=(const file_actions&) = delete;
};

pid_t spawn(const std::vector<std::string>& args, file_actions& files) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  spawn_attributes attributes;
  pid_t pid = -1;
  const int rc =
      ::posix_spawn(&pid, argv[0], &files.actions, &attributes.attr, argv.data(), environ);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "posix_spawn " + args[0]);
  return pid;
}

struct pipe_fds {
  int read = -1;
  int write = -1;
  pipe_fds() {
    std::array<int, 2> fds{};
    // Close-on-exec, so that children started by other threads do not hold them open;
    // posix_spawn's dup2 gives the child its own copy without the flag.
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) throw_errno("pipe2");
    read = fds[0];
    write = fds[1];
  }
  ~pipe_fds() {
    close_read();
    close_write();
  }
  pipe_fds(const pipe_fds&) = delete;
  pipe_fds& operator=(const pipe_fds&) = delete;
  void close_read() {
    if (read >= 0) ::close(read);
    read = -1;
  }
  void close_write() {
    if (write >= 0) ::close(write);
    write = -1;
  }
  int release_read() { return std::exchange(read, -1); }
};

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

void write_text_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// Parses "HTTP/1.1 200 OK\r\nName: value\r\n...\r\n\r\n" (without the body).
http_reply parse_head(std::string_view head) {
  http_reply reply;
  const auto line_end = head.find("\r\n");
  const auto status_line = head.substr(0, line_end);
  const auto space = status_line.find(' ');
  if (space == std::string_view::npos) throw std::runtime_error("bad status line");
  const auto code = status_line.substr(space + 1, 3);
  std::from_chars(code.data(), code.data() + code.size(), reply.status);
  auto rest = head.substr(line_end == std::string_view::npos ? head.size() : line_end + 2);
  while (!rest.empty()) {
    const auto end = rest.find("\r\n");
    const auto line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    reply.headers[lower(line.substr(0, colon))] = std::string(value);
  }
  reply.keep_alive = lower(reply.header("connection")) != "close";
  return reply;
}

struct sqlite_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct statement_finalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};

std::unique_ptr<sqlite3, sqlite_closer> open_db(const std::filesystem::path& db) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, sqlite_closer> handle(raw);
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot open " + db.string() + ": " + sqlite3_errstr(rc));
  sqlite3_busy_timeout(raw, 10'000);
  return handle;
}

std::vector<std::int64_t> integers(const std::filesystem::path& db, const std::string& sql) {
  auto handle = open_db(db);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(handle.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(handle.get()));
  std::unique_ptr<sqlite3_stmt, statement_finalizer> stmt(raw);
  std::vector<std::int64_t> out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
    out.push_back(sqlite3_column_int64(stmt.get(), 0));
  if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(handle.get()));
  return out;
}

}  // namespace

// ---- processes -------------------------------------------------------------------------

process_result run_hrsurvey(const std::vector<std::string>& args) {
  std::vector<std::string> argv{HRS_SERVER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  pipe_fds out;
  pipe_fds err;
  file_actions files;
  posix_spawn_file_actions_addopen(&files.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&files.actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&files.actions, err.write, STDERR_FILENO);
  const pid_t pid = spawn(argv, files);
  out.close_write();
  err.close_write();

  process_result result;
  std::array<pollfd, 2> fds{pollfd{out.read, POLLIN, 0}, pollfd{err.read, POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open = 2;
  while (open > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      std::array<char, 4096> buffer{};
      const auto n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n > 0) {
        sinks[i]->append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw_errno("waitpid");
  result.exit_code = decode_status(status);
  return result;
}

served_store::served_store() : db_(dir_ / "store.db") {
  write_text_file(dir_ / "roster.csv",
                  "id,name,team\n"
                  "s-101,Ana Pop,benefits\n"
                  "s-102,Marco Rossi,benefits\n"
                  "s-103,Lucía Gómez,payroll\n"
                  "s-104,Chen Wei,payroll\n"
                  "s-105,Ioana Marin,recruiting\n"
                  "s-106,Sam Lee,recruiting\n");
  const auto imported =
      run_hrsurvey({"staff", "import", (dir_ / "roster.csv").string(), "--db", db_.string()});
  if (imported.exit_code != 0) throw std::runtime_error("staff import failed: " + imported.err);
  admin = create_token("admin");
  lead = create_token("lead");
  benefits_lead = create_token("lead", "benefits");
  integration = create_token("integration");
}

access_token served_store::create_token(std::string_view role, std::optional<std::string> team) {
  std::vector<std::string> args{"token",           "create", "--role",
                                std::string(role), "--db",   db_.string()};
  if (team) {
    args.emplace_back("--team");
    args.push_back(*team);
  }
  const auto created = run_hrsurvey(args);
  if (created.exit_code != 0) throw std::runtime_error("token create failed: " + created.err);
  // stdout: the token and a newline; stderr: "created ROLE token tok_... ...".
  access_token token;
  token.secret = created.out.substr(0, created.out.find('\n'));
  std::smatch id;
  static const std::regex id_pattern(R"(token (tok_[A-Za-z0-9_-]+))");
  if (!std::regex_search(created.err, id, id_pattern) || token.secret.empty())
    throw std::runtime_error("unexpected token create output: " + created.out + created.err);
  token.id = id[1].str();
  return token;
}

void served_store::revoke_token(const access_token& token) {
  const auto revoked = run_hrsurvey({"token", "revoke", token.id, "--db", db_.string()});
  if (revoked.exit_code != 0) throw std::runtime_error("token revoke failed: " + revoked.err);
}

server_process::server_process(const std::filesystem::path& db, std::vector<std::string> extra)
    : log_file_(db.parent_path() / "server.log") {
  std::vector<std::string> argv{HRS_SERVER_BINARY,
                                "serve",
                                "--listen",
                                "127.0.0.1:0",
                                "--db",
                                db.string(),
                                "--defs",
                                source_path("survey_defs").string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  pipe_fds out;
  file_actions files;
  posix_spawn_file_actions_addopen(&files.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&files.actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&files.actions, STDERR_FILENO, log_file_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_ = spawn(argv, files);
  out.close_write();
  stdout_fd_ = out.release_read();

  // The first stdout line says where it listens; read up to it, nothing more.
  std::string line;
  const auto deadline = clock::now() + patience;
  while (line.find('\n') == std::string::npos) {
    pollfd p{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, millis_until(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    char c = 0;
    const auto n = ::read(stdout_fd_, &c, 1);
    if (n <= 0) break;
    line += c;
  }
  static const std::regex listening(R"(^hrsurvey listening on http://127\.0\.0\.1:(\d+) \()");
  std::smatch m;
  if (!std::regex_search(line, m, listening)) {
    const std::string first_line = line;
    if (running()) kill();
    throw std::runtime_error("hrsurvey serve did not start; stdout: '" + first_line + "'; log:\n" +
                             log());
  }
  port_ = static_cast<unsigned short>(std::stoi(m[1].str()));
}

server_process::~server_process() {
  if (running()) {
    signal(SIGTERM);
    // Past the drain timeout a stuck server is killed rather than hanging the suite.
    if (!wait_for_exit(patience)) kill();
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

void server_process::signal(int sig) const {
  if (pid_ > 0) ::kill(pid_, sig);
}

int server_process::reap() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0)
    if (errno != EINTR) throw_errno("waitpid");
  pid_ = -1;
  return decode_status(status);
}

int server_process::terminate() {
  signal(SIGTERM);
  auto code = wait_for_exit(patience);
  if (!code) {
    kill();
    return -SIGKILL;
  }
  return *code;
}

void server_process::kill() {
  signal(SIGKILL);
  if (pid_ > 0) reap();
}

std::optional<int> server_process::wait_for_exit(std::chrono::milliseconds limit) {
  if (pid_ <= 0) return std::nullopt;
  std::optional<int> code;
  eventually(
      [&] {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
          pid_ = -1;
          code = decode_status(status);
          return true;
        }
        return false;
      },
      limit);
  return code;
}

std::string server_process::log() const {
  return read_text_file(log_file_);
}

// ---- replies ---------------------------------------------------------------------------

nlohmann::json http_reply::json() const {
  return nlohmann::json::parse(body, nullptr, false);
}

std::string http_reply::error_code() const {
  const auto doc = json();
  if (!doc.is_object() || !doc.contains("error") || !doc["error"].is_object()) return {};
  const auto& code = doc["error"]["code"];
  return code.is_string() ? code.get<std::string>() : std::string{};
}

std::vector<std::string> http_reply::detail_paths() const {
  std::vector<std::string> paths;
  const auto doc = json();
  if (!doc.is_object() || !doc.contains("error")) return paths;
  const auto& details = doc["error"].value("details", nlohmann::json::array());
  for (const auto& d : details)
    paths.push_back(d.value("path", std::string{}));
  return paths;
}

std::string http_reply::header(std::string_view name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? std::string{} : it->second;
}

request_options with_token(std::string token) {
  request_options out;
  out.token = std::move(token);
  return out;
}

request_options with_type(std::string content_type, std::string token) {
  request_options out;
  out.token = std::move(token);
  out.content_type = std::move(content_type);
  return out;
}

request_options with_header(std::string name, std::string value) {
  request_options out;
  out.headers.emplace_back(std::move(name), std::move(value));
  return out;
}

// ---- the Beast client ------------------------------------------------------------------

struct http_client::impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  unsigned short port = 0;
  bool open = false;

  // Runs one asynchronous operation to completion on the private io_context, bounded by
  // the stream's expiry; throws its error.
  template <class Start>
  void run(Start start) {
    beast::error_code result = net::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    if (result) {
      open = false;
      throw std::system_error(result, "http_client");
    }
  }
};

http_client::http_client(unsigned short port) : impl_(std::make_unique<impl>()) {
  impl_->port = port;
  const tcp::endpoint at(net::ip::make_address_v4("127.0.0.1"), port);
  impl_->stream.expires_after(patience);
  impl_->run([&](auto handler) { impl_->stream.async_connect(at, handler); });
  impl_->open = true;
}

http_client::~http_client() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream.socket().close(ignored);
}

bool http_client::open() const noexcept {
  return impl_->open;
}

http_reply http_client::request(std::string_view method, std::string_view target, std::string body,
                                const request_options& opts) {
  http::request<http::string_body> req;
  const auto verb = http::string_to_verb(method);
  if (verb == http::verb::unknown)
    req.method_string(method);
  else
    req.method(verb);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(impl_->port));
  if (!opts.token.empty()) req.set(http::field::authorization, "Bearer " + opts.token);
  const bool has_body = !body.empty() || verb == http::verb::post || verb == http::verb::put;
  if (has_body && !opts.content_type.empty()) req.set(http::field::content_type, opts.content_type);
  for (const auto& [name, value] : opts.headers)
    req.set(name, value);
  req.keep_alive(true);
  req.body() = std::move(body);
  req.prepare_payload();

  impl_->stream.expires_after(patience);
  impl_->run([&](auto handler) { http::async_write(impl_->stream, req, handler); });
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  impl_->stream.expires_after(patience);
  impl_->run(
      [&](auto handler) { http::async_read(impl_->stream, impl_->buffer, parser, handler); });
  auto res = parser.release();

  http_reply reply;
  reply.status = res.result_int();
  for (const auto& field : res)
    reply.headers[lower(field.name_string())] = std::string(field.value());
  reply.body = std::move(res.body());
  reply.keep_alive = res.keep_alive();
  if (!reply.keep_alive) impl_->open = false;
  return reply;
}

http_reply http_client::get(std::string_view target, const std::string& token) {
  return request("GET", target, {}, with_token(token));
}

http_reply http_client::post_json(std::string_view target, const nlohmann::json& body,
                                  const std::string& token) {
  return request("POST", target, body.dump(), with_token(token));
}

http_reply http_once(unsigned short port, std::string_view method, std::string_view target,
                     std::string body, const request_options& opts) {
  http_client client(port);
  return client.request(method, target, std::move(body), opts);
}

// ---- raw sockets -----------------------------------------------------------------------

namespace {

// `from`: the local address to connect from (any 127.x.y.z), 0 for the kernel's choice.
int connect_loopback(unsigned short port, in_addr_t from = 0) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_errno("socket");
  if (from != 0) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = from;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
      ::close(fd);
      throw_errno("bind the client socket");
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

raw_connection::raw_connection(unsigned short port) : fd_(connect_loopback(port)) {
  if (fd_ < 0) throw_errno("connect to 127.0.0.1:" + std::to_string(port));
}

raw_connection::raw_connection(unsigned short port, const std::string& from) {
  in_addr local{};
  if (::inet_pton(AF_INET, from.c_str(), &local) != 1)
    throw std::invalid_argument("not an IPv4 address: " + from);
  fd_ = connect_loopback(port, local.s_addr);
  if (fd_ < 0) throw_errno("connect to 127.0.0.1:" + std::to_string(port) + " from " + from);
}

std::unique_ptr<raw_connection> raw_connection::try_connect(unsigned short port) {
  const int fd = connect_loopback(port);
  if (fd < 0) return nullptr;
  return std::unique_ptr<raw_connection>(new raw_connection(fd));
}

raw_connection::~raw_connection() {
  if (fd_ >= 0) ::close(fd_);
}

bool raw_connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

long raw_connection::read_some(clock::time_point deadline) {
  if (closed_) return 0;
  while (true) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, millis_until(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw_errno("poll");
    if (ready == 0) return -1;
    std::array<char, 16384> buffer{};
    const auto n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      closed_ = true;
      return 0;
    }
    received_.append(buffer.data(), static_cast<std::size_t>(n));
    return n;
  }
}

std::optional<http_reply> raw_connection::read_reply(std::chrono::milliseconds limit) {
  const auto deadline = clock::now() + limit;
  while (true) {
    const auto head_end = received_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      auto reply = parse_head(std::string_view(received_).substr(0, head_end));
      std::size_t length = 0;
      const auto text = reply.header("content-length");
      std::from_chars(text.data(), text.data() + text.size(), length);
      if (received_.size() >= head_end + 4 + length) {
        reply.body = received_.substr(head_end + 4, length);
        received_.erase(0, head_end + 4 + length);
        return reply;
      }
    }
    if (read_some(deadline) <= 0) return std::nullopt;
  }
}

bool raw_connection::wait_closed(std::chrono::milliseconds limit) {
  const auto deadline = clock::now() + limit;
  while (true) {
    const auto n = read_some(deadline);
    if (n == 0) return true;
    if (n < 0) return false;
  }
}

bool raw_connection::open_and_quiet() {
  if (closed_) return false;
  char c = 0;
  const auto n = ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

bool connection_refused(unsigned short port) {
  const int fd = connect_loopback(port);
  if (fd >= 0) {
    ::close(fd);
    return false;
  }
  return errno == ECONNREFUSED;
}

// ---- the store file --------------------------------------------------------------------

std::vector<std::int64_t> stored_response_ids(const std::filesystem::path& db) {
  return integers(db, "SELECT id FROM responses ORDER BY id");
}

std::string integrity_check(const std::filesystem::path& db) {
  auto handle = open_db(db);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(handle.get(), "PRAGMA integrity_check", -1, &raw, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("integrity_check: ") + sqlite3_errmsg(handle.get()));
  std::unique_ptr<sqlite3_stmt, statement_finalizer> stmt(raw);
  if (sqlite3_step(stmt.get()) != SQLITE_ROW) return "no answer";
  const auto* text = sqlite3_column_text(stmt.get(), 0);
  return text == nullptr ? std::string{} : std::string(reinterpret_cast<const char*>(text));
}

std::int64_t count_rows(const std::filesystem::path& db, std::string_view table) {
  return integers(db, "SELECT count(*) FROM " + std::string(table)).at(0);
}

std::int64_t count_answered_marks(const std::filesystem::path& db) {
  return integers(db,
                  "SELECT count(*) FROM invitations i JOIN answered_bits a ON a.block = i.seq / 62 "
                  "AND a.bits & (1 << (i.seq % 62)) != 0")
      .at(0);
}

std::vector<std::int64_t> query_integers(const std::filesystem::path& db, const std::string& sql) {
  return integers(db, sql);
}

std::string form_encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string csrf_of(const std::string& html) {
  const std::string marker = "name=\"_csrf\" value=\"";
  const auto start = html.find(marker);
  if (start == std::string::npos) return {};
  const auto from = start + marker.size();
  return html.substr(from, html.find('"', from) - from);
}

std::string cookie_of(const http_reply& reply) {
  const auto set_cookie = reply.header("set-cookie");
  return set_cookie.substr(0, set_cookie.find(';'));
}

nlohmann::json valid_answers(int courtesy) {
  return {{"request_type", "benefits"},
          {"importance", 4},
          {"courtesy", courtesy},
          {"timeliness", 4},
          {"quality", 3},
          {"expectations", 4},
          {"comment", "Quick and kind."}};
}

std::string create_invitation(http_client& client, const std::string& bearer,
                              const std::vector<std::string>& staff, const std::string& locale) {
  const auto reply =
      client.post_json("/api/v1/invitations",
                       {{"survey", "hr-service"}, {"staff", staff}, {"locale", locale}}, bearer);
  const auto body = reply.json();
  if (reply.status != 201 || !body.is_object() || !body.contains("token"))
    throw std::runtime_error("POST /api/v1/invitations answered " + std::to_string(reply.status) +
                             ": " + reply.body);
  return body["token"].get<std::string>();
}

}  // namespace hrs::testing
