#pragma once

#include <boost/asio/ip/address.hpp>

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "http_types.hpp"

namespace hrs::server {

// Whom per-client limits count against: an IPv4 address, or an IPv6 /64 (one host
// usually holds a whole /64, and counting its addresses apart would let it pick a new
// one per request). Stored as 16 bytes, IPv4 as an IPv4-mapped IPv6 address.
struct client_key {
  std::array<unsigned char, 16> bytes{};
  friend bool operator==(const client_key&, const client_key&) = default;
};

struct client_key_hash {
  std::size_t operator()(const client_key& k) const noexcept {
    return std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(k.bytes.data()), k.bytes.size()));
  }
};

client_key key_of(const boost::asio::ip::address& address);

// The address a request comes from: the peer's, unless the peer is one of the trusted
// proxies; then the nearest X-Forwarded-For entry that is not a trusted proxy (the
// entries further left are the client's say-so and can be forged).
boost::asio::ip::address client_address(const request& req, const boost::asio::ip::address& peer,
                                        const std::vector<boost::asio::ip::address>& trusted);

}  // namespace hrs::server
