#include "sync/central/store/log_checkpoint.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "shared/sqlite/sqlite_error.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::central {
namespace {

int on_wal_commit(void* watch, sqlite3*, const char*, int pages) {
  (*static_cast<std::function<void(int)>*>(watch))(pages);
  return SQLITE_OK;
}

}  // namespace

log_length_watch::log_length_watch(sqlite::database& db, std::function<void(int pages)> after_commit)
    : db_(db), after_commit_(std::move(after_commit)) {
  sqlite3_wal_hook(db_.handle(), on_wal_commit, &after_commit_);
}

log_length_watch::~log_length_watch() { sqlite3_wal_hook(db_.handle(), nullptr, nullptr); }

namespace {

result<checkpoint_outcome> checkpoint(sqlite::database& db, int mode) {
  checkpoint_outcome out;
  const int rc = sqlite3_wal_checkpoint_v2(db.handle(), nullptr, mode, &out.log_pages, &out.copied_pages);
  if (rc == SQLITE_BUSY) {
    out.busy = true;
    return out;
  }
  if (rc != SQLITE_OK) return std::unexpected(sqlite::from_sqlite(db.handle(), "cannot checkpoint central.db's log"));
  return out;
}

}  // namespace

result<checkpoint_outcome> checkpoint_log(sqlite::database& db) {
  return checkpoint(db, SQLITE_CHECKPOINT_PASSIVE);
}

result<checkpoint_outcome> restart_log(sqlite::database& db, int wait_ms) {
  db.set_busy_timeout(wait_ms);
  auto out = checkpoint(db, SQLITE_CHECKPOINT_RESTART);
  db.set_busy_timeout(sqlite::open_options{}.busy_timeout_ms);
  return out;
}

namespace {

std::unexpected<error> log_error(error_kind kind, std::string message) {
  return std::unexpected(error{kind, std::move(message)});
}

}  // namespace

result<void> lengthen_log(sqlite::database& db, std::int64_t bytes) {
  auto lock = sqlite::transaction::begin(db);
  if (!lock) return with_context("cannot lengthen central.db's log", lock.error());
  const auto path = db.path() + "-wal";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return log_error(error_kind::io, fmt::format("{}: cannot open it to lengthen it: {}", path, std::strerror(errno)));
  const struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } close_log{fd};
  struct stat st{};
  if (::fstat(fd, &st) != 0) return log_error(error_kind::io, fmt::format("{}: {}", path, std::strerror(errno)));
  if (st.st_size >= bytes) return lock->commit();
  const std::vector<char> zeros(std::size_t{1} << 20, 0);
  for (std::int64_t at = st.st_size; at < bytes;) {
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(bytes - at, std::ssize(zeros)));
    const auto wrote = ::pwrite(fd, zeros.data(), n, at);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      const int e = wrote < 0 ? errno : ENOSPC;
      // What was written past the log's end is not part of the log: it goes.
      (void)::ftruncate(fd, st.st_size);
      return e == ENOSPC ? log_error(error_kind::disk_full, fmt::format("{}: the disk is full", path))
                         : log_error(error_kind::io, fmt::format("{}: cannot lengthen it: {}", path, std::strerror(e)));
    }
    at += wrote;
  }
  if (::fdatasync(fd) != 0)
    return log_error(error_kind::io, fmt::format("{}: cannot sync it: {}", path, std::strerror(errno)));
  return lock->commit();
}

}  // namespace cmetrack::central
