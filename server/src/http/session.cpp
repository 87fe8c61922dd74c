#include "session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <array>

#include "error_response.hpp"
#include "router.hpp"
#include "server_context.hpp"

namespace hrs::server {

namespace beast = boost::beast;
namespace net = boost::asio;

session::session(net::ip::tcp::socket&& socket, server_context& server, const router& routes,
                 const net::ip::address& peer)
    : stream_(std::move(socket)),
      server_(server),
      routes_(routes),
      peer_(peer),
      phase_since_(std::chrono::steady_clock::now().time_since_epoch().count()) {}

session::~session() {
  server_.connection_closed(this);
}

void session::run() {
  server_.connection_opened(shared_from_this(), peer_);
  // Reads and writes first try to finish at once (read_request, send), which needs
  // them to return would_block rather than wait; the asynchronous ones do not mind.
  beast::error_code ignored;
  stream_.socket().non_blocking(true, ignored);
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&session::wait_for_request, shared_from_this()));
}

// Waits for the first bytes of the next request with the idle timeout, so that a
// kept-alive connection may rest a while; the request itself then has read_timeout.
void session::wait_for_request() {
  if (buffer_.size() > 0) return read_request();
  if (server_.draining || making_way_) return close();
  idle_ = true;
  enter(phase::waiting);
  stream_.expires_after(server_.config.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096),
                          beast::bind_front_handler(&session::on_first_bytes, shared_from_this()));
}

void session::on_first_bytes(beast::error_code ec, std::size_t bytes) {
  idle_ = false;
  if (ec) return close();
  buffer_.commit(bytes);
  read_request();
}

std::chrono::steady_clock::time_point session::phase_since() const noexcept {
  return std::chrono::steady_clock::time_point(
      std::chrono::steady_clock::duration(phase_since_.load(std::memory_order_relaxed)));
}

void session::enter(phase p) noexcept {
  phase_.store(p, std::memory_order_relaxed);
  phase_since_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                     std::memory_order_relaxed);
}

void session::make_way() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->making_way_ = true;
    const auto p = self->current_phase();
    // Cancelled, the pending read completes with operation_aborted and closes.
    if (p == phase::waiting || p == phase::receiving_headers) self->stream_.socket().cancel();
  });
}

void session::close_if_idle() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->idle_) self->stream_.socket().cancel();
  });
}

void session::read_request() {
  parser_.emplace();
  parser_->body_limit(server_.config.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(server_.config.max_header_bytes));
  deadline_armed_ = false;
  continue_reading();
}

void session::continue_reading() {
  // A request mostly arrives whole with its first bytes. Parsed from the buffer at
  // once, it needs none of what an asynchronous read costs even when it reads nothing:
  // the timer armed and cancelled, the completion's trip through the io_context.
  beast::error_code ec;
  http::read(stream_.socket(), buffer_, *parser_, ec);
  if (ec != net::error::would_block) return on_read(ec, 0);
  // One deadline for the whole request, however it trickles in.
  if (!deadline_armed_) stream_.expires_after(server_.config.read_timeout);
  deadline_armed_ = true;
  // The headers are read apart from the body so that the phase says which is awaited:
  // a connection still sending its headers may be closed to make room, one sending a
  // body may not.
  if (!parser_->is_header_done()) {
    enter(phase::receiving_headers);
    return http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&session::on_headers, shared_from_this()));
  }
  enter(phase::busy);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&session::on_read, shared_from_this()));
}

void session::on_headers(beast::error_code ec, std::size_t bytes) {
  if (ec) return on_read(ec, bytes);
  enter(phase::busy);
  continue_reading();
}

void session::on_read(beast::error_code ec, std::size_t) {
  enter(phase::busy);
  started_ = std::chrono::steady_clock::now();
  route_name_ = "(unread request)";
  method_ = "-";
  version_ = 11;
  keep_alive_ = false;
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted)
    return close();
  if (ec == http::error::body_limit) {
    // The header is whole when the body crosses the limit: its target says whether a
    // browser's page or an API client asked.
    return refuse(http::status::payload_too_large, "too_large",
                  fmt::format("the body is larger than {} bytes", server_.config.max_body_bytes),
                  &parser_->get().base());
  }
  if (ec == http::error::header_limit)
    return refuse(http::status::request_header_fields_too_large, "headers_too_large",
                  "the request headers are too large");
  if (ec == net::error::eof || ec == net::error::connection_reset) return close();
  if (ec)
    return refuse(http::status::bad_request, "bad_request", "the request is not valid HTTP/1.1");

  request_ = parser_->release();
  method_ = std::string(request_.method_string());
  version_ = request_.version();
  keep_alive_ = request_.keep_alive();
  if (request_.target().size() > server_.config.max_target_bytes)
    return refuse(http::status::uri_too_long, "target_too_long", "the request target is too long",
                  &request_.base());

  try {
    routes_.dispatch(request_, server_, peer_, responder(shared_from_this()), route_name_);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", method_, route_name_, e.what());
    send(error_response(http::status::internal_server_error, "internal", "the server failed"));
  }
}

// Posted, not dispatched, although dispatching would often send at once from the
// thread that completes a write group: measured, that sent a group's answers one by
// one from one thread and woke the clients between them, with nearly twice the context
// switches per request; posted, both I/O threads share them.
void session::deliver(response res) {
  net::post(stream_.get_executor(), [self = shared_from_this(), res = std::move(res)]() mutable {
    self->send(std::move(res));
  });
}

void session::refuse(http::status status, std::string_view code, std::string_view message,
                     const http::request_header<>* header) {
  keep_alive_ = false;
  send(header ? routes_.refusal(*header, status, code, message)
              : error_response(status, code, message));
}

void session::send(response res) {
  const bool keep_alive = keep_alive_ && !server_.draining && !making_way_;
  res.version(version_);
  res.keep_alive(keep_alive);
  res.set(http::field::server, "hrsurvey");
  res.set("X-Content-Type-Options", "nosniff");
  if (!res.has_content_length()) res.prepare_payload();
  const auto took = std::chrono::steady_clock::now() - started_;
  server_.metrics.observe(route_name_, res.result_int(), took);
  spdlog::info("{} {} {:.2f}ms", route_name_, res.result_int(),
               std::chrono::duration<double, std::milli>(took).count());
  writing_ = std::move(res);
  serializer_.emplace(writing_);
  // Written at once when the socket takes it all, as a small answer does, for the same
  // reason as read_request reads at once; the rest, if any, goes out asynchronously.
  beast::error_code ec;
  http::write(stream_.socket(), *serializer_, ec);
  if (ec != net::error::would_block) return on_write(keep_alive, ec, 0);
  stream_.expires_after(server_.config.read_timeout);
  http::async_write(stream_, *serializer_,
                    beast::bind_front_handler(&session::on_write, shared_from_this(), keep_alive));
}

void session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  serializer_.reset();
  writing_ = {};  // a large answer (a CSV export) is not kept while the connection idles
  if (ec || !keep_alive) return close();
  wait_for_request();
}

void session::close() {
  enter(phase::closing);
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  // Read and drop what the client still sends (the rest of a refused body, say) for a
  // moment before closing: closing with unread data would reset the connection, and the
  // client might never read the answer it was sent.
  stream_.expires_after(std::chrono::seconds(1));
  discard(0);
}

void session::discard(std::size_t dropped) {
  constexpr std::size_t max_dropped = 1 << 20;
  auto scratch = std::make_shared<std::array<char, 16384>>();
  stream_.async_read_some(net::buffer(*scratch), [self = shared_from_this(), scratch, dropped](
                                                     beast::error_code ec, std::size_t bytes) {
    if (ec || dropped + bytes > max_dropped) {
      beast::error_code ignored;
      self->stream_.socket().close(ignored);
      return;
    }
    self->discard(dropped + bytes);
  });
}

}  // namespace hrs::server
