#pragma once

#include <functional>
#include <future>

#include "hrs/engine/error.hpp"

namespace hrs::engine {

// Called once with the outcome of an asynchronous store operation, on the writer
// thread: keep it short, and hand socket work back to its own executor.
template <class T>
using completion = std::function<void(result<T>)>;

// Starts an asynchronous operation and blocks the calling thread until it completes.
// For the command line and tests; request handlers use the completion form.
template <class T, class Start>
[[nodiscard]] result<T> wait_for(Start&& start) {
  std::promise<result<T>> promise;
  auto future = promise.get_future();
  start([&promise](result<T> outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

}  // namespace hrs::engine
