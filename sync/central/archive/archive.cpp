#include "sync/central/archive/archive.h"

#include <fmt/format.h>

#include <array>
#include <map>

#include "shared/sqlite/statement.h"
#include "sync/central/reports/reports.h"

namespace cmetrack::central {
namespace {

using postgres::parameter;

// Step i takes the archive from version i to i+1. Never edit a released
// step: add one. Plain SQL (BIGINT, TEXT, ON CONFLICT) but for the
// append-only triggers, which are PL/pgSQL.
const std::array<const char*, 1> archive_steps = {
    R"sql(
CREATE TABLE meetings (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  timezone       TEXT NOT NULL,
  first_start_ms BIGINT,
  last_end_ms    BIGINT,
  max_quarters   INTEGER NOT NULL,
  archived_ms    BIGINT NOT NULL
);
CREATE TABLE attendees (
  meeting         TEXT NOT NULL REFERENCES meetings (id),
  badge           TEXT NOT NULL,
  first_name      TEXT NOT NULL,
  last_name       TEXT NOT NULL,
  degree          TEXT,
  email           TEXT,
  npi             TEXT,
  license_state   TEXT,
  license_id      TEXT,
  board           TEXT,
  board_id        TEXT,
  birth_month_day TEXT,
  learner_id      TEXT,
  PRIMARY KEY (meeting, badge)
);
CREATE INDEX attendees_by_learner ON attendees (learner_id) WHERE learner_id IS NOT NULL;
CREATE TABLE scans (
  meeting     TEXT NOT NULL REFERENCES meetings (id),
  id          TEXT NOT NULL,
  kiosk       TEXT NOT NULL,
  seq         BIGINT NOT NULL,
  payload     TEXT NOT NULL,
  badge       TEXT,
  room        TEXT NOT NULL,
  door        TEXT NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out', 'auto')),
  at_ms       BIGINT NOT NULL,
  source      TEXT,
  received_ms BIGINT NOT NULL,
  kiosk_at_ms BIGINT,
  PRIMARY KEY (meeting, id)
);
CREATE TABLE claims (
  meeting         TEXT NOT NULL REFERENCES meetings (id),
  id              BIGINT NOT NULL,
  badge           TEXT NOT NULL,
  session         TEXT NOT NULL,
  quarters        INTEGER NOT NULL CHECK (quarters >= 0),
  earned_quarters INTEGER NOT NULL,
  attested        INTEGER NOT NULL CHECK (attested = 1),
  staff_user      TEXT NOT NULL,
  at_ms           BIGINT NOT NULL,
  PRIMARY KEY (meeting, id)
);
CREATE TABLE corrections (
  meeting    TEXT NOT NULL REFERENCES meetings (id),
  id         BIGINT NOT NULL,
  at_ms      BIGINT NOT NULL,
  staff_user TEXT NOT NULL,
  badge      TEXT NOT NULL,
  action     TEXT NOT NULL,
  scan       TEXT,
  room       TEXT,
  from_ms    BIGINT,
  to_ms      BIGINT,
  direction  TEXT,
  reason     TEXT NOT NULL,
  PRIMARY KEY (meeting, id)
);
CREATE TABLE voided_scans (
  meeting    TEXT NOT NULL REFERENCES meetings (id),
  scan       TEXT NOT NULL,
  correction BIGINT NOT NULL,
  badge      TEXT,
  PRIMARY KEY (meeting, scan)
);
CREATE TABLE evaluation_answers (
  meeting  TEXT NOT NULL REFERENCES meetings (id),
  id       BIGINT NOT NULL,
  badge    TEXT NOT NULL,
  session  TEXT NOT NULL,
  question TEXT NOT NULL,
  likert   INTEGER,
  answer   TEXT,
  at_ms    BIGINT NOT NULL,
  PRIMARY KEY (meeting, id)
);
-- Each attendee's credit as of the meeting's latest copy (recomputed then).
CREATE TABLE credit (
  meeting                         TEXT NOT NULL,
  badge                           TEXT NOT NULL,
  earned_quarters                 INTEGER NOT NULL,
  patient_safety_quarters         INTEGER NOT NULL,
  claimed_quarters                INTEGER,
  claimed_patient_safety_quarters INTEGER,
  as_of_ms                        BIGINT NOT NULL,
  PRIMARY KEY (meeting, badge),
  FOREIGN KEY (meeting, badge) REFERENCES attendees (meeting, badge)
);
CREATE FUNCTION cmetrack_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% are append-only: record a new one instead', TG_TABLE_NAME;
END $$;
CREATE TRIGGER scans_append_only BEFORE UPDATE OR DELETE ON scans
  FOR EACH ROW EXECUTE FUNCTION cmetrack_append_only();
CREATE TRIGGER claims_append_only BEFORE UPDATE OR DELETE ON claims
  FOR EACH ROW EXECUTE FUNCTION cmetrack_append_only();
CREATE TRIGGER corrections_append_only BEFORE UPDATE OR DELETE ON corrections
  FOR EACH ROW EXECUTE FUNCTION cmetrack_append_only();
CREATE TRIGGER voided_scans_append_only BEFORE UPDATE OR DELETE ON voided_scans
  FOR EACH ROW EXECUTE FUNCTION cmetrack_append_only();
CREATE TRIGGER evaluation_answers_append_only BEFORE UPDATE OR DELETE ON evaluation_answers
  FOR EACH ROW EXECUTE FUNCTION cmetrack_append_only();
)sql",
};

// An arbitrary constant: the advisory lock every copy takes.
constexpr const char* archive_lock = "SELECT pg_advisory_xact_lock(7305021900164215)";

// Rows into one table of the archive: COPY into a temporary table of the
// same columns, then one INSERT ... SELECT with what a row already there
// does (`ON CONFLICT ...`). `columns` start with the meeting's id.
class row_inserter {
 public:
  row_inserter(postgres::connection& pg, std::string table, std::string columns, std::string on_conflict)
      : pg_(pg), table_(std::move(table)), columns_(std::move(columns)), on_conflict_(std::move(on_conflict)) {}

  result<void> add(const std::vector<parameter>& row) {
    if (!started_) {
      auto made = pg_.exec(fmt::format("CREATE TEMPORARY TABLE incoming_{0} (LIKE {0}) ON COMMIT DROP", table_));
      if (!made) return std::unexpected(made.error());
      CMETRACK_TRY(pg_.copy_start(fmt::format("COPY incoming_{} ({}) FROM STDIN", table_, columns_)));
      started_ = true;
    }
    return pg_.copy_row(row);
  }
  // Ends the COPY and moves its rows into the table; returns the rows
  // inserted or updated there.
  result<std::int64_t> finish() {
    if (!started_) return 0;
    CMETRACK_TRY(pg_.copy_end());
    auto r = pg_.exec(fmt::format("INSERT INTO {0} ({1}) SELECT {1} FROM incoming_{0} {2}", table_, columns_,
                                  on_conflict_));
    if (!r) return std::unexpected(r.error());
    return r->affected();
  }

 private:
  postgres::connection& pg_;
  std::string table_, columns_, on_conflict_;
  bool started_ = false;
};

// One table copied from central.db: its columns (the same names in both),
// and what a row already in the archive does: nothing, or the update given.
struct table_copy {
  const char* table;
  std::vector<const char*> columns;
  const char* key;          // the archive's primary key
  const char* on_conflict;  // "DO NOTHING" or "DO UPDATE SET ..."
};

// The table's rows in central.db into the archive, the meeting's id first;
// returns (rows read, rows written).
result<std::pair<std::int64_t, std::int64_t>> copy_table(sqlite::database& db, postgres::connection& pg,
                                                          const std::string& meeting_id, const table_copy& t) {
  std::string columns;
  for (const auto* c : t.columns) columns += fmt::format("{}{}", columns.empty() ? "" : ", ", c);
  auto select = sqlite::statement::prepare(db, fmt::format("SELECT {} FROM {}", columns, t.table));
  if (!select) return std::unexpected(select.error());
  row_inserter insert(pg, t.table, "meeting, " + columns, fmt::format("ON CONFLICT ({}) {}", t.key, t.on_conflict));
  std::int64_t read = 0;
  result<void> added;
  auto each = select->for_each_row([&](const sqlite::statement& row) {
    if (!added) return;
    std::vector<parameter> values{meeting_id};
    for (std::size_t c = 0; c < t.columns.size(); ++c) values.push_back(row.optional_text(static_cast<int>(c)));
    ++read;
    added = insert.add(values);
  });
  if (!each) return std::unexpected(each.error());
  if (!added) return std::unexpected(added.error());
  auto written = insert.finish();
  if (!written) return std::unexpected(written.error());
  return std::pair{read, *written};
}

const table_copy attendees_copy{
    "attendees",
    {"badge", "first_name", "last_name", "degree", "email", "npi", "license_state", "license_id", "board", "board_id",
     "birth_month_day", "learner_id"},
    "meeting, badge",
    "DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, degree = EXCLUDED.degree, "
    "email = EXCLUDED.email, npi = EXCLUDED.npi, license_state = EXCLUDED.license_state, "
    "license_id = EXCLUDED.license_id, board = EXCLUDED.board, board_id = EXCLUDED.board_id, "
    "birth_month_day = EXCLUDED.birth_month_day, learner_id = EXCLUDED.learner_id"};
const table_copy scans_copy{
    "scans",
    {"id", "kiosk", "seq", "payload", "badge", "room", "door", "direction", "at_ms", "source", "received_ms",
     "kiosk_at_ms"},
    "meeting, id",
    "DO NOTHING"};
const table_copy claims_copy{
    "claims",
    {"id", "badge", "session", "quarters", "earned_quarters", "attested", "staff_user", "at_ms"},
    "meeting, id",
    "DO NOTHING"};
const table_copy corrections_copy{
    "corrections",
    {"id", "at_ms", "staff_user", "badge", "action", "scan", "room", "from_ms", "to_ms", "direction", "reason"},
    "meeting, id",
    "DO NOTHING"};
const table_copy voided_copy{"voided_scans", {"scan", "correction", "badge"}, "meeting, scan", "DO NOTHING"};
const table_copy answers_copy{"evaluation_answers",
                              {"id", "badge", "session", "question", "likert", "answer", "at_ms"},
                              "meeting, id",
                              "DO NOTHING"};

parameter number(std::int64_t v) { return std::to_string(v); }

}  // namespace

result<void> prepare_archive(postgres::connection& pg) {
  auto tx = postgres::transaction::begin(pg);
  if (!tx) return std::unexpected(tx.error());
  for (const char* sql : {archive_lock, "CREATE TABLE IF NOT EXISTS cmetrack_archive_version (version INTEGER NOT NULL)"})
    if (auto r = pg.exec(sql); !r) return std::unexpected(r.error());
  auto version = pg.exec("SELECT version FROM cmetrack_archive_version");
  if (!version) return std::unexpected(version.error());
  std::int64_t at = version->size() == 0 ? 0 : version->int64(0, 0);
  if (at > static_cast<std::int64_t>(archive_steps.size()))
    return failure(fmt::format("{}: the archive is at version {}, newer than this cmetrack-central knows ({}); "
                               "use the newer cmetrack-central",
                               pg.url(), at, archive_steps.size()));
  for (; at < static_cast<std::int64_t>(archive_steps.size()); ++at)
    if (auto r = pg.exec(archive_steps[static_cast<std::size_t>(at)]); !r)
      return with_context(fmt::format("making the archive's tables (step {})", at + 1), r.error());
  const auto saved = version->size() == 0
                         ? pg.exec("INSERT INTO cmetrack_archive_version (version) VALUES ($1)", {number(at)})
                         : pg.exec("UPDATE cmetrack_archive_version SET version = $1", {number(at)});
  if (!saved) return std::unexpected(saved.error());
  return tx->commit();
}

result<archive_counts> archive_meeting(sqlite::database& db, const meeting& m, postgres::connection& pg, time_ms now) {
  // One snapshot of central.db, whatever serve stores meanwhile.
  if (auto r = db.exec("BEGIN"); !r) return std::unexpected(r.error());
  struct end_read {
    sqlite::database& db;
    ~end_read() { (void)db.exec("COMMIT"); }
  } read{db};
  auto everyone = every_attendee_credit(db, m, now);
  if (!everyone) return std::unexpected(everyone.error());

  auto tx = postgres::transaction::begin(pg);
  if (!tx) return std::unexpected(tx.error());
  if (auto r = pg.exec(archive_lock); !r) return std::unexpected(r.error());
  const auto span = meeting_span(m);
  auto saved = pg.exec(
      "INSERT INTO meetings (id, name, timezone, first_start_ms, last_end_ms, max_quarters, archived_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
      "timezone = EXCLUDED.timezone, first_start_ms = EXCLUDED.first_start_ms, last_end_ms = EXCLUDED.last_end_ms, "
      "max_quarters = EXCLUDED.max_quarters, archived_ms = EXCLUDED.archived_ms",
      {m.id, m.name, m.timezone, span ? number(span->start) : std::nullopt, span ? number(span->end) : std::nullopt,
       number(m.max_quarters), number(now)});
  if (!saved) return std::unexpected(saved.error());

  archive_counts n;
  const auto copy = [&](const table_copy& t, std::int64_t& all, std::int64_t* added) -> result<void> {
    auto r = copy_table(db, pg, m.id, t);
    if (!r) return with_context(fmt::format("{}: copying {} into the archive", db.path(), t.table), r.error());
    all = r->first;
    if (added) *added = r->second;
    return {};
  };
  const auto count_scans = [&]() -> result<std::int64_t> {
    auto c = pg.exec("SELECT count(*) FROM scans WHERE meeting = $1", {m.id});
    if (!c) return std::unexpected(c.error());
    return c->int64(0, 0);
  };
  std::int64_t ignored = 0;
  CMETRACK_TRY(copy(attendees_copy, n.attendees, nullptr));
  const auto scans_before = count_scans();
  if (!scans_before) return std::unexpected(scans_before.error());
  CMETRACK_TRY(copy(scans_copy, n.scans, nullptr));
  const auto scans_after = count_scans();
  if (!scans_after) return std::unexpected(scans_after.error());
  n.scans_new = *scans_after - *scans_before;
  CMETRACK_TRY(copy(claims_copy, n.claims, &n.claims_new));
  CMETRACK_TRY(copy(corrections_copy, n.corrections, &n.corrections_new));
  CMETRACK_TRY(copy(voided_copy, ignored, nullptr));
  CMETRACK_TRY(copy(answers_copy, n.evaluation_answers, &n.evaluation_answers_new));

  row_inserter credit(pg, "credit",
                      "meeting, badge, earned_quarters, patient_safety_quarters, claimed_quarters, "
                      "claimed_patient_safety_quarters, as_of_ms",
                      "ON CONFLICT (meeting, badge) DO UPDATE SET earned_quarters = EXCLUDED.earned_quarters, "
                      "patient_safety_quarters = EXCLUDED.patient_safety_quarters, "
                      "claimed_quarters = EXCLUDED.claimed_quarters, "
                      "claimed_patient_safety_quarters = EXCLUDED.claimed_patient_safety_quarters, "
                      "as_of_ms = EXCLUDED.as_of_ms");
  for (const auto& t : *everyone) {
    const auto claims = summarize_claims(m, t);
    const bool claimed = !claims.sessions.empty();
    CMETRACK_TRY(credit.add({m.id, t.who.badge, number(t.credit.total_quarters),
                             number(t.credit.total_patient_safety_quarters),
                             claimed ? number(claims.total_claimed_quarters) : std::nullopt,
                             claimed ? number(claims.total_claimed_patient_safety_quarters) : std::nullopt,
                             number(now)}));
    ++n.credit;
  }
  CMETRACK_TRY(credit.finish());
  CMETRACK_TRY(tx->commit());
  return n;
}

result<std::vector<learner_meeting>> archived_learner(postgres::connection& pg, std::string_view learner_id) {
  auto r = pg.exec(
      "SELECT m.id, m.name, m.timezone, m.first_start_ms, m.last_end_ms, a.badge, a.first_name, a.last_name, "
      "a.degree, c.earned_quarters, c.patient_safety_quarters, c.claimed_quarters, "
      "c.claimed_patient_safety_quarters "
      "FROM attendees a JOIN meetings m ON m.id = a.meeting "
      "LEFT JOIN credit c ON c.meeting = a.meeting AND c.badge = a.badge "
      "WHERE a.learner_id = $1 ORDER BY m.id, a.badge",
      {std::string(learner_id)});
  if (!r) return std::unexpected(r.error());
  std::vector<learner_meeting> out;
  for (int i = 0; i < r->size(); ++i) {
    if (!out.empty() && out.back().of.id == r->text(i, 0))
      return bad_input(fmt::format("{}: meeting {} has learner id \"{}\" on badges {} and {}; a learner has one badge "
                                   "a meeting: correct the meeting file's learner_id, run `cmetrack-central init` and "
                                   "archive the meeting again",
                                   pg.url(), r->text(i, 0), learner_id, out.back().who.badge, r->text(i, 5)));
    learner_meeting lm;
    lm.of.id = r->text(i, 0);
    lm.of.name = r->text(i, 1);
    lm.of.timezone = r->text(i, 2);
    lm.span = {r->optional_int64(i, 3).value_or(0), r->optional_int64(i, 4).value_or(0)};
    lm.who.badge = r->text(i, 5);
    lm.who.first_name = r->text(i, 6);
    lm.who.last_name = r->text(i, 7);
    lm.who.degree = r->optional_text(i, 8);
    lm.who.learner_id = std::string(learner_id);
    lm.earned_quarters = static_cast<int>(r->optional_int64(i, 9).value_or(0));
    lm.earned_patient_safety_quarters = static_cast<int>(r->optional_int64(i, 10).value_or(0));
    if (const auto q = r->optional_int64(i, 11)) lm.claimed_quarters = static_cast<int>(*q);
    if (const auto q = r->optional_int64(i, 12)) lm.claimed_patient_safety_quarters = static_cast<int>(*q);
    out.push_back(std::move(lm));
  }
  return out;
}

}  // namespace cmetrack::central
