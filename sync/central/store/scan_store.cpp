#include "sync/central/store/scan_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "shared/atomic_file.h"
#include "shared/badge.h"
#include "shared/bounds.h"
#include "shared/scans_csv.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"
#include "sync/central/store/log_checkpoint.h"

namespace cmetrack::central {

using sqlite::statement;

namespace {

// A scans file that could not be stored, said as `what`, of the kind of
// the store's error `e`, with what to do.
std::unexpected<error> ingest_fault(std::string_view what, const error& e) {
  std::string message = fmt::format("{}: {}", what, e.message);
  if (e.kind == error_kind::disk_full)
    message += "; free space on the central node's disk, then run the ingest again (nothing of this file was stored)";
  else if (e.kind == error_kind::io)
    message += "; check the central node's disk, then run the ingest again (nothing of this file was stored)";
  return std::unexpected(error{e.kind, std::move(message)});
}

// Syncs central.db-wal: the commits of a connection at synchronous=NORMAL
// reach the disk here, after the write lock is free again.
result<void> sync_log(const sqlite::database& db) {
  const auto log = db.path() + "-wal";
  const int fd = ::open(log.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(error{error_kind::io, fmt::format("{}: cannot open central.db's log to sync it: {}", log, std::strerror(errno))});
  const int rc = ::fdatasync(fd);
  const int why = errno;
  ::close(fd);
  if (rc != 0)
    return std::unexpected(error{why == ENOSPC ? error_kind::disk_full : error_kind::io,
                                 fmt::format("{}: cannot sync central.db's log: {}", log, std::strerror(why))});
  return {};
}

}  // namespace

result<ingest_summary> ingest_scans_file(sqlite::database& db, const meeting& m, const std::string& path,
                                         time_ms received, std::int64_t commit_every) {
  auto reader = scans_csv_reader::open(path);
  if (!reader) return std::unexpected(reader.error());
  auto pattern = badge_pattern::compile(m.badge_pattern, m.badge_key);
  if (!pattern) return std::unexpected(pattern.error());
  // In parts, a commit holds the write lock only while it writes the log:
  // the part is synced after the lock is free (before the pause, and before
  // the ingest says it is done), and the log is left to a running serve to
  // copy back (log_checkpoint.h) unless it grows long.
  if (commit_every > 0)
    if (auto r = db.exec(fmt::format("PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint={};", restart_log_pages));
        !r)
      return std::unexpected(r.error());
  auto tx = sqlite::transaction::begin(db);
  if (!tx) return ingest_fault(fmt::format("{}: cannot store its scans", path), tx.error());
  auto insert = statement::prepare(db, R"sql(
    INSERT INTO scans (id, kiosk, seq, payload, badge, room, door, direction, at_ms, source, received_ms, id_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING)sql");
  if (!insert) return std::unexpected(insert.error());

  const auto times = bounds::scan_times(m);
  ingest_summary summary;
  std::int64_t committed_rows = 0;  // of the rows read: in parts already committed
  auto part_started = std::chrono::steady_clock::now();
  // A fault's message says what of the file is stored, where parts were.
  const auto fault = [&](std::unexpected<error> e) {
    if (committed_rows == 0) return e;
    auto& text = e.error().message;
    const auto told = fmt::format("only the file's first {} scans were stored (in parts of at most {}); running "
                                  "the ingest again skips them",
                                  committed_rows, commit_every);
    for (const std::string_view nothing : {"(nothing of this file was stored)", "nothing of this file was stored"})
      if (const auto at = text.find(nothing); at != std::string::npos) {
        text.replace(at, nothing.size(), told);
        return e;
      }
    text += "; " + told;
    return e;
  };
  scan_record s;
  for (;;) {
    auto more = reader->next(s);
    if (!more) return fault(std::unexpected(more.error()));  // the transaction rolls back
    if (!*more) break;
    ++summary.rows;
    if (auto outside = bounds::outside_meeting(times, s.at))
      return fault(bad_input(fmt::format("{}:{}: field \"at\": {}; nothing of this file was stored: correct the "
                                         "kiosk's times in the file (or leave the row out) and run the ingest again",
                                         path, reader->line(), *outside)));
    const auto badge = pattern->extract(s.payload);
    insert->bind(1, std::string_view(s.id)).bind(2, std::string_view(s.kiosk)).bind(3, s.seq)
        .bind(4, std::string_view(s.payload)).bind(6, std::string_view(s.room)).bind(7, std::string_view(s.door))
        .bind(8, to_string(s.direction)).bind(9, s.at).bind(10, s.source).bind(11, received)
        .bind(12, static_cast<std::int64_t>(scan_id_hash(s.id)));
    if (badge) insert->bind(5, *badge); else insert->bind(5, std::nullopt);
    if (auto r = insert->run(); !r)
      return fault(
          ingest_fault(fmt::format("{}:{}: cannot store scan \"{}\"", path, reader->line(), s.id), r.error()));
    if (sqlite3_changes(db.handle()) == 0) {
      ++summary.already_stored;
    } else {
      ++summary.stored;
      if (!badge) ++summary.invalid_badge;
      else if (m.room_index(s.room) < 0) ++summary.unknown_room;
    }
    // A part ends at commit_every scans, or sooner where it has held the
    // lock 100 ms (a cold page cache makes the first ones slow).
    if (commit_every > 0 && (summary.rows - committed_rows == commit_every ||
                             std::chrono::steady_clock::now() - part_started >= std::chrono::milliseconds(100))) {
      if (auto r = tx->commit(); !r) return fault(ingest_fault(fmt::format("{}: cannot store its scans", path), r.error()));
      const auto held = std::chrono::steady_clock::now() - part_started;
      if (auto r = sync_log(db); !r) return fault(ingest_fault(fmt::format("{}: cannot store its scans", path), r.error()));
      committed_rows = summary.rows;
      // The lock left free as long as the part held it (10 ms at least),
      // the sync included: serve's waiting batches go in, and the ingest
      // takes at most half of the writer's time.
      const auto pause = std::max<std::chrono::steady_clock::duration>(held, std::chrono::milliseconds(10));
      std::this_thread::sleep_until(part_started + held + pause);
      part_started = std::chrono::steady_clock::now();
      auto next = sqlite::transaction::begin(db);
      if (!next) return fault(ingest_fault(fmt::format("{}: cannot store its scans", path), next.error()));
      tx.emplace(std::move(*next));
    }
  }
  if (auto r = tx->commit(); !r) return fault(ingest_fault(fmt::format("{}: cannot store its scans", path), r.error()));
  if (commit_every > 0)
    if (auto r = sync_log(db); !r) return fault(ingest_fault(fmt::format("{}: cannot store its scans", path), r.error()));
  return summary;
}

namespace {

// A scan a correction voided, by what the engine reads of it (the covering
// index scans_by_badge holds these, not the scan id): id_hash first, then
// the rest of its place in the badge's order, so that a scan whose id merely
// hashes alike is never skipped.
struct voided_key {
  std::string badge;
  time_ms at = 0;
  std::string kiosk;
  std::int64_t seq = 0;
};
// The voided scans by id_hash, and a 65,536-bit filter of their hashes
// low bits that turns away nearly every scan read before the map is asked.
struct voided_set {
  std::unordered_multimap<std::uint64_t, voided_key> by_hash;
  std::vector<std::uint64_t> filter = std::vector<std::uint64_t>(1024);

  bool empty() const { return by_hash.empty(); }
  void add(std::uint64_t id_hash, voided_key key) {
    filter[(id_hash >> 6) & 1023] |= std::uint64_t{1} << (id_hash & 63);
    by_hash.emplace(id_hash, std::move(key));
  }
  bool maybe(std::uint64_t id_hash) const { return (filter[(id_hash >> 6) & 1023] >> (id_hash & 63)) & 1; }
};

bool is_voided(const voided_set& voided, const statement& select) {
  const auto id_hash = static_cast<std::uint64_t>(select.int64(6));
  if (!voided.maybe(id_hash)) return false;
  const auto [first, last] = voided.by_hash.equal_range(id_hash);
  for (auto it = first; it != last; ++it)
    if (it->second.at == select.int64(3) && it->second.seq == select.int64(5) && it->second.kiosk == select.text(4) &&
        it->second.badge == select.text(0))
      return true;
  return false;
}

result<scan_set> collect(statement& select, const meeting& m, const voided_set& voided) {
  scan_set out;
  auto read = select.for_each_row([&](const statement& row) {
    const int room = m.room_index(row.text(1));
    if (room < 0) return;  // quarantined: unknown room
    if (!voided.empty() && is_voided(voided, row)) return;  // a correction voided it
    const auto d = parse_direction(row.text(2)).value_or(direction::automatic);
    out.add(row.text(0), row.text(4), row.int64(5), static_cast<std::uint64_t>(row.int64(6)), room, d, row.int64(3));
  });
  if (!read) return with_context("cannot read the scans", read.error());
  out.group();
  return out;
}

// What the engine reads of a scan: all of it in the covering index scans_by_badge.
constexpr std::string_view engine_columns = "SELECT badge, room, direction, at_ms, kiosk, seq, id_hash FROM scans ";

// The voided scans of one badge (`badge` set) or of all. Few: read first,
// then skipped while the scans are read from the covering index alone (a
// NOT IN on the scan's rowid cost the full recompute's read 21% more CPU).
// CROSS JOIN keeps voided_scans the outer loop: nothing to read when it is
// empty.
result<voided_set> load_voided(sqlite::database& db, const std::string_view* badge) {
  auto select = statement::prepare(
      db, fmt::format("SELECT s.id_hash, s.badge, s.at_ms, s.kiosk, s.seq FROM voided_scans v CROSS JOIN scans s "
                      "ON s.id = v.scan{}",
                      badge ? " WHERE v.badge = ?" : ""));
  if (!select) return std::unexpected(select.error());
  if (badge) select->bind(1, *badge);
  voided_set out;
  auto read = select->for_each_row([&](const statement& row) {
    out.add(static_cast<std::uint64_t>(row.int64(0)),
            voided_key{std::string(row.text(1)), row.int64(2), std::string(row.text(3)), row.int64(4)});
  });
  if (!read) return with_context("cannot read the voided scans", read.error());
  return out;
}

}  // namespace

result<scan_set> load_badge_scans(sqlite::database& db, const meeting& m, std::string_view badge, time_ms until) {
  auto voided = load_voided(db, &badge);
  if (!voided) return std::unexpected(voided.error());
  auto select =
      statement::prepare(db, fmt::format("{} WHERE badge = ? AND at_ms <= ? ORDER BY at_ms, kiosk, seq", engine_columns));
  if (!select) return std::unexpected(select.error());
  select->bind(1, badge).bind(2, until);
  return collect(*select, m, *voided);
}

result<scan_set> load_all_scans(sqlite::database& db, const meeting& m, time_ms until) {
  auto voided = load_voided(db, nullptr);
  if (!voided) return std::unexpected(voided.error());
  // In the order of the covering index scans_by_badge: each badge's scans
  // arrive together, read front to back.
  auto select = statement::prepare(
      db, fmt::format("{} WHERE badge IS NOT NULL AND at_ms <= ? ORDER BY badge, at_ms, kiosk, seq", engine_columns));
  if (!select) return std::unexpected(select.error());
  select->bind(1, until);
  return collect(*select, m, *voided);
}

result<std::int64_t> export_scans(sqlite::database& db, const std::string& path) {
  auto select = statement::prepare(
      db, "SELECT id, kiosk, seq, payload, room, door, direction, at_ms, source FROM scans ORDER BY at_ms, kiosk, seq");
  if (!select) return std::unexpected(select.error());
  auto out = atomic_file::create(path);
  if (!out) return std::unexpected(out.error());
  std::int64_t count = 0;
  scans_csv_writer writer(out->stream());
  scan_record s;
  auto read = select->for_each_row([&](const statement& row) {
    s.id = row.text(0);
    s.kiosk = row.text(1);
    s.seq = row.int64(2);
    s.payload = row.text(3);
    s.room = row.text(4);
    s.door = row.text(5);
    s.direction = parse_direction(row.text(6)).value_or(direction::automatic);
    s.at = row.int64(7);
    s.source = row.optional_text(8);
    writer.write(s);
    ++count;
  });
  if (!read)  // never a file cut short: dropped uncommitted, the partial file goes
    return with_context(fmt::format("{}: not written, the scans could not be read", path), read.error());
  CMETRACK_TRY(out->commit());
  return count;
}

result<std::int64_t> count_quarantined(sqlite::database& db) {
  auto q = statement::prepare(db, "SELECT count(*) FROM quarantine");
  if (!q) return std::unexpected(q.error());
  CMETRACK_TRY(q->step_row());
  return q->int64(0);
}

}  // namespace cmetrack::central
