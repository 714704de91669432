#include "sync/agent/outbox_marks.h"

#include <fmt/format.h>

#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::agent {

result<std::int64_t> record_delivery(kiosk::kiosk_store& store, std::span<const std::string> ids,
                                     const kiosk::sync_status& status) {
  auto& db = store.db();
  CMETRACK_TRY(db.exec("PRAGMA synchronous=NORMAL;"));
  struct full_again {
    sqlite::database& db;
    ~full_again() { (void)db.exec("PRAGMA synchronous=FULL;"); }
  } restore{db};
  auto tx = sqlite::transaction::begin(db);
  if (!tx) return std::unexpected(tx.error());
  auto mark = sqlite::statement::prepare(db, "UPDATE scans SET sent = 1 WHERE id = ? AND sent = 0");
  if (!mark) return std::unexpected(mark.error());
  std::int64_t marked = 0;
  for (const auto& id : ids) {
    mark->bind(1, std::string_view(id));
    if (auto r = mark->run(); !r) return with_context(fmt::format("cannot mark scan {} sent", id), r.error());
    marked += sqlite3_changes(db.handle());
  }
  CMETRACK_TRY(store.write_sync_status(status));
  CMETRACK_TRY(tx->commit());
  return marked;
}

}  // namespace cmetrack::agent
