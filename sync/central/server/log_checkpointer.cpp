#include "sync/central/server/log_checkpointer.h"

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <string>

#include "shared/time.h"

namespace cmetrack::central {
namespace {

// How long a restart of the log may hold serve's batches off while it
// waits for readers (the live picture's rebuild reads for seconds: then
// it gives up, and tries after the next checkpoint).
constexpr int restart_wait_ms = 20;
// A restart also holds writers off while it copies back what is left of
// the log and syncs central.db: 0.7 s seen where another process's ingest
// had just added thousands of pages. So it runs only once passive
// checkpoints have left at most this many pages (1 MiB), a few of them
// in a row where writers keep adding; else it waits for a later turn.
constexpr int restart_left_pages = 256;
constexpr int restart_catch_up_tries = 4;

}  // namespace

log_checkpointer::log_checkpointer(sqlite::database& serve_db, sqlite::database& own, int mark_pages)
    : own_(own), mark_pages_(mark_pages), watch_(serve_db, [this](int pages) { after_commit(pages); }) {}

log_checkpointer::~log_checkpointer() { thread_.join(); }

void log_checkpointer::after_commit(int log_pages) {
  if (log_pages < copied_) copied_ = 0;  // the log started again from its head
  if (log_pages - copied_ < mark_pages_ || running_.exchange(true)) return;
  boost::asio::post(thread_, [this] {
    checkpoint();
    running_ = false;
  });
}

void log_checkpointer::checkpoint() {
  const auto started = now_ms();
  auto done = checkpoint_log(own_);
  if (!done) {
    fmt::print(stderr, "- - - checkpoint: {}; serve goes on, and tries again after a later commit\n",
               done.error().message);
    return;
  }
  if (done->busy) return;  // another process's connection is checkpointing
  auto last = *done;
  const auto left = [&] { return last.log_pages - last.copied_pages; };
  const bool restart = done->log_pages >= restart_log_pages;
  for (int i = 0; restart && i < restart_catch_up_tries && left() > restart_left_pages; ++i) {
    auto more = checkpoint_log(own_);
    if (!more || more->busy) break;
    last = *more;
  }
  copied_ = last.copied_pages;
  std::string restarted;
  if (restart && left() > restart_left_pages) {
    restarted = fmt::format("; not restarted yet ({} pages still to copy)", left());
  } else if (restart) {
    auto again = restart_log(own_, restart_wait_ms);
    if (!again)
      restarted = fmt::format("; not restarted: {}", again.error().message);
    else if (again->busy)
      restarted = "; not restarted yet (a reader was still in the log)";
    else
      restarted = "; the log starts again from its head";
  }
  fmt::print(stderr, "- - - checkpoint: {} of the log's {} pages copied into central.db in {} ms{}\n",
             last.copied_pages, last.log_pages, now_ms() - started, restarted);
}

}  // namespace cmetrack::central
