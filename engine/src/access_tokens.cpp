#include "hrs/engine/access_tokens.hpp"

#include "audit_record.hpp"
#include "crypto.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/text_rules.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

namespace {

constexpr std::string_view token_prefix = "hrs_";
constexpr std::string_view select_columns =
    "SELECT id, role, team, label, created_at, revoked_at FROM access_tokens ";

access_token read_row(sql::statement& stmt) {
  access_token t;
  t.id = stmt.column_text(0);
  t.granted = parse_role(stmt.column_view(1)).value_or(role::lead);
  if (!stmt.column_is_null(2)) t.team = stmt.column_text(2);
  t.label = stmt.column_text(3);
  t.created_at = stmt.column_int(4);
  if (!stmt.column_is_null(5)) t.revoked_at = stmt.column_int(5);
  return t;
}

bool looks_like_access_token(std::string_view token) {
  return token.size() == token_prefix.size() + 32 && token.starts_with(token_prefix);
}

}  // namespace

std::string_view to_string(role r) noexcept {
  switch (r) {
    case role::admin:
      return "admin";
    case role::lead:
      return "lead";
    case role::integration:
      return "integration";
  }
  return "lead";
}

std::optional<role> parse_role(std::string_view text) noexcept {
  for (role r : {role::admin, role::lead, role::integration})
    if (to_string(r) == text) return r;
  return std::nullopt;
}

result<access_token> create_access_token(store& s, const access_token_request& request,
                                         const actor& by) {
  std::vector<detail> problems;
  if (request.team && request.granted != role::lead)
    problems.push_back({"/team", "only lead tokens are scoped to a team"});
  if (request.team &&
      (request.team->empty() || request.team->size() > 100 || !is_clean_text(*request.team)))
    problems.push_back({"/team", "must be 1 to 100 characters of text"});
  if (request.label.size() > 200 || !is_clean_text(request.label))
    problems.push_back({"/label", "must be at most 200 characters of text"});
  if (!problems.empty())
    return fail(errc::validation_failed, "the token request is invalid", std::move(problems));

  auto secret = crypto::random_token(24);
  auto id = crypto::random_token(9);
  if (!secret || !id) return fail(errc::internal, "no random token could be made");
  access_token created{"tok_" + *id,    std::string(token_prefix) + *secret,
                       request.granted, request.team,
                       request.label,   0,
                       std::nullopt};
  const auto hash = crypto::sha256(*created.token);
  return s.impl().write_and_wait<access_token>([&](write_tx& tx) -> result<access_token> {
    auto stmt = tx.db().prepare(
        "INSERT INTO access_tokens (id, token_hash, role, team, label, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!stmt) return std::unexpected(stmt.error());
    created.created_at = tx.now();
    stmt->bind(1, std::string_view(created.id))
        .bind_blob(2, hash.data(), hash.size())
        .bind(3, to_string(created.granted))
        .bind(4, created.team)
        .bind(5, std::string_view(created.label))
        .bind(6, created.created_at);
    if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
    const nlohmann::json details = {
        {"role", to_string(created.granted)},
        {"team", created.team ? nlohmann::json(*created.team) : nlohmann::json(nullptr)},
        {"label", created.label}};
    if (auto ok = record_audit(tx, by, "token.created", created.id, details); !ok)
      return std::unexpected(ok.error());
    return created;
  });
}

result<access_token> authenticate(store& s, std::string_view token) {
  if (!looks_like_access_token(token))
    return fail(errc::unauthorized, "the access token is not valid");
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare(std::string(select_columns) + "WHERE token_hash = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  const auto hash = crypto::sha256(token);
  stmt->bind_blob(1, hash.data(), hash.size());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(errc::unauthorized, "the access token is not valid");
  auto t = read_row(*stmt);
  if (t.revoked_at) return fail(errc::unauthorized, "the access token has been revoked");
  return t;
}

result<std::vector<access_token>> list_access_tokens(store& s) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare(std::string(select_columns) + "ORDER BY created_at, id");
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<access_token> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    out.push_back(read_row(*stmt));
  }
}

result<access_token> revoke_access_token(store& s, std::string_view id, const actor& by) {
  const std::string key(id);
  return s.impl().write_and_wait<access_token>([&](write_tx& tx) -> result<access_token> {
    auto update = tx.db().prepare(
        "UPDATE access_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
    if (!update) return std::unexpected(update.error());
    update->bind(1, std::string_view(key)).bind(2, tx.now());
    if (auto ok = update->run(); !ok) return std::unexpected(ok.error());
    if (tx.db().changes() > 0) {
      if (auto ok = record_audit(tx, by, "token.revoked", key, nlohmann::json::object()); !ok)
        return std::unexpected(ok.error());
    }
    auto find = tx.db().prepare(std::string(select_columns) + "WHERE id = ?1");
    if (!find) return std::unexpected(find.error());
    find->bind(1, std::string_view(key));
    auto row = find->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(errc::not_found, "no access token has this id");
    return read_row(*find);
  });
}

}  // namespace hrs::engine
