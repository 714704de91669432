#include "shared/sqlite/migrations.h"

#include <fmt/format.h>

#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::sqlite {

result<int> user_version(database& db) {
  auto stmt = statement::prepare(db, "PRAGMA user_version");
  if (!stmt) return std::unexpected(stmt.error());
  CMETRACK_TRY(stmt->step_row());
  return stmt->integer(0);
}

result<void> migrate(database& db, std::span<const std::string_view> steps) {
  auto version = user_version(db);
  if (!version) return std::unexpected(version.error());
  if (*version > static_cast<int>(steps.size()))
    return failure(fmt::format("{}: the database is at schema version {}, newer than this program knows ({}); "
                               "use a newer cmetrack",
                               db.path(), *version, steps.size()));
  for (auto i = static_cast<std::size_t>(*version); i < steps.size(); ++i) {
    auto tx = transaction::begin(db);
    if (!tx) return std::unexpected(tx.error());
    if (auto r = db.exec(steps[i]); !r) return r;
    if (auto r = db.exec(fmt::format("PRAGMA user_version={}", i + 1)); !r) return r;
    if (auto r = tx->commit(); !r) return r;
  }
  return {};
}

}  // namespace cmetrack::sqlite
