#include "hrs/engine/invitations.hpp"

#include <fmt/format.h>

#include <set>

#include <nlohmann/json.hpp>

#include "crypto.hpp"
#include "hrs/engine/locale.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/survey.hpp"
#include "hrs/engine/surveys.hpp"
#include "hrs/engine/text_rules.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

namespace {

using json = nlohmann::json;

constexpr std::string_view select_columns =
    "SELECT id, survey, version, staff, locale, external_ref, created_at, expires_at, "
    "EXISTS (SELECT 1 FROM answered_bits a WHERE a.block = invitations.seq / 62 "
    "AND a.bits & (1 << (invitations.seq % 62)) != 0), seq "
    "FROM invitations ";

invitation read_row(sql::statement& stmt) {
  invitation inv;
  inv.id = stmt.column_text(0);
  inv.survey = stmt.column_text(1);
  inv.version = static_cast<int>(stmt.column_int(2));
  inv.staff = json::parse(stmt.column_view(3)).get<std::vector<std::string>>();
  inv.locale = stmt.column_text(4);
  if (!stmt.column_is_null(5)) inv.external_ref = stmt.column_text(5);
  inv.created_at = stmt.column_int(6);
  inv.expires_at = stmt.column_int(7);
  inv.answered = stmt.column_int(8) != 0;
  inv.seq = stmt.column_int(9);
  return inv;
}

result<std::optional<invitation>> find_by_ref(sql::connection& db, const std::string& ref) {
  auto stmt = db.prepare(std::string(select_columns) + "WHERE external_ref = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, std::string_view(ref));
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<invitation>{};
  return std::optional<invitation>{read_row(*stmt)};
}

// Runs on the writer: the external_ref check and the insert are one step, so two
// requests with one ref cannot both create.
result<invitation> insert_invitation(write_tx& tx, invitation inv) {
  if (inv.external_ref) {
    auto existing = find_by_ref(tx.db(), *inv.external_ref);
    if (!existing) return std::unexpected(existing.error());
    if (*existing) {
      if ((*existing)->survey != inv.survey || (*existing)->staff != inv.staff)
        return fail(errc::conflict,
                    "this external_ref already has an invitation for another survey or staff",
                    {{"/external_ref", "already used"}});
      return **existing;
    }
  }
  auto token = crypto::random_token();
  auto id = crypto::random_token(12);
  if (!token || !id) return fail(errc::internal, "no random token could be made");
  const auto hash = crypto::sha256(*token);
  inv.id = "inv_" + *id;
  inv.created_at = tx.now();
  inv.expires_at += tx.now();  // holds the lifetime in seconds until here
  auto stmt = tx.db().prepare(
      "INSERT INTO invitations (id, token_hash, survey, version, staff, locale, external_ref, "
      "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, std::string_view(inv.id))
      .bind_blob(2, hash.data(), hash.size())
      .bind(3, std::string_view(inv.survey))
      .bind(4, inv.version)
      .bind(5, std::string_view(json(inv.staff).dump()))
      .bind(6, std::string_view(inv.locale))
      .bind(7, inv.external_ref)
      .bind(8, inv.created_at)
      .bind(9, inv.expires_at);
  if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
  // The block of answered marks is made with its first invitation, so that rows of
  // answered_bits are added in the order invitations are made, never answered.
  auto block = tx.db().prepare(
      "INSERT INTO answered_bits (block, bits) VALUES (?1 / 62, 1 << 62) ON CONFLICT (block) DO "
      "NOTHING");
  if (!block) return std::unexpected(block.error());
  block->bind(1, tx.db().last_insert_rowid());
  if (auto ok = block->run(); !ok) return std::unexpected(ok.error());
  inv.token = std::move(*token);
  inv.created = true;
  return inv;
}

result<invitation> prepare_invitation(store& s, const invitation_request& request) {
  std::vector<detail> problems;
  result<std::shared_ptr<const survey>> definition = fail(errc::not_found, "no survey has this id");
  if (is_safe_id(request.survey)) definition = find_active_survey(s, request.survey);
  if (!definition) {
    if (definition.error().code != errc::not_found) return std::unexpected(definition.error());
    problems.push_back({"/survey", "no survey has this id"});
  }
  if (request.staff.empty()) problems.push_back({"/staff", "name at least one staff member"});
  if (request.staff.size() > 10) problems.push_back({"/staff", "name at most 10 staff members"});
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < request.staff.size(); ++i) {
    const auto& id = request.staff[i];
    const auto path = fmt::format("/staff/{}", i);
    if (!is_safe_id(id)) {
      problems.push_back({path, "not a valid staff id"});
    } else if (!seen.insert(id).second) {
      problems.push_back({path, "named twice"});
    } else if (auto found = find_staff(s, id); !found) {
      if (found.error().code != errc::not_found) return std::unexpected(found.error());
      problems.push_back({path, fmt::format("no staff member has the id {}", id)});
    }
  }
  if (!request.locale.empty() && !is_locale_tag(request.locale))
    problems.push_back({"/locale", "not a language tag such as en or zh-Hant"});
  if (request.external_ref && (!is_clean_text(*request.external_ref) ||
                               request.external_ref->empty() || request.external_ref->size() > 200))
    problems.push_back({"/external_ref", "must be 1 to 200 bytes of text"});
  if (request.expires_in_days < 1 || request.expires_in_days > 365)
    problems.push_back({"/expires_in_days", "must be from 1 to 365"});
  if (!problems.empty())
    return fail(errc::validation_failed, "the invitation request is invalid", std::move(problems));

  invitation inv;
  inv.survey = (*definition)->id;
  inv.version = (*definition)->version;
  inv.staff = request.staff;
  // None given stays none (stored as ''), so that the respondent's browser decides
  // before the template's default does.
  if (!request.locale.empty()) inv.locale = resolve_locale(**definition, request.locale);
  inv.external_ref = request.external_ref;
  inv.expires_at = static_cast<unix_seconds>(request.expires_in_days) * seconds_per_day;
  return inv;
}

}  // namespace

void create_invitation(store& s, invitation_request request, completion<invitation> done) {
  auto prepared = prepare_invitation(s, request);
  if (!prepared) return done(std::unexpected(prepared.error()));
  s.impl().write<invitation>(
      [inv = std::move(*prepared)](write_tx& tx) { return insert_invitation(tx, inv); },
      std::move(done));
}

result<invitation> create_invitation(store& s, invitation_request request) {
  return wait_for<invitation>([&](completion<invitation> done) {
    create_invitation(s, std::move(request), std::move(done));
  });
}

result<invitation> find_invitation(store& s, std::string_view token, token_use use) {
  if (!crypto::looks_like_token(token))
    return fail(errc::not_found, "no invitation has this token");
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare(std::string(select_columns) + "WHERE token_hash = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  const auto hash = crypto::sha256(token);
  stmt->bind_blob(1, hash.data(), hash.size());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(errc::not_found, "no invitation has this token");
  auto inv = read_row(*stmt);
  if (use == token_use::answer) {
    if (inv.answered) return fail(errc::conflict, "this invitation has already been answered");
    if (inv.expires_at <= s.now()) return fail(errc::gone, "this invitation has expired");
  }
  return inv;
}

result<invitation_tally> tally_invitations(store& s, day_number from, day_number to,
                                           const std::optional<std::string>& survey) {
  auto reader = s.impl().read();
  if (!reader) return std::unexpected(reader.error());
  auto stmt = reader->db().prepare(
      "SELECT count(*), count(a.block) FROM invitations i "
      "LEFT JOIN answered_bits a ON a.block = i.seq / 62 AND a.bits & (1 << (i.seq % 62)) != 0 "
      "WHERE i.created_at >= ?1 AND i.created_at < ?2 AND (?3 IS NULL OR i.survey = ?3)");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind(1, static_cast<unix_seconds>(from) * seconds_per_day)
      .bind(2, (static_cast<unix_seconds>(to) + 1) * seconds_per_day)
      .bind(3, survey);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  return invitation_tally{stmt->column_int(0), stmt->column_int(1)};
}

}  // namespace hrs::engine
