#include "sync/central/store/batch_ingest.h"

#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "shared/badge.h"
#include "shared/bounds.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::central {

using sqlite::statement;

namespace {

// The scan as JSON again, for the quarantine's raw column.
std::string raw_json(const wire_scan& s) {
  return nlohmann::json{{"id", s.id}, {"seq", s.seq}, {"badge", s.badge}, {"room", s.room}, {"door", s.door},
                        {"direction", to_string(s.dir)}, {"at", format_iso8601_utc(s.at)}, {"source", s.source}}
      .dump();
}

constexpr std::string_view disk_full_advice = "free space on the central node's disk";

// A fault of the batch's transaction (its message names central.db), of
// the same kind, with what to do about it.
error batch_fault(const error& e) {
  std::string message = e.message;
  if (e.kind == error_kind::disk_full)
    message += fmt::format("; {}", disk_full_advice);
  else if (e.kind == error_kind::io)
    message += "; check the central node's disk (central.db could not be read or written)";
  message += "; nothing of this batch was stored, and the kiosk's agent sends it again";
  return {e.kind, std::move(message)};
}

// The batch's rows, inside the caller's transaction.
result<batch_result> insert_batch(sqlite::database& db, const meeting& m, const badge_pattern& pattern,
                                  const kiosk_binding& kiosk, const decoded_batch& batch, time_ms received,
                                  batch_statements& statements) {
  auto* insert = statements.insert.get();
  auto* quarantine = statements.quarantine.get();

  const auto offset = batch.batch.clock_offset_ms.value_or(0);
  const auto correction = std::llabs(offset) > skew_correction_threshold_ms ? offset : 0;
  batch_result out;
  out.acked.reserve(batch.batch.scans.size() + batch.rejected.size());

  const auto put_in_quarantine = [&](std::string_view id, std::string_view reason,
                                     std::string_view raw) -> result<void> {
    CMETRACK_TRY(quarantine->bind(1, id).bind(2, std::string_view(kiosk.kiosk)).bind(3, reason).bind(4, raw)
                     .bind(5, received).run());
    out.quarantined += sqlite3_changes(db.handle());
    return {};
  };

  const auto times = bounds::scan_times(m);
  std::size_t index = 0;
  for (const auto& s : batch.batch.scans) {
    ++index;
    out.acked.push_back(s.id);
    std::string reason;
    if (s.room != kiosk.room)
      reason = fmt::format("room: \"{}\" is not the room kiosk \"{}\" is enrolled for (\"{}\")", s.room, kiosk.kiosk,
                           kiosk.room);
    else if (s.door != kiosk.door)
      reason = fmt::format("door: \"{}\" is not the door kiosk \"{}\" is enrolled for (\"{}\")", s.door, kiosk.kiosk,
                           kiosk.door);
    else if (auto outside = bounds::outside_meeting(times, s.at + correction))
      reason = "at: " + *outside;
    if (!reason.empty()) {
      const auto raw = raw_json(s);
      CMETRACK_TRY(put_in_quarantine(s.id, reason, raw));
      continue;
    }
    const auto badge = pattern.extract(s.badge);
    insert->bind(1, std::string_view(s.id)).bind(2, std::string_view(kiosk.kiosk)).bind(3, s.seq)
        .bind(4, std::string_view(s.badge)).bind(6, std::string_view(s.room)).bind(7, std::string_view(s.door))
        .bind(8, to_string(s.dir)).bind(9, s.at + correction).bind(11, received)
        .bind(12, static_cast<std::int64_t>(scan_id_hash(s.id))).bind(13, s.at);
    if (s.source.empty()) insert->bind(10, std::nullopt); else insert->bind(10, std::string_view(s.source));
    if (badge) insert->bind(5, *badge); else insert->bind(5, std::nullopt);
    if (auto r = insert->run(); !r)
      return with_context(fmt::format("cannot store scan \"{}\" of kiosk \"{}\"", s.id, kiosk.kiosk), r.error());
    if (sqlite3_changes(db.handle()) == 0) ++out.already_stored;
    else ++out.stored;
  }
  for (const auto& r : batch.rejected) {
    out.acked.push_back(r.id);
    CMETRACK_TRY(put_in_quarantine(r.id, r.reason, r.raw));
  }
  CMETRACK_TRY(record_contact(db, kiosk.kiosk, received, batch.batch.clock_offset_ms, batch.batch.backlog,
                              out.quarantined));
  return out;
}

}  // namespace

result<batch_result> ingest_batch(sqlite::database& db, const meeting& m, const badge_pattern& pattern,
                                  const kiosk_binding& kiosk, const decoded_batch& batch, time_ms received,
                                  batch_statements& statements) {
  const auto prepare = [&](std::unique_ptr<statement>& into, std::string_view sql) -> result<void> {
    if (into) return {};
    auto s = statement::prepare(db, sql);
    if (!s) return std::unexpected(s.error());
    into = std::make_unique<statement>(std::move(*s));
    return {};
  };
  CMETRACK_TRY(prepare(statements.insert, R"sql(
    INSERT INTO scans (id, kiosk, seq, payload, badge, room, door, direction, at_ms, source, received_ms, id_hash,
                       kiosk_at_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING)sql"));
  CMETRACK_TRY(prepare(statements.quarantine, R"sql(
    INSERT INTO quarantine (id, kiosk, reason, raw, received_ms) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO NOTHING)sql"));
  auto tx = sqlite::transaction::begin(db);
  if (!tx) return std::unexpected(batch_fault(tx.error()));
  auto stored = insert_batch(db, m, pattern, kiosk, batch, received, statements);
  if (stored) {
    if (auto r = tx->commit(); !r) stored = std::unexpected(r.error());
  }
  if (!stored) return std::unexpected(batch_fault(stored.error()));
  return stored;
}

bool is_disk_full(const error& e) { return e.kind == error_kind::disk_full; }

}  // namespace cmetrack::central
