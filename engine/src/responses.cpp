#include "hrs/engine/responses.hpp"

#include <fmt/format.h>

#include "counting.hpp"
#include "hrs/engine/answers.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/locale.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"
#include "hrs/engine/surveys.hpp"
#include "hrs/engine/text_rules.hpp"
#include "store_impl.hpp"

namespace hrs::engine {

namespace {

using json = nlohmann::json;

// Everything the writer needs, prepared on the caller's thread so that the writer
// thread only binds and steps.
struct response_row {
  std::string survey;
  int version = 0;
  unix_seconds received_at = 0;
  std::string locale;
  std::string staff_json;
  std::string answers_json;
  packed_ratings ratings;
  std::vector<std::string> staff;
  std::vector<std::pair<std::string, std::string>> texts;  // (question id, what was written)
};

response_row make_row(const survey& d, unix_seconds received_at, std::string locale,
                      const validated_answers& valid, key_pool& keys) {
  response_row row{d.id,
                   d.version,
                   received_at,
                   std::move(locale),
                   json(valid.staff).dump(),
                   valid.answers.dump(-1, ' ', false, json::error_handler_t::strict),
                   {},
                   valid.staff,
                   {}};
  row.ratings = pack_response(d, day_of(received_at), valid.staff, valid.answers, keys);
  for (const auto& q : d.questions) {
    if (q.type != question_type::text) continue;
    if (auto it = valid.answers.find(q.id); it != valid.answers.end())
      row.texts.emplace_back(q.id, it->get<std::string>());
  }
  return row;
}

result<stored_response> insert_row(write_tx& tx, response_row& row) {
  auto stmt = tx.db().prepare(
      "INSERT INTO responses (survey, version, received_at, locale, staff, answers) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) return std::unexpected(stmt.error());
  // Only the UTC day is kept, not the time: answer times could be matched against the
  // times invitations were made and answered, and tie answers to HR cases. The caller
  // still gets the exact time in its acknowledgement.
  const unix_seconds received_day =
      static_cast<unix_seconds>(day_of(row.received_at)) * seconds_per_day;
  stmt->bind(1, std::string_view(row.survey))
      .bind(2, row.version)
      .bind(3, received_day)
      .bind(4, std::string_view(row.locale))
      .bind(5, std::string_view(row.staff_json))
      .bind(6, std::string_view(row.answers_json));
  if (auto ok = stmt->run(); !ok) return std::unexpected(ok.error());
  const auto id = tx.db().last_insert_rowid();
  if (!row.texts.empty()) {
    auto text = tx.db().prepare(
        "INSERT INTO response_texts (staff, day, response_id, question, received_at, locale, text, "
        "survey) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!text) return std::unexpected(text.error());
    for (const auto& who : row.staff) {
      for (const auto& [question, written] : row.texts) {
        text->bind(1, std::string_view(who)).bind(2, day_of(row.received_at)).bind(3, id);
        text->bind(4, std::string_view(question))
            .bind(5, received_day)
            .bind(6, std::string_view(row.locale));
        text->bind(7, std::string_view(written)).bind(8, std::string_view(row.survey));
        if (auto ok = text->run(); !ok) return std::unexpected(ok.error());
        text->reset();
      }
    }
  }
  tx.counted_response(id, row.ratings);
  return stored_response{id, row.received_at};
}

// The answered mark and the response are one step on the writer: of several submits
// of one token, exactly one sets the invitation's bit in answered_bits. The bit is set
// in place (the row keeps its size), so the file keeps no order of answering.
result<stored_response> answer_invitation(write_tx& tx, std::int64_t invitation,
                                          unix_seconds expires_at, response_row& row) {
  if (row.received_at >= expires_at) return fail(errc::gone, "this invitation has expired");
  auto mark = tx.db().prepare(
      "INSERT INTO answered_bits (block, bits) VALUES (?1 / 62, (1 << 62) | (1 << (?1 % 62))) "
      "ON CONFLICT (block) DO UPDATE SET bits = bits | (1 << (?1 % 62)) "
      "WHERE bits & (1 << (?1 % 62)) = 0");
  if (!mark) return std::unexpected(mark.error());
  mark->bind(1, invitation);
  if (auto ok = mark->run(); !ok) return std::unexpected(ok.error());
  if (tx.db().changes() == 0)
    return fail(errc::conflict, "this invitation has already been answered");
  return insert_row(tx, row);
}

answer_context roster_context(store& s, const std::vector<std::string>* invitation_staff) {
  return answer_context{invitation_staff,
                        [&s](std::string_view id) { return find_staff(s, id).has_value(); }};
}

result<std::string> answer_locale(const survey& d, const std::string& requested,
                                  const std::string& fallback) {
  if (requested.empty()) return fallback;
  if (!is_locale_tag(requested))
    return fail(errc::validation_failed, "the locale is invalid",
                {{"/locale", "not a language tag such as en or zh-Hant"}});
  return resolve_locale(d, requested);
}

}  // namespace

void submit_response(store& s, response_request request, completion<stored_response> done) {
  auto inv = find_invitation(s, request.token, token_use::answer);
  if (!inv) return done(std::unexpected(inv.error()));
  auto definition = find_survey(s, inv->survey, inv->version);
  if (!definition) return done(std::unexpected(definition.error()));
  auto locale = answer_locale(**definition, request.locale,
                              inv->locale.empty() ? (*definition)->default_locale : inv->locale);
  if (!locale) return done(std::unexpected(locale.error()));
  auto valid = validate_answers(**definition, request.answers, roster_context(s, &inv->staff));
  if (!valid) return done(std::unexpected(valid.error()));

  auto row = make_row(**definition, s.now(), std::move(*locale), *valid, s.impl().keys);
  s.impl().write<stored_response>(
      [invitation = inv->seq, expires_at = inv->expires_at, row = std::move(row)](
          write_tx& tx) mutable { return answer_invitation(tx, invitation, expires_at, row); },
      std::move(done));
}

result<stored_response> submit_response(store& s, response_request request) {
  return wait_for<stored_response>([&](completion<stored_response> done) {
    submit_response(s, std::move(request), std::move(done));
  });
}

void submit_campaign_response(store& s, campaign_response_request request,
                              completion<stored_response> done) {
  result<std::shared_ptr<const survey>> definition = fail(errc::not_found, "no survey has this id");
  if (is_safe_id(request.survey)) definition = find_active_survey(s, request.survey);
  if (!definition) return done(std::unexpected(definition.error()));
  if (!(*definition)->campaign)
    return done(fail(errc::not_found, "this survey takes no campaign responses"));
  auto locale = answer_locale(**definition, request.locale, (*definition)->default_locale);
  if (!locale) return done(std::unexpected(locale.error()));
  auto valid = validate_answers(**definition, request.answers, roster_context(s, nullptr));
  if (!valid) return done(std::unexpected(valid.error()));

  auto row = make_row(**definition, s.now(), std::move(*locale), *valid, s.impl().keys);
  s.impl().write<stored_response>(
      [row = std::move(row)](write_tx& tx) mutable { return insert_row(tx, row); },
      std::move(done));
}

result<stored_response> submit_campaign_response(store& s, campaign_response_request request) {
  return wait_for<stored_response>([&](completion<stored_response> done) {
    submit_campaign_response(s, std::move(request), std::move(done));
  });
}

result<std::size_t> import_responses(store& s, std::vector<historical_response> batch) {
  std::vector<response_row> rows;
  rows.reserve(batch.size());
  for (auto& r : batch) {
    auto definition = find_survey(s, r.survey, r.version);
    if (!definition) return std::unexpected(definition.error());
    auto valid = validate_answers(**definition, r.answers, roster_context(s, &r.staff));
    if (!valid) return std::unexpected(valid.error());
    rows.push_back(
        make_row(**definition, r.received_at, std::move(r.locale), *valid, s.impl().keys));
  }
  return s.impl().write_and_wait<std::size_t>([&rows](write_tx& tx) -> result<std::size_t> {
    for (auto& row : rows) {
      if (auto ok = insert_row(tx, row); !ok) return std::unexpected(ok.error());
    }
    return rows.size();
  });
}

}  // namespace hrs::engine
