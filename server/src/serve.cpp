#include "serve.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <pthread.h>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/api_support.hpp"
#include "cli_support.hpp"
#include "comment_retention.hpp"
#include "http/listener.hpp"
#include "http/router.hpp"
#include "http/server_context.hpp"
#include "web/web_routes.hpp"

namespace hrs::server {

namespace net = boost::asio;

namespace {

engine::result<net::ip::tcp::endpoint> parse_listen(std::string_view listen) {
  const auto colon = listen.rfind(':');
  auto bad = [&] {
    return engine::fail(
        engine::errc::validation_failed,
        fmt::format("--listen {} is not HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)", listen));
  };
  if (colon == std::string_view::npos) return bad();
  auto host = listen.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  unsigned short port = 0;
  const auto port_text = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size()) return bad();
  boost::system::error_code address_error;
  const auto address = net::ip::make_address(std::string(host), address_error);
  if (address_error) return bad();
  return net::ip::tcp::endpoint(address, port);
}

router api_routes() {
  router routes;
  add_health_routes(routes);
  add_survey_routes(routes);
  add_staff_routes(routes);
  add_invitation_routes(routes);
  add_response_routes(routes);
  add_report_routes(routes);
  add_audit_routes(routes);
  web::add_web_routes(routes);
  return routes;
}

}  // namespace

int serve(const server_config& config) {
  auto endpoint = parse_listen(config.listen);
  if (!endpoint) return report_error(endpoint.error());
  // Completions of writes run on the I/O threads once they run, and on the writer thread
  // before (registering templates) and after (the final drain).
  std::atomic<net::io_context*> completions_on{nullptr};
  engine::store_options options;
  options.run_completions = [&completions_on](std::function<void()> complete) {
    if (auto* io = completions_on.load()) {
      net::post(*io, std::move(complete));
    } else {
      complete();
    }
  };
  auto store = open_store(store_args{config.db, config.defs}, true, std::move(options));
  if (!store) return 1;
  // Old comments are erased before the first request can read them.
  std::optional<comment_retention> retention;
  if (config.comment_retention_days > 0) {
    retention.emplace(*store, config.comment_retention_days);
    if (auto ok = retention->erase_now(); !ok) return report_error(ok.error());
    retention->start_daily();
  }

  const unsigned threads =
      config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  // Declared so that the io_context, and with it every session, goes before the context
  // and routes that sessions refer to.
  std::optional<server_context> made;
  try {
    made.emplace(config, *store);
  } catch (const std::invalid_argument& e) {
    return report_error({engine::errc::validation_failed, e.what(), {}, {}});
  }
  server_context& context = *made;
  const router routes = api_routes();
  net::io_context ioc(static_cast<int>(threads));
  auto accepting = listener::open(ioc, *endpoint, context, routes);
  if (!accepting) return report_error(accepting.error());
  (*accepting)->run();

  const auto bound = (*accepting)->local_endpoint();
  const std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                   : bound.address().to_string();
  context.base_url =
      config.base_url.empty() ? fmt::format("http://{}:{}", host, bound.port()) : config.base_url;
  while (context.base_url.ends_with('/'))
    context.base_url.pop_back();
  // The first line on stdout says where the server listens (tests and scripts read it).
  fmt::print("hrsurvey listening on http://{}:{} ({} threads, store {})\n", host, bound.port(),
             threads, config.db);
  std::fflush(stdout);

  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close idle
  // connections, and stop once none is left or the drain timeout has passed.
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer deadline(ioc);
  bool timed_out = false;
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::warn("signal {}: draining (at most {} s)", signal, config.drain_timeout.count());
    (*accepting)->stop();
    deadline.expires_after(config.drain_timeout);
    deadline.async_wait([&](const boost::system::error_code& timer_ec) {
      if (timer_ec) return;
      timed_out = true;
      spdlog::warn("drain timeout: {} connections still open", context.connections());
      ioc.stop();
    });
    context.drain([&] {
      net::post(ioc, [&] {
        deadline.cancel();
        ioc.stop();
      });
    });
    // A second signal means: stop now, without waiting for the drain.
    signals.async_wait([&](const boost::system::error_code& again, int) {
      if (again) return;
      spdlog::warn("second signal: stopping without draining");
      timed_out = true;
      ioc.stop();
    });
  });

  completions_on = &ioc;
  std::vector<std::jthread> pool;
  for (unsigned i = 1; i < threads; ++i)
    pool.emplace_back([&] {
      pthread_setname_np(pthread_self(), "hrs-io");
      ioc.run();
    });
  ioc.run();
  pool.clear();
  completions_on = nullptr;
  retention.reset();
  // Writes already queued are committed before the store closes.
  store->close();
  spdlog::warn("stopped{}", timed_out ? " after the drain timeout" : "");
  return 0;
}

}  // namespace hrs::server
