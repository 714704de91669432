#include "tests/support/fault_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace cmetrack::test::fault_vfs {
namespace {

constexpr const char* vfs_name = "cmetrack-fault";

// What is armed, and what has been counted since.
struct plan {
  bool armed = false;
  std::int64_t at = 0;
  fault kind = fault::io_error;
  bool persistent = false;
  bool count_reads = false;
  bool fired = false;
  std::int64_t counted = 0;
  std::int64_t failed = 0;
};

std::mutex plan_mutex;
plan the_plan;
std::atomic<bool> syncs_skipped{false};

enum class op { open, read, write, sync, truncate };

// One open file: ours, then the unix VFS's own in the same allocation.
struct shim_file {
  sqlite3_file base;  // first: SQLite sees this
  sqlite3_file* real;
};

sqlite3_vfs* unix_vfs() {
  static sqlite3_vfs* v = sqlite3_vfs_find("unix");
  if (!v) throw std::runtime_error("fault_vfs: SQLite has no \"unix\" VFS to wrap");
  return v;
}

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<shim_file*>(f)->real; }

// SQLITE_OK to let the operation through, else the code it fails with.
// `extends` says whether a write makes its file longer (asked only for a
// disk-full plan, since it costs a fstat).
template <class Extends>
int decide(op what, Extends&& extends) {
  std::lock_guard lock(plan_mutex);
  auto& p = the_plan;
  if (what == op::read && !p.count_reads) return SQLITE_OK;
  const std::int64_t n = ++p.counted;
  if (!p.armed) return SQLITE_OK;
  if (n < p.at) return SQLITE_OK;
  if (p.fired && !p.persistent) return SQLITE_OK;
  int rc = SQLITE_OK;
  if (p.kind == fault::disk_full) {
    if (what == op::write && extends()) rc = SQLITE_FULL;
  } else {
    switch (what) {
      case op::open: rc = SQLITE_CANTOPEN; break;
      case op::read: rc = SQLITE_IOERR_READ; break;
      case op::write: rc = SQLITE_IOERR_WRITE; break;
      case op::sync: rc = SQLITE_IOERR_FSYNC; break;
      case op::truncate: rc = SQLITE_IOERR_TRUNCATE; break;
    }
  }
  if (rc != SQLITE_OK) {
    p.fired = true;
    ++p.failed;
  }
  return rc;
}

int decide(op what) {
  return decide(what, [] { return false; });
}

// --- the file's methods: counted ones decide first, the rest pass through ---

int x_close(sqlite3_file* f) {
  auto* real = real_of(f);
  const int rc = real->pMethods ? real->pMethods->xClose(real) : SQLITE_OK;
  f->pMethods = nullptr;
  return rc;
}

int x_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  if (const int rc = decide(op::read); rc != SQLITE_OK) return rc;
  auto* real = real_of(f);
  return real->pMethods->xRead(real, buffer, amount, offset);
}

int x_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  auto* real = real_of(f);
  const int rc = decide(op::write, [&] {
    sqlite3_int64 size = 0;
    if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) return true;
    return offset + amount > size;
  });
  if (rc != SQLITE_OK) return rc;
  return real->pMethods->xWrite(real, buffer, amount, offset);
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (const int rc = decide(op::truncate); rc != SQLITE_OK) return rc;
  auto* real = real_of(f);
  return real->pMethods->xTruncate(real, size);
}

int x_sync(sqlite3_file* f, int flags) {
  if (const int rc = decide(op::sync); rc != SQLITE_OK) return rc;
  if (syncs_skipped) return SQLITE_OK;
  auto* real = real_of(f);
  return real->pMethods->xSync(real, flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  auto* real = real_of(f);
  return real->pMethods->xFileSize(real, size);
}

int x_lock(sqlite3_file* f, int level) {
  auto* real = real_of(f);
  return real->pMethods->xLock(real, level);
}

int x_unlock(sqlite3_file* f, int level) {
  auto* real = real_of(f);
  return real->pMethods->xUnlock(real, level);
}

int x_check_reserved_lock(sqlite3_file* f, int* out) {
  auto* real = real_of(f);
  return real->pMethods->xCheckReservedLock(real, out);
}

int x_file_control(sqlite3_file* f, int op, void* arg) {
  auto* real = real_of(f);
  const int rc = real->pMethods->xFileControl(real, op, arg);
  // SQLITE_FCNTL_VFSNAME: say that this shim is in the stack too.
  if (op == SQLITE_FCNTL_VFSNAME && rc == SQLITE_OK && arg) {
    auto** name = static_cast<char**>(arg);
    char* both = sqlite3_mprintf("%s/%z", vfs_name, *name);
    *name = both;
  }
  return rc;
}

int x_sector_size(sqlite3_file* f) {
  auto* real = real_of(f);
  return real->pMethods->xSectorSize(real);
}

int x_device_characteristics(sqlite3_file* f) {
  auto* real = real_of(f);
  return real->pMethods->xDeviceCharacteristics(real);
}

int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  auto* real = real_of(f);
  if (real->pMethods->iVersion < 2) return SQLITE_IOERR;
  return real->pMethods->xShmMap(real, region, size, extend, out);
}

int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  auto* real = real_of(f);
  if (real->pMethods->iVersion < 2) return SQLITE_IOERR;
  return real->pMethods->xShmLock(real, offset, n, flags);
}

void x_shm_barrier(sqlite3_file* f) {
  auto* real = real_of(f);
  if (real->pMethods->iVersion >= 2) real->pMethods->xShmBarrier(real);
}

int x_shm_unmap(sqlite3_file* f, int delete_flag) {
  auto* real = real_of(f);
  if (real->pMethods->iVersion < 2) return SQLITE_OK;
  return real->pMethods->xShmUnmap(real, delete_flag);
}

int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  auto* real = real_of(f);
  if (real->pMethods->iVersion < 3) {
    *out = nullptr;
    return SQLITE_OK;
  }
  return real->pMethods->xFetch(real, offset, amount, out);
}

int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  auto* real = real_of(f);
  if (real->pMethods->iVersion < 3) return SQLITE_OK;
  return real->pMethods->xUnfetch(real, offset, page);
}

const sqlite3_io_methods shim_methods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

// --- the VFS: xOpen wraps the unix file; everything else is unix's ---

constexpr int journal_kinds = SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_SUBJOURNAL |
                              SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL;

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* shim = reinterpret_cast<shim_file*>(f);
  shim->base.pMethods = nullptr;
  shim->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(shim_file));
  shim->real->pMethods = nullptr;
  if (flags & journal_kinds)
    if (const int rc = decide(op::open); rc != SQLITE_OK) return rc;
  const int rc = unix_vfs()->xOpen(unix_vfs(), name, shim->real, flags, out_flags);
  // Where unix opened nothing, neither did we (SQLite then calls no xClose).
  if (shim->real->pMethods) shim->base.pMethods = &shim_methods;
  return rc;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return unix_vfs()->xDelete(unix_vfs(), name, syncs_skipped ? 0 : sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return unix_vfs()->xAccess(unix_vfs(), name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return unix_vfs()->xFullPathname(unix_vfs(), name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return unix_vfs()->xDlOpen(unix_vfs(), name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { unix_vfs()->xDlError(unix_vfs(), n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return unix_vfs()->xDlSym(unix_vfs(), handle, symbol);
}
void x_dl_close(sqlite3_vfs*, void* handle) { unix_vfs()->xDlClose(unix_vfs(), handle); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return unix_vfs()->xRandomness(unix_vfs(), n, out); }
int x_sleep(sqlite3_vfs*, int us) { return unix_vfs()->xSleep(unix_vfs(), us); }
int x_current_time(sqlite3_vfs*, double* out) { return unix_vfs()->xCurrentTime(unix_vfs(), out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return unix_vfs()->xGetLastError(unix_vfs(), n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return unix_vfs()->xCurrentTimeInt64(unix_vfs(), out);
}
int x_set_system_call(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return unix_vfs()->xSetSystemCall(unix_vfs(), name, p);
}
sqlite3_syscall_ptr x_get_system_call(sqlite3_vfs*, const char* name) {
  return unix_vfs()->xGetSystemCall(unix_vfs(), name);
}
const char* x_next_system_call(sqlite3_vfs*, const char* name) {
  return unix_vfs()->xNextSystemCall(unix_vfs(), name);
}

sqlite3_vfs& shim_vfs() {
  static sqlite3_vfs v = [] {
    sqlite3_vfs s{};
    s.iVersion = 3;
    s.szOsFile = static_cast<int>(sizeof(shim_file)) + unix_vfs()->szOsFile;
    s.mxPathname = unix_vfs()->mxPathname;
    s.zName = vfs_name;
    s.xOpen = x_open;
    s.xDelete = x_delete;
    s.xAccess = x_access;
    s.xFullPathname = x_full_pathname;
    s.xDlOpen = x_dl_open;
    s.xDlError = x_dl_error;
    s.xDlSym = x_dl_sym;
    s.xDlClose = x_dl_close;
    s.xRandomness = x_randomness;
    s.xSleep = x_sleep;
    s.xCurrentTime = x_current_time;
    s.xGetLastError = x_get_last_error;
    s.xCurrentTimeInt64 = x_current_time_int64;
    s.xSetSystemCall = x_set_system_call;
    s.xGetSystemCall = x_get_system_call;
    s.xNextSystemCall = x_next_system_call;
    return s;
  }();
  return v;
}

}  // namespace

void install(bool as_default) {
  auto& v = shim_vfs();
  if (sqlite3_vfs_find(vfs_name) == &v && !as_default) return;
  // Registering again moves it to the head of the list (the default).
  if (sqlite3_vfs_register(&v, as_default ? 1 : 0) != SQLITE_OK)
    throw std::runtime_error("fault_vfs: sqlite3_vfs_register failed");
}

void restore_default() {
  if (sqlite3_vfs_register(unix_vfs(), 1) != SQLITE_OK)
    throw std::runtime_error("fault_vfs: cannot make \"unix\" the default VFS again");
}

void fail_at(std::int64_t n, fault kind, persistence how, bool count_reads) {
  if (n < 1) throw std::invalid_argument("fault_vfs::fail_at: n counts from 1");
  std::lock_guard lock(plan_mutex);
  the_plan = plan{true, n, kind, how == persistence::persistent, count_reads, false, 0, 0};
}

void clear() {
  std::lock_guard lock(plan_mutex);
  the_plan = plan{};
}

void skip_syncs(bool skip) { syncs_skipped = skip; }

std::int64_t count() {
  std::lock_guard lock(plan_mutex);
  return the_plan.counted;
}

std::int64_t faults() {
  std::lock_guard lock(plan_mutex);
  return the_plan.failed;
}

}  // namespace cmetrack::test::fault_vfs
