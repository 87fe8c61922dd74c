#pragma once

#include <exception>
#include <memory>
#include <optional>

#include "hrs/engine/completion.hpp"
#include "hrs/engine/store.hpp"
#include "packed_counts.hpp"
#include "reader_pool.hpp"
#include "survey_catalog.hpp"
#include "writer.hpp"

namespace hrs::engine::detail_store {

class store_impl {
 public:
  explicit store_impl(store_options opts)
      : options(std::move(opts)),
        readers(options.file, options.reader_connections),
        catalog(readers) {}

  store_options options;
  reader_pool readers;
  survey_catalog catalog;
  key_pool keys;
  std::unique_ptr<engine::writer> writer;

  [[nodiscard]] result<reader_lease> read() { return readers.acquire(); }

  // Queues `run` (a callable write_tx& -> result<T>) for the writer; `done` gets its
  // result after the commit that holds it, or the error that stopped it.
  enum class finish_on { completions, writer_thread };

  template <class T, class Run>
  void write(Run run, completion<T> done, finish_on where = finish_on::completions) {
    auto slot = std::make_shared<std::optional<result<T>>>();
    write_job job{
        [slot, run = std::move(run)](write_tx& tx) mutable {
          try {
            slot->emplace(run(tx));
          } catch (const std::exception& e) {
            slot->emplace(fail(errc::internal, "the store failed", {}, e.what()));
          } catch (...) {
            slot->emplace(fail(errc::internal, "the store failed", {}, "unknown exception"));
          }
          return (*slot)->has_value();
        },
        [slot, done](const error* err) {
          if (err != nullptr) {
            done(std::unexpected(*err));
          } else {
            done(std::move(**slot));
          }
        },
        where == finish_on::writer_thread};
    if (auto ok = writer->post(std::move(job)); !ok) done(std::unexpected(ok.error()));
  }

  // The blocking form of write(), for operations that are rare or run from the CLI.
  template <class T, class Run>
  [[nodiscard]] result<T> write_and_wait(Run run) {
    return wait_for<T>([&](completion<T> done) {
      write<T>(std::move(run), std::move(done), finish_on::writer_thread);
    });
  }
};

}  // namespace hrs::engine::detail_store
