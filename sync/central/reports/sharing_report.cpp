#include "sync/central/reports/sharing_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "shared/sqlite/statement.h"
#include "shared/time.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/scan_store.h"

namespace cmetrack::central {

using sqlite::statement;

result<std::vector<sharing_record>> describe_sharing(sqlite::database& db, const meeting& m, std::string_view badge,
                                                     std::span<const sharing_event> events) {
  std::vector<sharing_record> out;
  if (events.empty()) return out;
  // What the engine read of a scan is its place in scans_by_badge: the row is found by it.
  auto find = statement::prepare(
      db, "SELECT id, door FROM scans WHERE badge = ? AND at_ms = ? AND kiosk = ? AND seq = ? AND id_hash = ?");
  if (!find) return std::unexpected(find.error());
  const auto place = [&](const scan& s) -> result<sharing_scan_place> {
    find->bind(1, badge).bind(2, s.at).bind(3, s.kiosk).bind(4, s.seq).bind(5, static_cast<std::int64_t>(s.id_hash));
    const auto found = find->step();
    if (!found) return with_context(fmt::format("cannot read the scans of badge \"{}\"", badge), found.error());
    sharing_scan_place p;
    if (*found) {
      p.id = find->text(0);
      p.door = find->text(1);
    }
    find->reset();
    p.room = m.rooms[static_cast<std::size_t>(s.room)].id;
    p.at = s.at;
    return p;
  };
  for (const auto& e : events) {
    auto first = place(e.first);
    if (!first) return std::unexpected(first.error());
    auto second = place(e.second);
    if (!second) return std::unexpected(second.error());
    out.push_back({std::move(*first), std::move(*second), e.gap, e.required});
  }
  return out;
}

nlohmann::ordered_json sharing_json(std::span<const sharing_record> records) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& r : records)
    out.push_back({{"at", format_iso8601_utc(r.second.at)},
                   {"from_room", r.first.room},
                   {"to_room", r.second.room},
                   {"from_door", r.first.door},
                   {"to_door", r.second.door},
                   {"gap_seconds", r.gap / ms_per_second},
                   {"required_seconds", r.required / ms_per_second},
                   {"from_at", format_iso8601_utc(r.first.at)},
                   {"from_scan", r.first.id},
                   {"to_scan", r.second.id}});
  return out;
}

result<nlohmann::ordered_json> sharing_report(sqlite::database& db, const meeting& m, time_ms now) {
  struct flagged {
    std::string badge;
    std::vector<sharing_record> records;
    time_ms newest = 0;
  };
  std::vector<flagged> list;
  if (m.sharing.enabled()) {
    // One pass over every badge's scans, in the order of scans_by_badge.
    auto scans = load_all_scans(db, m, now);
    if (!scans) return std::unexpected(scans.error());
    for (std::size_t b = 0; b < scans->badge_count(); ++b) {
      const auto events = find_badge_sharing(m, scans->scans_of(b), now);
      if (events.empty()) continue;
      auto records = describe_sharing(db, m, scans->badge(b), events);
      if (!records) return std::unexpected(records.error());
      list.push_back({scans->badge(b), std::move(*records), events.back().second.at});
    }
  }
  std::ranges::sort(list, [](const flagged& a, const flagged& b) {
    return a.newest != b.newest ? a.newest > b.newest : a.badge < b.badge;
  });
  auto out = nlohmann::ordered_json::array();
  for (const auto& f : list) {
    auto who = find_attendee(db, f.badge);
    if (!who) return std::unexpected(who.error());
    out.push_back({{"badge", f.badge},
                   {"name", *who ? nlohmann::ordered_json((*who)->name()) : nlohmann::ordered_json(nullptr)},
                   {"events", sharing_json(f.records)}});
  }
  return out;
}

}  // namespace cmetrack::central
