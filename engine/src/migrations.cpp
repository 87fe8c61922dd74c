#include "migrations.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "hrs/engine/store.hpp"

namespace hrs::engine {

namespace {

// Each entry moves the schema from version i to i+1. Never edit a shipped entry:
// append a new one.
constexpr std::array<std::string_view, 5> migrations = {
    // 1: templates, roster, invitations, responses.
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE surveys (
  id         TEXT NOT NULL,
  version    INTEGER NOT NULL CHECK (version >= 1),
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (id, version)
) WITHOUT ROWID;

CREATE TABLE staff (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  team       TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE invitations (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  token_hash   BLOB NOT NULL UNIQUE,
  survey       TEXT NOT NULL,
  version      INTEGER NOT NULL,
  staff        TEXT NOT NULL,
  locale       TEXT NOT NULL,
  external_ref TEXT UNIQUE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  FOREIGN KEY (survey, version) REFERENCES surveys (id, version)
);

-- Which invitations were answered: the invitation's number only, never by which
-- response or when, so nothing ties a response to the HR case or the employee behind
-- it. Kept apart from invitations because marking one answered then adds to the end of
-- a small B-tree (answers come roughly in the order invitations were made) instead of
-- rewriting a random page of the large invitations table for every response.
CREATE TABLE answered_invitations (
  invitation INTEGER PRIMARY KEY REFERENCES invitations (seq)
);

CREATE TABLE responses (
  id          INTEGER PRIMARY KEY,
  survey      TEXT NOT NULL,
  version     INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  locale      TEXT NOT NULL,
  staff       TEXT NOT NULL,
  answers     TEXT NOT NULL
);
CREATE INDEX responses_by_survey_version ON responses (survey, version);
)sql",
    // 2: aggregates, the texts respondents wrote, and access tokens.
    R"sql(
-- Counts of the ratings 1..5 per (survey, UTC day, staff, dimension, segment). staff ''
-- counts each response once for the whole department; segment '' is every response,
-- 'question=value' the responses with that answer to a segment question.
CREATE TABLE agg_day (
  survey    TEXT NOT NULL,
  day       INTEGER NOT NULL,
  staff     TEXT NOT NULL,
  dimension TEXT NOT NULL,
  segment   TEXT NOT NULL,
  c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
  c4 INTEGER NOT NULL, c5 INTEGER NOT NULL,
  PRIMARY KEY (survey, day, staff, dimension, segment)
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('folded_through_response', 0);

-- What respondents wrote, per staff member named, so that a staff member's comments of
-- a period are read without scanning responses, and can be erased after a retention
-- period without touching the ratings.
CREATE TABLE response_texts (
  staff       TEXT NOT NULL,
  survey      TEXT NOT NULL,
  day         INTEGER NOT NULL,
  response_id INTEGER NOT NULL,
  question    TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  locale      TEXT NOT NULL,
  text        TEXT NOT NULL,
  PRIMARY KEY (staff, day, response_id, question)
) WITHOUT ROWID;

CREATE TABLE access_tokens (
  id         TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'integration')),
  team       TEXT,
  label      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
)sql",
    // 3: month buckets beside the days, and keys ordered for the reports' reads, so that
    // a period costs about the same whatever its length: whole months come from
    // agg_month, the rest from agg_day.
    R"sql(
CREATE TABLE agg_day_by_segment (
  survey    TEXT NOT NULL,
  day       INTEGER NOT NULL,
  staff     TEXT NOT NULL,
  dimension TEXT NOT NULL,
  segment   TEXT NOT NULL,
  c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
  c4 INTEGER NOT NULL, c5 INTEGER NOT NULL,
  PRIMARY KEY (segment, day, staff, dimension, survey)
) WITHOUT ROWID;
INSERT INTO agg_day_by_segment SELECT survey, day, staff, dimension, segment, c1, c2, c3, c4, c5
  FROM agg_day;
DROP TABLE agg_day;
ALTER TABLE agg_day_by_segment RENAME TO agg_day;
CREATE INDEX agg_day_by_staff ON agg_day (staff, day);

-- The same counts per calendar month; `month` is the day number of the month's first
-- day. Always updated in the transaction that updates agg_day.
CREATE TABLE agg_month (
  survey    TEXT NOT NULL,
  month     INTEGER NOT NULL,
  staff     TEXT NOT NULL,
  dimension TEXT NOT NULL,
  segment   TEXT NOT NULL,
  c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
  c4 INTEGER NOT NULL, c5 INTEGER NOT NULL,
  PRIMARY KEY (segment, month, staff, dimension, survey)
) WITHOUT ROWID;
CREATE INDEX agg_month_by_staff ON agg_month (staff, month);
INSERT INTO agg_month
  SELECT survey,
         CAST(julianday(day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
         staff, dimension, segment, sum(c1), sum(c2), sum(c3), sum(c4), sum(c5)
  FROM agg_day GROUP BY 1, 2, 3, 4, 5;

-- The response rate of a period counts the invitations created in it.
CREATE INDEX invitations_by_created_at ON invitations (created_at, survey);
)sql",
    // 4: the audit log of admin actions, each written in the transaction of its action.
    R"sql(
-- Who changed templates, the roster or access tokens, what, and when (UTC). actor_id is
-- an access token's id (never the token) or 'cli'; details is a JSON object.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor_id    TEXT NOT NULL,
  actor_label TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT NOT NULL,
  details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_at ON audit_log (at);
)sql",
    // 5: answered marks that keep no order. A row per answered invitation, appended to a
    // B-tree page, lands below the cells added before it, so the byte offsets of the
    // marks gave away the order in which invitations were answered: the order of the
    // response ids. Now each invitation is one bit of a block of 62, whose row exists
    // from when the block's first invitation is made; bit 62 is always set so that the
    // value always takes 8 bytes and setting a bit rewrites the row in place. The old
    // table's pages are overwritten when dropped (secure_delete on the write connection).
    R"sql(
CREATE TABLE answered_bits (
  block INTEGER PRIMARY KEY,  -- invitations.seq / 62
  bits  INTEGER NOT NULL      -- bit (seq % 62) set once answered, bit 62 always set
);
INSERT INTO answered_bits (block, bits)
  SELECT i.seq / 62,
         (1 << 62) + coalesce(sum(CASE WHEN a.invitation IS NULL THEN 0
                                       ELSE 1 << (i.seq % 62) END), 0)
  FROM invitations i LEFT JOIN answered_invitations a ON a.invitation = i.seq
  GROUP BY i.seq / 62 ORDER BY 1;
DROP TABLE answered_invitations;
)sql",
};

result<int> schema_version(sql::connection& db) {
  auto stmt = db.prepare("PRAGMA user_version");
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  return static_cast<int>(stmt->column_int(0));
}

}  // namespace

int current_schema_version() noexcept {
  return static_cast<int>(migrations.size());
}

result<void> apply_migrations(sql::connection& db, int up_to) {
  for (;;) {
    // The version is read inside the write transaction, so that two processes opening a
    // new store at once apply each migration once.
    auto tx = sql::transaction::begin(db, sql::transaction::kind::immediate);
    if (!tx) return std::unexpected(tx.error());
    auto version = schema_version(db);
    if (!version) return std::unexpected(version.error());
    if (*version > current_schema_version()) {
      return fail(errc::unavailable,
                  fmt::format("the store has schema version {}, newer than this hrsurvey knows "
                              "({}); run a newer hrsurvey or restore a backup",
                              *version, current_schema_version()));
    }
    if (*version >= up_to) return tx->commit();
    if (auto ok = db.exec(migrations[static_cast<std::size_t>(*version)]); !ok)
      return std::unexpected(ok.error());
    if (auto ok = db.exec(fmt::format("PRAGMA user_version = {}", *version + 1)); !ok)
      return std::unexpected(ok.error());
    if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
  }
}

}  // namespace hrs::engine
