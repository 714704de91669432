#include "kiosk/app/export_scans.h"

#include <fmt/format.h>

#include "shared/atomic_file.h"
#include "shared/scans_csv.h"

namespace cmetrack::kiosk {

int export_scans(kiosk_store& store, const kiosk_config& config, const std::string& path) {
  auto scans = store.all_scans();
  if (!scans) {
    fmt::print(stderr, "cmetrack-kiosk: {}\n", scans.error().message);
    return 1;
  }
  auto out = atomic_file::create(path);
  if (!out) {
    fmt::print(stderr, "cmetrack-kiosk: --export-scans: {}\n", out.error().message);
    return 2;
  }
  std::int64_t unsent = 0;
  {
    scans_csv_writer writer(out->stream());
    scan_record r;
    for (const auto& s : *scans) {
      r.id = s.id;
      r.kiosk = config.kiosk;
      r.seq = s.seq;
      r.payload = s.payload;
      r.room = s.room;
      r.door = s.door;
      r.direction = s.direction;
      r.at = s.at;
      r.source = s.source;
      writer.write(r);
      if (!s.sent) ++unsent;
    }
  }
  if (auto r = out->commit(); !r) {
    fmt::print(stderr, "cmetrack-kiosk: --export-scans: {}\n", r.error().message);
    return 1;
  }
  fmt::print("{}: {} scans of kiosk {} ({} not yet acknowledged by the central node); load them there with "
             "`cmetrack-central ingest --data DIR {}`\n",
             path, scans->size(), config.kiosk, unsent, path);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace cmetrack::kiosk
