#pragma once

#include <boost/beast/http.hpp>

#include <memory>

namespace hrs::server {

namespace http = boost::beast::http;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// Where the response to a request goes: the connection that read it.
class response_sink {
 public:
  // Callable from any thread: hands the response to the connection's own executor.
  virtual void deliver(response res) = 0;

 protected:
  ~response_sink() = default;
};

// Delivers the one response to a request. Callable from any thread (the writer
// completes writes). A copy shares the sink and keeps the connection alive; unlike a
// std::function holding the same, making one allocates nothing.
class responder {
 public:
  explicit responder(std::shared_ptr<response_sink> sink) noexcept : sink_(std::move(sink)) {}
  void operator()(response res) const { sink_->deliver(std::move(res)); }

 private:
  std::shared_ptr<response_sink> sink_;
};

}  // namespace hrs::server
