#pragma once
// A SQLite VFS for tests that makes the disk fail on purpose, as SQLite's own
// test_vfs / test_devsym do: a shim over the "unix" VFS that counts the
// write-side operations (xWrite, xSync, xTruncate, and xOpen of a journal or
// WAL file; reads too where asked) and fails the Nth one:
//
//   io_error   the operation answers SQLITE_IOERR_WRITE / _FSYNC / _TRUNCATE
//              / _READ, or SQLITE_CANTOPEN for an open
//   disk_full  from the Nth operation on, a write that would make a file
//              longer answers SQLITE_FULL (overwriting in place, syncing and
//              opening still work, as on a real full disk)
//
// `once`: only the first faulted operation fails (a passing glitch, or a
// little space freed by something else); `persistent`: every one from then
// on, until clear() (the disk is replaced, or space returns).
//
// Product code knows nothing of it: a test installs it as SQLite's default
// VFS (scope) before opening a store; connections opened then go through it.
// Counting and faults are process-wide and thread-safe.
#include <cstdint>

namespace cmetrack::test::fault_vfs {

enum class fault { io_error, disk_full };
enum class persistence { once, persistent };

// Registers the shim as "cmetrack-fault" (idempotent); as SQLite's default
// VFS where `as_default`. Disarmed: it passes every call through.
void install(bool as_default = true);
// Makes "unix" the default VFS again (the shim stays registered by name, so
// connections opened through it keep working).
void restore_default();

// Arms a fault at the Nth counted operation from now (n >= 1): the count
// starts again at zero. `count_reads`: xRead counts (and fails) too.
void fail_at(std::int64_t n, fault kind, persistence how = persistence::once, bool count_reads = false);
// Disarms: every call passes through again; the count starts again at zero.
void clear();
// Syncs still count (and fail where armed) but, where `skip`, do not reach
// the disk: the fault tests repeat a run per operation, and fsync is most of
// their time. What they check (errors, rollback, what a reopen finds) does
// not depend on it. (Surviving a kill is the crash test's, with real syncs.)
void skip_syncs(bool skip);

// Operations counted since the last fail_at() or clear().
std::int64_t count();
// Operations failed on purpose since the last fail_at() or clear().
std::int64_t faults();

// install(true) (and skip_syncs) for the life of a test; clear() and
// restore_default() at its end.
class scope {
 public:
  explicit scope(bool skip_disk_syncs = true) {
    install(true);
    skip_syncs(skip_disk_syncs);
  }
  ~scope() {
    clear();
    skip_syncs(false);
    restore_default();
  }
  scope(const scope&) = delete;
  scope& operator=(const scope&) = delete;
};

}  // namespace cmetrack::test::fault_vfs
