#include "json_body.hpp"

#include <fmt/format.h>
#include <boost/beast/core/string.hpp>

#include <vector>

namespace hrs::server {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_depth = 32;

// Builds the document as nlohmann's own DOM parser does, watching on the way for what
// that parser lets through: a key that its object already has (the last would win
// silently) and nesting deeper than max_depth. A SAX handler of our own, rather than
// json::parse with a callback, because the callback form hands every event to a
// std::function with a json copy of the token, and spent more than the parse itself.
//
// The depth rule is the callback's: an event that is not a container's end is too deep
// when more than max_depth containers enclose it. After a duplicate key the document
// is of no use; the rest of the body is only checked (well-formed, not too deep).
class strict_dom {
 public:
  explicit strict_dom(json& root) : root_(root) {}

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(json::number_integer_t v) { return value(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value(v); }
  bool number_float(json::number_float_t v, const json::string_t&) { return value(v); }
  bool string(json::string_t& v) { return value(std::move(v)); }
  bool binary(json::binary_t& v) { return value(std::move(v)); }
  bool start_object(std::size_t) { return open(json::value_t::object); }
  bool start_array(std::size_t) { return open(json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& k) {
    watch_depth();
    if (!building()) return true;
    auto& members = open_.back()->get_ref<json::object_t&>();
    // try_emplace leaves `k` as it was when the key exists already.
    auto [it, added] = members.try_emplace(std::move(k));
    if (!added) {
      duplicate_ = k;
      return true;
    }
    member_ = &it->second;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    malformed_ = e.what();
    return false;
  }

  // Empty unless the body is not JSON; then the parser's message, for the log.
  const std::string& malformed() const noexcept { return malformed_; }
  bool too_deep() const noexcept { return too_deep_; }
  // Empty unless an object had a key twice; then the first such key.
  const std::string& duplicate() const noexcept { return duplicate_; }

 private:
  bool building() const noexcept { return duplicate_.empty(); }
  void watch_depth() noexcept {
    if (depth_ > max_depth) too_deep_ = true;
  }

  // Puts `v` where the parser is: the root, the end of the open array, or the value of
  // the object member whose key came last. Returns where it went.
  json* place(json v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    auto& parent = *open_.back();
    if (parent.is_array()) return &parent.get_ref<json::array_t&>().emplace_back(std::move(v));
    *member_ = std::move(v);
    return member_;
  }

  bool value(json v) {
    watch_depth();
    if (building()) place(std::move(v));
    return true;
  }

  bool open(json::value_t kind) {
    watch_depth();
    if (building()) open_.push_back(place(json(kind)));
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (building()) open_.pop_back();
    return true;
  }

  json& root_;
  // The open containers, innermost last. A pointer stays valid while its container is
  // open: nothing is added to an array while a child of it is open.
  std::vector<json*> open_;
  json* member_ = nullptr;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
  std::string duplicate_;
  std::string malformed_;
};

}  // namespace

bool has_content_type(const request& req, std::string_view type) {
  auto value = std::string_view(req[http::field::content_type]);
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ')
    value.remove_suffix(1);
  // ASCII case only, as HTTP wants: boost::algorithm::iequals consults the locale for
  // every character.
  return boost::beast::iequals(value, type);
}

engine::result<nlohmann::json> parse_json_body(const request& req) {
  using engine::errc;
  if (!has_content_type(req, "application/json"))
    return engine::fail(errc::unsupported_media_type, "the body must be application/json");

  json body;
  strict_dom dom(body);
  json::sax_parse(req.body(), &dom);
  if (!dom.malformed().empty())
    return engine::fail(errc::validation_failed, "the body is not valid JSON",
                        {{"", "malformed JSON or invalid UTF-8"}}, dom.malformed());
  if (dom.too_deep())
    return engine::fail(errc::validation_failed, "the body is nested too deeply",
                        {{"", "at most 32 levels"}});
  if (!dom.duplicate().empty())
    return engine::fail(
        errc::validation_failed, "the body has a key twice",
        {{"", fmt::format("the key \"{}\" appears twice in one object", dom.duplicate())}});
  return body;
}

}  // namespace hrs::server
