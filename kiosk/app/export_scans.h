#pragma once
// cmetrack-kiosk --export-scans FILE.csv: the kiosk's outbox as the
// contract's scans file, for a kiosk that cannot reach the central node
// (its agent died, the network never came back): carry the file over and
// `cmetrack-central ingest` it. Every scan, sent or not: the central node
// stores each id once, so a scan it already holds costs nothing.
#include <string>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"

namespace cmetrack::kiosk {

// Writes FILE whole or not at all; prints what it wrote. Exit status.
int export_scans(kiosk_store& store, const kiosk_config& config, const std::string& path);

}  // namespace cmetrack::kiosk
