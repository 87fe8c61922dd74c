#include "client_address.hpp"

#include <algorithm>
#include <string>

namespace hrs::server {

namespace net = boost::asio;

client_key key_of(const net::ip::address& address) {
  client_key key;
  if (address.is_v4()) {
    key.bytes = net::ip::make_address_v6(net::ip::v4_mapped, address.to_v4()).to_bytes();
    return key;
  }
  key.bytes = address.to_v6().to_bytes();
  if (!address.to_v6().is_v4_mapped()) std::fill(key.bytes.begin() + 8, key.bytes.end(), 0);
  return key;
}

net::ip::address client_address(const request& req, const net::ip::address& peer,
                                const std::vector<net::ip::address>& trusted) {
  const auto is_trusted = [&](const net::ip::address& a) {
    return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
  };
  if (trusted.empty() || !is_trusted(peer)) return peer;
  // Proxies append the address they received from, so the list is read from the right.
  auto forwarded = std::string_view(req["X-Forwarded-For"]);
  while (!forwarded.empty()) {
    const auto comma = forwarded.rfind(',');
    auto entry = comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1);
    forwarded = comma == std::string_view::npos ? std::string_view{} : forwarded.substr(0, comma);
    while (!entry.empty() && entry.front() == ' ')
      entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ')
      entry.remove_suffix(1);
    boost::system::error_code ec;
    const auto address = net::ip::make_address(std::string(entry), ec);
    // A malformed entry ends the trusted part of the chain: count the last proxy.
    if (ec) return peer;
    if (!is_trusted(address)) return address;
  }
  return peer;
}

}  // namespace hrs::server
