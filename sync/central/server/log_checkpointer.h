#pragma once
// serve's checkpoints of central.db-wal, on a thread of their own: told the
// log's length after each of serve's commits, it starts a checkpoint once
// the log has grown checkpoint_log_pages past what the last one copied
// (SQLite starts the log again from its head only when a writer finds it
// all copied and no reader in it) and none is running. The I/O thread
// never copies the log back itself, and neither do the workers that sync
// it, so no batch's answer waits behind a checkpoint's disk writes other
// than through the disk itself (docs/design.md, "Checkpoints").
#include <boost/asio/thread_pool.hpp>

#include <atomic>

#include "shared/sqlite/database.h"
#include "sync/central/store/log_checkpoint.h"

namespace cmetrack::central {

class log_checkpointer {
 public:
  // `serve_db`: serve's connection, whose commits are watched (on the I/O
  // thread). `own`: a connection of its own to central.db, used only on the
  // checkpoint thread. Both must outlive this. `mark_pages`: the log's
  // length that starts a checkpoint.
  log_checkpointer(sqlite::database& serve_db, sqlite::database& own, int mark_pages = checkpoint_log_pages);
  // Waits for a checkpoint in hand to end.
  ~log_checkpointer();
  log_checkpointer(const log_checkpointer&) = delete;
  log_checkpointer& operator=(const log_checkpointer&) = delete;

 private:
  void after_commit(int log_pages);
  void checkpoint();

  sqlite::database& own_;
  int mark_pages_;
  std::atomic<bool> running_{false};
  std::atomic<int> copied_{0};  // of the log, by the last checkpoint
  boost::asio::thread_pool thread_{1};
  log_length_watch watch_;
};

}  // namespace cmetrack::central
