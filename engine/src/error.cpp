#include "hrs/engine/error.hpp"

namespace hrs::engine {

std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::validation_failed:
      return "validation_failed";
    case errc::unauthorized:
      return "unauthorized";
    case errc::forbidden:
      return "forbidden";
    case errc::not_found:
      return "not_found";
    case errc::conflict:
      return "conflict";
    case errc::gone:
      return "gone";
    case errc::too_large:
      return "too_large";
    case errc::unsupported_media_type:
      return "unsupported_media_type";
    case errc::too_many_requests:
      return "too_many_requests";
    case errc::unavailable:
      return "unavailable";
    case errc::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace hrs::engine
