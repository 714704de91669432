#include "shared/sqlite/transaction.h"

#include <utility>

namespace cmetrack::sqlite {

result<transaction> transaction::begin(database& db) {
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return std::unexpected(r.error());
  return transaction(db);
}

transaction::transaction(transaction&& other) noexcept
    : db_(other.db_), open_(std::exchange(other.open_, false)) {}

transaction::~transaction() {
  if (open_) sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

result<void> transaction::commit() {
  if (auto r = db_->exec("COMMIT"); !r) return r;  // still open: the destructor rolls back
  open_ = false;
  return {};
}

}  // namespace cmetrack::sqlite
