#pragma once
// A file that appears whole or not at all: written as PATH.partial, then
// synced, renamed over PATH and its directory synced, so that neither a
// crash nor a full disk leaves PATH cut short. Dropped without commit(), the
// partial file is removed. Messages name PATH; a full disk is an error of
// kind disk_full, a file that cannot be made here one of bad input.
#include <sys/types.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "shared/error.h"

namespace cmetrack {

class atomic_file {
 public:
  // Opens PATH.partial for writing, made with `mode` (0600: for the owner
  // only, whatever the umask).
  static result<atomic_file> create(std::string path, mode_t mode = 0644);

  // Where someone else writes the bytes (SQLite, say): PATH.partial is
  // removed first, and commit() syncs what is there.
  static atomic_file for_partial_written_elsewhere(std::string path);

  atomic_file(atomic_file&& other) noexcept;
  atomic_file& operator=(atomic_file&&) = delete;
  atomic_file(const atomic_file&) = delete;
  ~atomic_file();

  // The open PATH.partial (null for one written elsewhere).
  std::FILE* stream() const { return file_; }
  const std::string& path() const { return path_; }
  const std::string& partial() const { return partial_; }

  // Flushes and syncs PATH.partial, renames it to PATH and syncs the
  // directory. On failure the partial file is gone.
  result<void> commit();

 private:
  atomic_file(std::string path, std::FILE* file);
  void discard();

  std::string path_, partial_;
  std::FILE* file_ = nullptr;
  bool done_ = false;
};

// The whole of `text` to PATH, as above.
result<void> write_file_atomically(std::string path, std::string_view text, mode_t mode = 0644);

}  // namespace cmetrack
