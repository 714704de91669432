#pragma once
// RAII transaction: BEGIN IMMEDIATE on construction, ROLLBACK on destruction
// unless commit() succeeded. Never throws from its destructor.
#include "shared/error.h"
#include "shared/sqlite/database.h"

namespace cmetrack::sqlite {

class transaction {
 public:
  static result<transaction> begin(database& db);

  transaction(transaction&& other) noexcept;
  transaction& operator=(transaction&&) = delete;
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();

  result<void> commit();

 private:
  explicit transaction(database& db) : db_(&db) {}
  database* db_;
  bool open_ = true;
};

}  // namespace cmetrack::sqlite
