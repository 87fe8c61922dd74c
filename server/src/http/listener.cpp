#include "listener.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "server_context.hpp"
#include "session.hpp"

namespace hrs::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

listener::listener(net::io_context& ioc, server_context& server, const router& routes)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), server_(server), routes_(routes) {}

engine::result<std::shared_ptr<listener>> listener::open(net::io_context& ioc,
                                                         const tcp::endpoint& at,
                                                         server_context& server,
                                                         const router& routes) {
  auto l = std::make_shared<listener>(ioc, server, routes);
  boost::system::error_code ec;
  const auto failed = [&](std::string_view step) {
    return engine::fail(engine::errc::unavailable,
                        fmt::format("cannot listen on {}:{}: {}", at.address().to_string(),
                                    at.port(), ec.message()),
                        {}, std::string(step));
  };
  l->acceptor_.open(at.protocol(), ec);
  if (ec) return failed("open");
  l->acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return failed("reuse_address");
  l->acceptor_.bind(at, ec);
  if (ec) return failed("bind");
  l->acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen");
  return l;
}

void listener::run() {
  accept();
}

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void listener::accept() {
  acceptor_.async_accept(
      net::make_strand(ioc_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (!ec) {
          boost::system::error_code peer_error;
          const auto peer = socket.remote_endpoint(peer_error).address();
          if (peer_error) {
            // Gone already (reset before it was accepted): nothing to answer.
          } else if (!self->server_.make_room(peer)) {
            // Told, not silently dropped; the write is small enough to leave in one go.
            static constexpr std::string_view busy =
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: "
                "close\r\n"
                "Content-Length: 76\r\n\r\n"
                R"({"error":{"code":"unavailable","message":"too many connections; try again"}})";
            auto sock = std::make_shared<tcp::socket>(std::move(socket));
            net::async_write(*sock, net::buffer(busy.data(), busy.size()), [sock](auto, auto) {
              boost::system::error_code ignored;
              sock->shutdown(tcp::socket::shutdown_both, ignored);
            });
          } else {
            std::make_shared<session>(std::move(socket), self->server_, self->routes_, peer)->run();
          }
        } else {
          // Out of file descriptors, typically: accepting again at once would spin on
          // the same pending connection. Wait a moment for connections to close.
          spdlog::warn("accept failed: {}; pausing accepts for 100 ms", ec.message());
          auto pause = std::make_shared<net::steady_timer>(self->acceptor_.get_executor(),
                                                           std::chrono::milliseconds(100));
          pause->async_wait([self, pause](boost::system::error_code) { self->accept(); });
          return;
        }
        self->accept();
      });
}

}  // namespace hrs::server
