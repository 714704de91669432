#pragma once
// What the agent writes to kiosk.db after an exchange: the scans the central
// node acknowledged marked sent, and sync_status, in one transaction (one
// fsync a batch rather than two). Written through kiosk_store::db(), beside
// kiosk_store's own mark_sent(), which opens a transaction of its own.
//
// The transaction commits with synchronous=NORMAL (no fsync of its own; WAL
// keeps it safe from corruption): a power cut may undo the latest marks, and
// the scans they marked are then sent again, which the central node, keyed
// by scan id, acknowledges without storing them twice. Nothing is lost: a
// mark is only ever made after the central node's commit. The kiosk's own
// commits stay synced (synchronous is per connection; the agent's is set
// back to FULL after each delivery), and their fsync of the WAL also syncs
// any marks written before them.
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
