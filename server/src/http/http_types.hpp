#pragma once

#include <boost/beast/http.hpp>

#include <functional>

namespace hrs::server {

namespace http = boost::beast::http;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// Delivers the one response to a request. Callable from any thread (the writer
// completes writes): it hands the response to the connection's own executor.
using responder = std::function<void(response)>;

}  // namespace hrs::server
