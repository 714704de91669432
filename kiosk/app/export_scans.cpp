#include "kiosk/app/export_scans.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "shared/scans_csv.h"

namespace cmetrack::kiosk {

int export_scans(kiosk_store& store, const kiosk_config& config, const std::string& path) {
  auto scans = store.all_scans();
  if (!scans) {
    fmt::print(stderr, "cmetrack-kiosk: {}\n", scans.error().message);
    return 1;
  }
  const std::string partial = path + ".partial";
  std::FILE* out = std::fopen(partial.c_str(), "wb");
  if (!out) {
    fmt::print(stderr, "cmetrack-kiosk: --export-scans: {}: cannot write: {}\n", path, std::strerror(errno));
    return 2;
  }
  std::int64_t unsent = 0;
  {
    scans_csv_writer writer(out);
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
  const bool written = std::fflush(out) == 0 && ::fsync(::fileno(out)) == 0;
  const int saved = errno;
  if (std::fclose(out) != 0 || !written || std::rename(partial.c_str(), path.c_str()) != 0) {
    std::remove(partial.c_str());
    fmt::print(stderr, "cmetrack-kiosk: --export-scans: {}: cannot write: {}\n", path, std::strerror(saved ? saved : errno));
    return 1;
  }
  fmt::print("{}: {} scans of kiosk {} ({} not yet acknowledged by the central node); load them there with "
             "`cmetrack-central ingest --data DIR {}`\n",
             path, scans->size(), config.kiosk, unsent, path);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace cmetrack::kiosk
