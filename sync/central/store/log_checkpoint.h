#pragma once
// central.db-wal kept short by a thread of serve's own. SQLite checkpoints
// (copies the log's pages back into central.db) inside whichever commit
// crosses its mark, which in serve is the I/O thread: a commit that takes
// seconds while the copy runs. serve turns that off (tune_for_serve), is
// told the log's length after each of its commits, and runs the checkpoint
// on a connection and thread of its own (docs/design.md, "Checkpoints").
#include <functional>

#include "shared/error.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

// serve checkpoints once the log holds this many pages (64 MiB): batches
// insert at random places in the id and badge indexes, so most batches
// dirty pages an earlier one did, and a longer log copies each back once
// for many batches (BENCHMARKS.md, "The sync path").
constexpr int checkpoint_log_pages = 16384;

// Calls `after_commit(pages)` after each commit of `db`'s connection, with
// the pages the log then holds (every connection's, other processes' too).
// Replaces the connection's automatic checkpoint. `db` must outlive it.
class log_length_watch {
 public:
  log_length_watch(sqlite::database& db, std::function<void(int pages)> after_commit);
  ~log_length_watch();
  log_length_watch(const log_length_watch&) = delete;
  log_length_watch& operator=(const log_length_watch&) = delete;

 private:
  sqlite::database& db_;
  std::function<void(int)> after_commit_;
};

struct checkpoint_outcome {
  int log_pages = 0;     // in the log when it began
  int copied_pages = 0;  // of them, in central.db now
  bool busy = false;     // another connection was checkpointing: nothing done
};

// Copies back what no reader still needs (PRAGMA wal_checkpoint(PASSIVE)):
// waits for no reader or writer, and they need not wait for it.
result<checkpoint_outcome> checkpoint_log(sqlite::database& db);

}  // namespace cmetrack::central
