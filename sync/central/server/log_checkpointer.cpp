#include "sync/central/server/log_checkpointer.h"

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "shared/time.h"

namespace cmetrack::central {

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
  copied_ = done->copied_pages;
  fmt::print(stderr, "- - - checkpoint: {} of the log's {} pages copied into central.db in {} ms\n",
             done->copied_pages, done->log_pages, now_ms() - started);
}

}  // namespace cmetrack::central
