#include "sync/central/store/store.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <array>
#include <string>
#include <string_view>
#include <system_error>

#include "shared/meeting_rows.h"
#include "shared/sqlite/migrations.h"

namespace cmetrack::central {
namespace {

// Step i takes the schema from version i to i+1. Never edit a released step:
// add one.
const std::array<std::string, 8> schema_steps = {
    std::string(meeting_rows_schema()) + R"sql(
CREATE TABLE attendees (
  badge           TEXT PRIMARY KEY,
  first_name      TEXT NOT NULL,
  last_name       TEXT NOT NULL,
  degree          TEXT,
  email           TEXT,
  npi             TEXT,
  license_state   TEXT,
  license_id      TEXT,
  board           TEXT,
  board_id        TEXT,
  birth_month_day TEXT
);
-- Every scan ever received, once (the id is the idempotency key). `badge`
-- is the id the meeting's pattern takes out of `payload`, NULL where the
-- payload fails it (quarantined: invalid_badge). A room the meeting does not
-- know is quarantined when credit is computed, so that a room added later
-- counts.
CREATE TABLE scans (
  id          TEXT PRIMARY KEY,
  kiosk       TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  payload     TEXT NOT NULL,
  badge       TEXT,
  room        TEXT NOT NULL,
  door        TEXT NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out', 'auto')),
  at_ms       INTEGER NOT NULL,
  source      TEXT,
  received_ms INTEGER NOT NULL,
  id_hash     INTEGER NOT NULL  -- scan_id_hash(id): orders scans that agree on time, kiosk and seq
);
-- One badge's scans in processing order, covering what the engine reads:
-- one attendee's transcript is one range of this index, and a full
-- recompute reads it front to back, badge by badge.
CREATE INDEX scans_by_badge ON scans (badge, at_ms, kiosk, seq, room, direction, id_hash);
)sql",
    // cmetrack-central serve: enrolled kiosks and their tokens, scans a
    // batch could not store, the kiosk's own time of a scan.
    R"sql(
-- The time the kiosk stamped on a scan that came in a batch; at_ms differs
-- from it where the central node corrected the kiosk's clock skew. NULL for
-- scans from a scans file.
ALTER TABLE scans ADD COLUMN kiosk_at_ms INTEGER;
-- Each enrolled kiosk, what it is bound to, and what it last reported.
CREATE TABLE kiosks (
  id              TEXT PRIMARY KEY,
  room            TEXT NOT NULL,
  door            TEXT NOT NULL,
  mode            TEXT NOT NULL CHECK (mode IN ('auto', 'entry', 'exit')),
  enrolled_ms     INTEGER NOT NULL,
  last_contact_ms INTEGER,
  clock_offset_ms INTEGER,  -- central's clock minus the kiosk's, as its agent last measured
  backlog         INTEGER,  -- scans still queued at the kiosk, as it last said
  quarantined     INTEGER NOT NULL DEFAULT 0
);
-- Kiosk tokens by their SHA-256 (hex); the token itself is never stored.
-- Re-enrolling or revoking a kiosk revokes its live token.
CREATE TABLE kiosk_tokens (
  token_sha256 TEXT PRIMARY KEY,
  kiosk        TEXT NOT NULL REFERENCES kiosks (id),
  issued_ms    INTEGER NOT NULL,
  revoked_ms   INTEGER
);
CREATE INDEX kiosk_tokens_by_kiosk ON kiosk_tokens (kiosk);
-- Scans of a batch that could not be stored: a bad field, or a room other
-- than the kiosk's. Idempotent by scan id, like scans.
CREATE TABLE quarantine (
  id          TEXT PRIMARY KEY,
  kiosk       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  raw         TEXT NOT NULL,
  received_ms INTEGER NOT NULL
);
-- Small facts the commands share, e.g. server_url: the URL serve last listened on.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
    // Staff: the users who log in to the dashboard and desk, and their tokens.
    R"sql(
-- password_hash: "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" (staff_users.cpp).
CREATE TABLE staff_users (
  name          TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL
);
-- Staff tokens by their SHA-256 (hex), like kiosk tokens: `api` tokens from
-- the staff command (no expiry; the next staff run for the user revokes
-- them), `session` tokens from a login (they expire).
CREATE TABLE staff_tokens (
  token_sha256 TEXT PRIMARY KEY,
  user         TEXT NOT NULL REFERENCES staff_users (name),
  kind         TEXT NOT NULL CHECK (kind IN ('api', 'session')),
  issued_ms    INTEGER NOT NULL,
  expires_ms   INTEGER,
  revoked_ms   INTEGER
);
CREATE INDEX staff_tokens_by_user ON staff_tokens (user);
)sql",
    // The desk: claims, corrections and the scans corrections voided; an
    // append-only audit trail (claims.h, corrections.h).
    R"sql(
-- One row per session per claim; the latest row of a (badge, session) is
-- the claim in force (the highest id), the earlier ones stay.
CREATE TABLE claims (
  id              INTEGER PRIMARY KEY,
  badge           TEXT NOT NULL,
  session         TEXT NOT NULL,
  quarters        INTEGER NOT NULL CHECK (quarters >= 0),
  earned_quarters INTEGER NOT NULL,  -- the engine's credit when claimed
  attested        INTEGER NOT NULL CHECK (attested = 1),
  staff_user      TEXT NOT NULL,
  at_ms           INTEGER NOT NULL
);
CREATE INDEX claims_by_badge ON claims (badge, session, id);
-- Every correction of a badge's scans: who, when, why. add_stay and
-- add_scan store scans of source 'correction'; void_scan and void_stay
-- name the scans they void in voided_scans. add_scan keeps the scan's time
-- in from_ms.
CREATE TABLE corrections (
  id         INTEGER PRIMARY KEY,
  at_ms      INTEGER NOT NULL,
  staff_user TEXT NOT NULL,
  badge      TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('add_stay', 'void_stay', 'add_scan', 'void_scan')),
  scan       TEXT,
  room       TEXT,
  from_ms    INTEGER,
  to_ms      INTEGER,
  direction  TEXT CHECK (direction IS NULL OR direction IN ('in', 'out')),
  reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0)
);
CREATE INDEX corrections_by_badge ON corrections (badge, id);
-- Scans the engine skips: still stored (export --scans writes them).
-- `badge` is the scan's badge id, kept in step with scans.badge (a new badge
-- pattern changes it: the trigger below), so that one badge's voided scans
-- are one range of voided_scans_by_badge.
CREATE TABLE voided_scans (
  scan       TEXT PRIMARY KEY,
  correction INTEGER NOT NULL REFERENCES corrections (id),
  badge      TEXT
);
CREATE INDEX voided_scans_by_badge ON voided_scans (badge);
CREATE TRIGGER voided_scans_follow_badge AFTER UPDATE OF badge ON scans
  BEGIN UPDATE voided_scans SET badge = NEW.badge WHERE scan = NEW.id; END;
CREATE TRIGGER claims_no_update BEFORE UPDATE ON claims
  BEGIN SELECT RAISE(ABORT, 'claims are append-only: record a new claim instead'); END;
CREATE TRIGGER claims_no_delete BEFORE DELETE ON claims
  BEGIN SELECT RAISE(ABORT, 'claims are append-only: record a new claim instead'); END;
CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
  BEGIN SELECT RAISE(ABORT, 'corrections are append-only: record a new correction instead'); END;
CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
  BEGIN SELECT RAISE(ABORT, 'corrections are append-only: record a new correction instead'); END;
CREATE TRIGGER voided_scans_no_update BEFORE UPDATE OF scan, correction ON voided_scans
  BEGIN SELECT RAISE(ABORT, 'voided scans are append-only: record a new correction instead'); END;
CREATE TRIGGER voided_scans_no_delete BEFORE DELETE ON voided_scans
  BEGIN SELECT RAISE(ABORT, 'voided scans are append-only: record a new correction instead'); END;
)sql",
    // Step 4: the meeting's optional badge key (signed badges) and its
    // badge-sharing checks, as the meeting file gives them (JSON text).
    R"sql(
ALTER TABLE meeting ADD COLUMN badge_key TEXT;
ALTER TABLE meeting ADD COLUMN badge_sharing TEXT;
)sql",
    // Step 5: the rules' arrival window and exit grace (docs/rules.md).
    std::string(meeting_rows_window_and_grace_step()),
    // Step 6: attendees claim their own credit (docs/staff-api.md, "The
    // attendee page"): the certificate's facts and the evaluation as the
    // meeting file gives them (JSON text), the claim-code key, attendees'
    // sessions and their evaluation answers.
    R"sql(
ALTER TABLE meeting ADD COLUMN activity TEXT;
ALTER TABLE meeting ADD COLUMN evaluation TEXT;
-- 32 random bytes (SQLite draws them from the operating system), hex: the
-- key of every attendee's claim code (store/claim_codes.h).
INSERT OR IGNORE INTO settings (key, value) VALUES ('claim_code_key', lower(hex(randomblob(32))));
CREATE TABLE attendee_tokens (
  token_sha256 TEXT PRIMARY KEY,
  badge        TEXT NOT NULL,
  issued_ms    INTEGER NOT NULL,
  expires_ms   INTEGER NOT NULL,
  revoked_ms   INTEGER
);
-- Every answer an attendee gave, append-only like claims: the latest row
-- of a (badge, session, question) is the answer in force. `session` is ''
-- for a question about the meeting. A Likert answer is 1-5, a text answer text.
CREATE TABLE evaluation_answers (
  id       INTEGER PRIMARY KEY,
  badge    TEXT NOT NULL,
  session  TEXT NOT NULL,
  question TEXT NOT NULL,
  likert   INTEGER CHECK (likert BETWEEN 1 AND 5),
  answer   TEXT,
  at_ms    INTEGER NOT NULL,
  CHECK ((likert IS NULL) <> (answer IS NULL))
);
CREATE INDEX evaluation_answers_by_badge ON evaluation_answers (badge, session, question, id);
CREATE TRIGGER evaluation_answers_no_update BEFORE UPDATE ON evaluation_answers
  BEGIN SELECT RAISE(ABORT, 'evaluation answers are append-only: record a new answer instead'); END;
CREATE TRIGGER evaluation_answers_no_delete BEFORE DELETE ON evaluation_answers
  BEGIN SELECT RAISE(ABORT, 'evaluation answers are append-only: record a new answer instead'); END;
)sql",
    // Step 7: the person across meetings (the learner report,
    // docs/formats.md "cmetrack-central learner").
    R"sql(
ALTER TABLE attendees ADD COLUMN learner_id TEXT;
CREATE INDEX attendees_by_learner ON attendees (learner_id) WHERE learner_id IS NOT NULL;
)sql",
};
const std::array<std::string_view, 8> schema_step_views = {schema_steps[0], schema_steps[1], schema_steps[2],
                                                           schema_steps[3], schema_steps[4], schema_steps[5],
                                                           schema_steps[6], schema_steps[7]};

}  // namespace

std::filesystem::path database_path(const std::filesystem::path& data_dir) { return data_dir / "central.db"; }

result<sqlite::database> open_store(const std::filesystem::path& data_dir, open_mode mode, int cache_kib) {
  const auto path = database_path(data_dir);
  std::error_code ec;
  if (mode == open_mode::existing && !std::filesystem::exists(path, ec))
    return bad_input(fmt::format("{}: no central.db here; run `cmetrack-central init --data {} --meeting FILE.json` first",
                                 data_dir.string(), data_dir.string()));
  if (mode == open_mode::create) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return failure(fmt::format("{}: cannot create the data directory: {}", data_dir.string(), ec.message()));
  }
  sqlite::open_options options;
  options.sync = sqlite::synchronous::full;
  options.cache_kib = cache_kib;
  auto db = sqlite::database::open(path.string(), options);
  if (!db) return db;
  if (auto r = sqlite::migrate(*db, schema_step_views); !r) return std::unexpected(r.error());
  return db;
}

result<sqlite::database> open_store_reader(const std::string& central_db) {
  sqlite::open_options options;
  options.read_only = true;
  options.create = false;
  options.cache_kib = read_cache_kib;
  return sqlite::database::open(central_db, options);
}

result<void> tune_for_serve(sqlite::database& db) {
  // No checkpoint inside a commit: serve runs them on a thread of its own
  // (log_checkpoint.h). Commits are not synced one by one: serve syncs the
  // log itself, a group of commits at a time, before it answers
  // (docs/design.md, "Group commit").
  return db.exec("PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=NORMAL;");
}

result<std::int64_t> commit_watch::version(sqlite::database& db) {
  if (!query_) {
    auto q = sqlite::statement::prepare(db, "PRAGMA data_version");
    if (!q) return std::unexpected(q.error());
    query_.emplace(std::move(*q));
  }
  auto r = query_->step_row();
  const auto version = r ? query_->int64(0) : 0;
  query_->reset();
  if (!r) return with_context("cannot read PRAGMA data_version", r.error());
  return version;
}

}  // namespace cmetrack::central
