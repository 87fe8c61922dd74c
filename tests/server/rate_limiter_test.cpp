// The per-address token bucket on its own, with a clock the test moves: what a client
// may send when, how long it is told to wait, and that memory stays bounded.

#include <catch2/catch.hpp>

#include <boost/asio/ip/address.hpp>

#include "client_address.hpp"
#include "rate_limiter.hpp"

using hrs::server::client_key;
using hrs::server::key_of;
using hrs::server::rate_limiter;
using namespace std::chrono_literals;

namespace {

client_key address(const char* text) {
  return key_of(boost::asio::ip::make_address(text));
}

}  // namespace

TEST_CASE("a client spends its burst, then one request per refill interval", "[rate]") {
  rate_limiter limits({.per_minute = 6, .burst = 3, .max_clients = 100});  // one per 10 s
  const auto a = address("192.0.2.1");
  const rate_limiter::clock::time_point t0{};

  for (int i = 0; i < 3; ++i)
    CHECK_FALSE(limits.take(a, t0));
  CHECK(limits.take(a, t0) == 10s);
  CHECK(limits.take(a, t0 + 4s) == 6s);  // refused requests spend nothing
  CHECK_FALSE(limits.take(a, t0 + 10s));
  CHECK(limits.take(a, t0 + 10s) == 10s);
  // Never more than the burst, however long the client was away.
  const auto later = t0 + 1h;
  for (int i = 0; i < 3; ++i)
    CHECK_FALSE(limits.take(a, later));
  CHECK(limits.take(a, later));
  // Others have their own buckets.
  CHECK_FALSE(limits.take(address("192.0.2.2"), t0));
}

TEST_CASE("wait and charge let failures alone spend the budget", "[rate]") {
  rate_limiter limits({.per_minute = 1, .burst = 2, .max_clients = 100});
  const auto a = address("198.51.100.7");
  const rate_limiter::clock::time_point t0{};
  CHECK_FALSE(limits.wait(a, t0));
  CHECK(limits.tracked() == 0);  // asking costs no memory
  limits.charge(a, t0);
  CHECK_FALSE(limits.wait(a, t0));
  limits.charge(a, t0);
  CHECK(limits.wait(a, t0) == 60s);
  CHECK(limits.wait(a, t0 + 59s) == 1s);
  CHECK_FALSE(limits.wait(a, t0 + 60s));
}

TEST_CASE("a limit of 0 per minute lets everything through and keeps nothing", "[rate]") {
  rate_limiter limits({.per_minute = 0, .burst = 1, .max_clients = 100});
  for (int i = 0; i < 100; ++i)
    CHECK_FALSE(limits.take(address("203.0.113.9"), {}));
  CHECK(limits.tracked() == 0);
}

TEST_CASE("at most max_clients are kept and the least recently seen is forgotten", "[rate]") {
  rate_limiter limits({.per_minute = 1, .burst = 1, .max_clients = 3});
  const rate_limiter::clock::time_point t0{};
  const auto a = address("10.0.0.1");
  const auto b = address("10.0.0.2");
  const auto c = address("10.0.0.3");
  const auto d = address("10.0.0.4");
  CHECK_FALSE(limits.take(a, t0));
  CHECK_FALSE(limits.take(b, t0));
  CHECK_FALSE(limits.take(c, t0));
  CHECK(limits.take(a, t0));  // a is now the most recently seen; b the least
  CHECK_FALSE(limits.take(d, t0));
  CHECK(limits.tracked() == 3);
  CHECK_FALSE(limits.take(b, t0));  // forgotten: a full bucket again
  CHECK(limits.take(a, t0));        // remembered: still empty
}

TEST_CASE("an IPv6 client is counted by its /64 and IPv4 by its address", "[rate]") {
  CHECK(address("2001:db8:1:2::1") == address("2001:db8:1:2:ffff::9"));
  CHECK_FALSE(address("2001:db8:1:2::1") == address("2001:db8:1:3::1"));
  CHECK_FALSE(address("192.0.2.1") == address("192.0.2.2"));
  CHECK(address("::ffff:192.0.2.1") == address("192.0.2.1"));
}
