#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "hrs/engine/error.hpp"

namespace hrs::server {

class router;
class server_context;

// Accepts connections and starts a session for each, up to max_connections in all and
// max_connections_per_address from one address. At a cap, a connection that waits for
// a request or its headers is closed to make room (server_context::make_room); when
// none does, the newcomer gets 503 and is closed.
class listener : public std::enable_shared_from_this<listener> {
 public:
  // Binds and listens; a port in use or a bad address is an error for the caller.
  [[nodiscard]] static engine::result<std::shared_ptr<listener>> open(
      boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& at,
      server_context& server, const router& routes);
  void run();
  // Stops accepting; connections already open go on.
  void stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  listener(boost::asio::io_context& ioc, server_context& server, const router& routes);

 private:
  void accept();

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  server_context& server_;
  const router& routes_;
};

}  // namespace hrs::server
