#pragma once
// central.db-wal kept short by a thread of serve's own. SQLite checkpoints
// (copies the log's pages back into central.db) inside whichever commit
// crosses its mark, which in serve is the I/O thread: a commit that takes
// seconds while the copy runs. serve turns that off (tune_for_serve), is
// told the log's length after each of its commits, and runs the checkpoint
// on a connection and thread of its own (docs/design.md, "Checkpoints").
#include <cstdint>
#include <functional>

#include "shared/error.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

// serve checkpoints each time the log has grown this many pages (16 MiB)
// past what the last checkpoint copied. A checkpoint ends with an fsync of
// central.db, which the disk serves before the next sync of the log that a
// batch's answer waits for: 64 MiB at a time held batches 0.75 s at
// congress size, a quarter of that a quarter as long (BENCHMARKS.md, "The
// central node at congress size"). Off the I/O thread, a shorter log costs
// a few more page writes, not batches' time.
constexpr int checkpoint_log_pages = 4096;

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

// SQLite starts the log again from its head only where a writer begins
// with all of it copied back, which a busy serve (a commit every few
// milliseconds, the copy on another thread) never does: the log would grow
// for ever, and each sync of a growing file waits for the file system's
// journal (0.5 s seen). Once it is this long (64 MiB), the checkpoint
// thread also restarts it.
constexpr int restart_log_pages = 4 * checkpoint_log_pages;

// Copies back the rest of the log and has the next writer start it again
// from its head (wal_checkpoint(RESTART)). Holds writers off while it
// waits for readers to leave the log, for at most `wait_ms`, and while it
// copies and syncs: call it after checkpoint_log, when little is left.
// Busy (nothing restarted) where a reader stays longer.
result<checkpoint_outcome> restart_log(sqlite::database& db, int wait_ms);

// A sync of a file that has grown waits for the file system's journal
// (the new length, the new blocks): 0.5 s seen at congress size, where
// another process's ingest grew the log, and every batch's answer of that
// moment waited for it. SQLite never shortens the log's file while
// journal_size_limit is unset (as here): once this long, its writes land on
// blocks the file already has. serve makes it so at start: as long as an
// eighth of central.db, at most this (96 MiB: the restart length and half
// again, since writers go on while a restart waits for its readers).
constexpr std::int64_t long_log_bytes = std::int64_t{96} << 20;

// Makes central.db-wal at least `bytes` long by writing zeros after its end
// (not a hole, not fallocate's unwritten blocks: writing into either changes
// the file's metadata again at the next sync), then syncs it once. It holds
// central.db's write lock meanwhile, so no writer's frame is overwritten.
// SQLite reads the log's frames only up to the last one a commit wrote, and
// zeros are never a valid frame, so what lies after them is ignored as old
// frames are. A log already as long is left as it is.
result<void> lengthen_log(sqlite::database& db, std::int64_t bytes);

}  // namespace cmetrack::central
