#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <boost/asio/ip/address.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http_types.hpp"

namespace hrs::server {

class router;
struct server_context;

// One client connection: reads a request (bounded in size and time), dispatches it,
// writes the response, and waits for the next one while kept alive. Every socket
// operation runs on the connection's strand; handlers may answer from any thread.
class session : public std::enable_shared_from_this<session>, public response_sink {
 public:
  // `peer`: the address the connection comes from.
  session(boost::asio::ip::tcp::socket&& socket, server_context& server, const router& routes,
          const boost::asio::ip::address& peer);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void run();
  // Closes the connection if it is waiting for a request; called when draining.
  void close_if_idle();
  // Sends the response to the request being handled; any thread.
  void deliver(response res) override;

  // Where the connection stands, for choosing one to close when the server is full.
  enum class phase {
    closing,            // its socket is being shut down
    waiting,            // for a request: just accepted, or kept alive after a response
    receiving_headers,  // a request has begun and its headers are not complete
    busy,               // receiving a body, being handled, or answering
  };
  // Any thread; a moment's value.
  phase current_phase() const noexcept { return phase_.load(std::memory_order_relaxed); }
  // When the current phase began; any thread.
  std::chrono::steady_clock::time_point phase_since() const noexcept;
  // Closes the connection to make room for another: at once unless busy, else after
  // the response it is working on. Any thread.
  void make_way();

 private:
  void wait_for_request();
  void on_first_bytes(boost::beast::error_code ec, std::size_t bytes);
  void read_request();
  void continue_reading();
  void on_headers(boost::beast::error_code ec, std::size_t bytes);
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void send(response res);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  // Answers a request that is not read further and closes the connection after it. With
  // the request's header (its target known), router::refusal may make it a page; without
  // (the header itself is unreadable), it is the JSON error.
  void refuse(http::status status, std::string_view code, std::string_view message,
              const http::request_header<>* header = nullptr);
  void close();
  void discard(std::size_t dropped);
  void enter(phase p) noexcept;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  server_context& server_;
  const router& routes_;
  // One request at a time: it stays here until its response is written (handlers
  // answer asynchronously) and the next read replaces it.
  request request_;
  response writing_;
  std::optional<http::response_serializer<http::string_body>> serializer_;  // of writing_
  std::chrono::steady_clock::time_point started_;
  std::string_view route_name_;  // a router's name or a literal: outlives the session
  std::string method_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool idle_ = false;
  bool deadline_armed_ = false;  // the read timeout runs for the request being read
  bool making_way_ = false;      // close after the response being worked on
  boost::asio::ip::address peer_;
  std::atomic<phase> phase_{phase::waiting};
  std::atomic<std::chrono::steady_clock::rep> phase_since_;
};

}  // namespace hrs::server
