#pragma once
// What the agent writes to kiosk.db after an exchange: the scans the central
// node acknowledged marked sent, and sync_status, in one transaction (one
// fsync a batch rather than two). Written through kiosk_store::db(), beside
// kiosk_store's own mark_sent(), which opens a transaction of its own.
#include <cstdint>
#include <span>
#include <string>

#include "kiosk/core/kiosk_store.h"
#include "shared/error.h"

namespace cmetrack::agent {

// Marks `ids` sent (ids unknown or already sent are skipped) and writes
// `status`; returns how many scans changed.
result<std::int64_t> record_delivery(kiosk::kiosk_store& store, std::span<const std::string> ids,
                                     const kiosk::sync_status& status);

}  // namespace cmetrack::agent
