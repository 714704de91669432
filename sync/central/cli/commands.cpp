#include "sync/central/cli/commands.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "shared/attendance.h"
#include "shared/meeting_import.h"
#include "shared/time.h"
#include "sync/central/archive/archive.h"
#include "sync/central/print/learner_pdf.h"
#include "sync/central/print/transcript_pdf.h"
#include "sync/central/reports/exports.h"
#include "sync/central/reports/learner_report.h"
#include "sync/central/reports/live_rooms.h"
#include "sync/central/reports/reports.h"
#include "sync/central/reports/sharing_report.h"
#include "sync/central/store/kiosk_registry.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/scan_store.h"
#include "sync/central/store/serve_mark.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {
namespace {

result<time_ms> now_from(const std::optional<std::string>& text) {
  if (!text) return now_ms();
  if (const auto t = parse_iso8601(*text)) return *t;
  return bad_input(fmt::format("--now: \"{}\" is not an ISO-8601 time with an offset, such as 2026-04-24T11:30:00Z",
                               *text));
}

// The store and its meeting, for every command but init.
struct opened {
  sqlite::database db;
  cmetrack::meeting meeting;
};

result<opened> open_meeting(const std::string& data, int cache_kib = read_cache_kib) {
  auto db = open_store(data, open_mode::existing, cache_kib);
  if (!db) return std::unexpected(db.error());
  auto m = load_meeting(*db);
  if (!m) return std::unexpected(m.error());
  return opened{std::move(*db), std::move(*m)};
}

}  // namespace

result<std::string> run_init(const init_options& o) {
  // Validate the whole file before touching the data directory.
  auto imported = read_meeting_file(o.meeting_file);
  if (!imported) return std::unexpected(imported.error());
  for (const auto& w : imported->warnings) fmt::print(stderr, "warning: {}\n", w);
  auto db = open_store(o.data, open_mode::create, write_cache_kib);
  if (!db) return std::unexpected(db.error());
  const auto& m = imported->meeting;
  auto update = save_meeting(*db, m);
  if (!update) return std::unexpected(update.error());

  std::string out = fmt::format("{} \"{}\" {} in {}: {} rooms, {} sessions, {} attendees in the file ({} added, {} updated",
                                m.id, m.name, update->created ? "created" : "updated",
                                database_path(o.data).string(), m.rooms.size(), m.sessions.size(), m.attendees.size(),
                                update->attendees_added, update->attendees_updated);
  if (update->attendees_kept > 0)
    out += fmt::format("; {} registered earlier and not in the file are kept", update->attendees_kept);
  out += ")\n";
  if (update->badge_pattern_changed)
    out += fmt::format("badge pattern changed: {} stored scans now read as another badge id\n", update->scans_rebadged);
  if (update->rules_changed)
    out += "rules changed: transcripts, live room counts and exports follow the new rules now; a claim above the "
           "credit they give is marked for review at the desk\n";
  if (update->badge_key_changed)
    out += fmt::format("badge key {}: {} stored scans now read as another badge id; print the badges anew "
                       "(cmetrack-central badges)\n",
                       m.badge_key.empty() ? "removed" : "changed", update->scans_rebadged);
  return out;
}

result<std::string> run_ingest(const ingest_options& o) {
  auto store = open_meeting(o.data, write_cache_kib);
  if (!store && store.error().kind != error_kind::bad_input)  // central.db cannot be opened or read
    return std::unexpected(error{store.error().kind,
                                 fmt::format("{}: not ingested, nothing stored: {}; check that the data directory's "
                                             "disk works and has space, then run the ingest again",
                                             o.scans_file, store.error().message)});
  if (!store) return std::unexpected(store.error());
  // A running serve's kiosks wait for one part, not the whole file.
  const auto commit_every =
      o.commit_every >= 0 ? o.commit_every : serve_running(o.data) ? ingest_parts_while_serving : 0;
  auto s = ingest_scans_file(store->db, store->meeting, o.scans_file, now_ms(), commit_every);
  if (!s) return std::unexpected(s.error());
  std::string out = fmt::format("{}: {} scans read, {} stored, {} already stored", o.scans_file, s->rows, s->stored,
                                s->already_stored);
  if (s->invalid_badge + s->unknown_room > 0)
    out += fmt::format("; quarantined: {} fail the badge pattern, {} name a room the meeting does not have",
                       s->invalid_badge, s->unknown_room);
  return out + "\n";
}

result<std::string> run_transcript_json(const transcript_options& o) {
  auto store = open_meeting(o.data);
  if (!store) return std::unexpected(store.error());
  auto now = now_from(o.now);
  if (!now) return std::unexpected(now.error());
  if (o.badge) {
    auto t = transcript_report(store->db, store->meeting, *o.badge, *now);
    if (!t) return std::unexpected(t.error());
    return t->dump(2) + "\n";
  }
  // Every attendee on the roster, as a JSON array, by badge.
  auto everyone = every_attendee_credit(store->db, store->meeting, *now);
  if (!everyone) return std::unexpected(everyone.error());
  auto all = nlohmann::ordered_json::array();
  for (const auto& t : *everyone) all.push_back(transcript_json(store->meeting, t));
  return all.dump(2) + "\n";
}

result<std::string> run_transcript_pdf(const transcript_options& o, const std::string& pdf) {
  auto store = open_meeting(o.data);
  if (!store) return std::unexpected(store.error());
  auto now = now_from(o.now);
  if (!now) return std::unexpected(now.error());
  std::vector<attendee_credit> pages;
  if (o.badge) {
    auto t = find_transcript(store->db, store->meeting, *o.badge, *now);
    if (!t) return std::unexpected(t.error());
    pages.push_back(std::move(*t));
  } else {
    auto everyone = every_attendee_credit(store->db, store->meeting, *now);
    if (!everyone) return std::unexpected(everyone.error());
    pages = std::move(*everyone);
  }
  auto codes = claim_codes::load(store->db);
  if (!codes) return std::unexpected(codes.error());
  for (auto& t : pages) t.claim_code = codes->code(t.who.badge);
  auto written = write_transcript_pdf(store->meeting, pages, *now, pdf);
  release_pdf_fonts();  // a command runs once a process
  if (!written) return std::unexpected(written.error());
  return fmt::format("{}: {} transcript(s), {} page(s)\n", pdf, pages.size(), *written);
}

result<std::string> run_rooms_json(const rooms_options& o) {
  auto store = open_meeting(o.data);
  if (!store) return std::unexpected(store.error());
  auto now = now_from(o.now);
  if (!now) return std::unexpected(now.error());
  // The same picture as the dashboard's (GET /api/v1/rooms).
  live_rooms rooms;
  if (auto r = rooms.rebuild(store->db, std::make_shared<const meeting>(std::move(store->meeting)), *now); !r)
    return std::unexpected(r.error());
  return rooms.rooms_json(*now).dump(2) + "\n";
}

result<std::string> run_sharing_json(const sharing_options& o) {
  auto store = open_meeting(o.data);
  if (!store) return std::unexpected(store.error());
  auto now = now_from(o.now);
  if (!now) return std::unexpected(now.error());
  auto report = sharing_report(store->db, store->meeting, *now);
  if (!report) return std::unexpected(report.error());
  return report->dump(2) + "\n";
}

namespace {

// The archive at `url`, which must have been made by `archive`.
result<postgres::connection> open_archive(const std::string& url) {
  auto pg = postgres::connection::open(url);
  if (!pg) return std::unexpected(pg.error());
  auto made = pg->exec("SELECT to_regclass('cmetrack_archive_version') IS NOT NULL");
  if (!made) return std::unexpected(made.error());
  if (made->text(0, 0) != "t")
    return bad_input(fmt::format("{}: no cmetrack archive there; copy a meeting into it first (cmetrack-central "
                                 "archive --data DIR --to URL)",
                                 pg->url()));
  return std::move(*pg);
}

// The learner at each meeting given (a data directory, or an archive's
// every meeting), then the report.
result<learner_report> gather_learner(const learner_options& o) {
  auto now = now_from(o.now);
  if (!now) return std::unexpected(now.error());
  auto requirement = o.requirement ? read_requirement_file(*o.requirement) : asaps_requirement();
  if (!requirement) return std::unexpected(requirement.error());
  std::vector<learner_meeting> found;
  std::map<std::string, std::string> seen;  // meeting id -> where it was found
  const auto add = [&](learner_meeting lm, const std::string& where) -> result<void> {
    if (const auto [it, added] = seen.emplace(lm.of.id, where); !added)
      return bad_input(fmt::format("{} and {} both hold meeting {}; give each meeting once", it->second, where,
                                   lm.of.id));
    found.push_back(std::move(lm));
    return {};
  };
  std::size_t meetings = 0;
  for (const auto& data : o.data) {
    if (postgres::is_url(data)) {
      auto pg = open_archive(data);
      if (!pg) return std::unexpected(pg.error());
      auto archived = archived_learner(*pg, o.id);
      if (!archived) return std::unexpected(archived.error());
      auto count = pg->exec("SELECT count(*) FROM meetings");
      if (!count) return std::unexpected(count.error());
      meetings += static_cast<std::size_t>(count->int64(0, 0));
      for (auto& lm : *archived) CMETRACK_TRY(add(std::move(lm), pg->url()));
      continue;
    }
    auto store = open_meeting(data);
    if (!store) return std::unexpected(store.error());
    ++meetings;
    auto at = learner_at_meeting(store->db, store->meeting, o.id, *now);
    if (!at) return std::unexpected(at.error());
    if (*at) {
      CMETRACK_TRY(add(std::move(**at), data));
    } else if (const auto [it, added] = seen.emplace(store->meeting.id, data); !added) {
      return bad_input(fmt::format("{} and {} both hold meeting {}; give each meeting once", it->second, data,
                                   store->meeting.id));
    }
  }
  if (found.empty())
    return not_found(fmt::format("no attendee of the {} meeting(s) given has learner id \"{}\"; check the id, and "
                                 "that the meeting files give it as the attendee's \"learner_id\"",
                                 meetings, o.id));
  return make_learner_report(o.id, std::move(found), *requirement, *now);
}

}  // namespace

result<std::string> run_learner_json(const learner_options& o) {
  auto r = gather_learner(o);
  if (!r) return std::unexpected(r.error());
  return learner_json(*r).dump(2) + "\n";
}

result<std::string> run_learner_pdf(const learner_options& o, const std::string& pdf) {
  auto r = gather_learner(o);
  if (!r) return std::unexpected(r.error());
  auto pages = write_learner_pdf(*r, now_ms(), pdf);
  release_pdf_fonts();  // a command runs once a process
  if (!pages) return std::unexpected(pages.error());
  return fmt::format("{}: {} meeting(s), {} page(s); {} requirement {}\n", pdf, r->meetings.size(), *pages,
                     r->requirement.name, r->met() ? "met" : "not met yet");
}

result<std::string> run_archive(const archive_options& o) {
  if (!postgres::is_url(o.to))
    return bad_input(fmt::format("--to: \"{}\" is not a PostgreSQL URL such as "
                                 "postgresql://cmetrack@db.example.org/cme",
                                 o.to));
  auto store = open_meeting(o.data);
  if (!store) return std::unexpected(store.error());
  auto now = now_from(o.now);
  if (!now) return std::unexpected(now.error());
  auto pg = postgres::connection::open(o.to);
  if (!pg) return std::unexpected(pg.error());
  if (auto r = prepare_archive(*pg); !r) return std::unexpected(r.error());
  auto n = archive_meeting(store->db, store->meeting, *pg, *now);
  if (!n) return std::unexpected(n.error());
  return fmt::format("{} archived to {}: {} attendees, {} scans ({} new), {} claims ({} new), {} corrections ({} new), "
                     "{} evaluation answers ({} new); the credit of {} attendees as of {}\n",
                     store->meeting.id, pg->url(), n->attendees, n->scans, n->scans_new, n->claims, n->claims_new,
                     n->corrections, n->corrections_new, n->evaluation_answers, n->evaluation_answers_new, n->credit,
                     format_iso8601_utc(*now));
}

result<std::string> run_export_scans(const export_options& o) {
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto n = export_scans(*db, o.out);
  if (!n) return std::unexpected(n.error());
  return fmt::format("{}: {} scans written\n", o.out, *n);
}

result<std::string> run_export_attendance(const export_options& o) {
  auto store = open_meeting(o.data);
  if (!store) return std::unexpected(store.error());
  auto now = now_from(o.now);
  if (!now) return std::unexpected(now.error());
  auto people = every_attendee_credit(store->db, store->meeting, *now);
  if (!people) return std::unexpected(people.error());
  auto rows = export_attendance(store->meeting, *people, o.out);
  if (!rows) return std::unexpected(rows.error());
  return fmt::format("{}: {} rows written (attendees and sessions attended)\n", o.out, *rows);
}

result<std::string> run_export_pars(const export_options& o) {
  auto store = open_meeting(o.data);
  if (!store) return std::unexpected(store.error());
  auto now = now_from(o.now);
  if (!now) return std::unexpected(now.error());
  auto people = every_attendee_credit(store->db, store->meeting, *now);
  if (!people) return std::unexpected(people.error());
  auto s = export_pars(store->meeting, *people, o.activity, o.out);
  if (!s) return std::unexpected(s.error());
  if (o.activity.empty())
    fmt::print(stderr, "warning: {}: the ACCME Activity ID column is empty; pass --activity ID (the activity's ID in "
                       "PARS) to fill it\n", o.out);
  if (!s->missing.empty()) {
    fmt::print(stderr,
               "warning: {} attendee(s) with credit lack a field PARS needs and are not in {} (listed in {}); add the "
               "fields to the meeting file, run init and export again:\n",
               s->missing.size(), o.out, s->missing_path);
    for (const auto& l : s->missing) {
      std::string fields;
      for (const auto& f : l.fields) fields += (fields.empty() ? "" : "; ") + f;
      fmt::print(stderr, "  {} {}: {}\n", l.badge, l.name, fields);
    }
  }
  return fmt::format("{}: {} learners written; {} with credit lack a field PARS needs (see {})\n", o.out, s->learners,
                     s->missing.size(), s->missing_path);
}

result<std::string> run_export_claim_codes(const export_options& o) {
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto people = load_attendees(*db);
  if (!people) return std::unexpected(people.error());
  auto codes = claim_codes::load(*db);
  if (!codes) return std::unexpected(codes.error());
  std::string url = o.url;
  if (url.empty()) {
    auto served = read_setting(*db, "server_url");
    if (!served) return std::unexpected(served.error());
    if (*served) url = **served;
  }
  if (url.empty())
    fmt::print(stderr, "warning: {}: the url column is empty: serve has not run yet; pass --url URL (the central "
                       "node's address as attendees reach it, e.g. https://cme.example.org:8443)\n", o.out);
  auto n = export_claim_codes(*people, *codes, url, o.out);
  if (!n) return std::unexpected(n.error());
  return fmt::format("{}: {} claim codes written\n", o.out, *n);
}

result<std::string> run_export_evaluations(const export_options& o) {
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto people = load_attendees(*db);
  if (!people) return std::unexpected(people.error());
  auto answers = every_evaluation_answer(*db);
  if (!answers) return std::unexpected(answers.error());
  auto n = export_evaluations(*people, *answers, o.out);
  if (!n) return std::unexpected(n.error());
  return fmt::format("{}: {} answers written\n", o.out, *n);
}

}  // namespace cmetrack::central
