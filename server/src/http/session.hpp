#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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
  session(boost::asio::ip::tcp::socket&& socket, server_context& server, const router& routes);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void run();
  // Closes the connection if it is waiting for a request; called when draining.
  void close_if_idle();
  // Sends the response to the request being handled; any thread.
  void deliver(response res) override;

 private:
  void wait_for_request();
  void on_first_bytes(boost::beast::error_code ec, std::size_t bytes);
  void read_request();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void send(response res);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void refuse(http::status status, std::string_view code, std::string_view message);
  void close();
  void discard(std::size_t dropped);

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
};

}  // namespace hrs::server
