#include "shared/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace cmetrack {
namespace {

std::unexpected<error> write_error(const std::string& path, int err) {
  const auto message = fmt::format("{}: cannot write: {}", path, std::strerror(err));
  if (err == ENOSPC || err == EDQUOT) return std::unexpected(error{error_kind::disk_full, message + "; free some space"});
  return std::unexpected(error{error_kind::io, message});
}

// fsync of a file or directory by name; errno where it fails, else 0.
int sync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int err = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

}  // namespace

atomic_file::atomic_file(std::string path, std::FILE* file)
    : path_(std::move(path)), partial_(path_ + ".partial"), file_(file) {}

atomic_file::atomic_file(atomic_file&& other) noexcept
    : path_(std::move(other.path_)),
      partial_(std::move(other.partial_)),
      file_(std::exchange(other.file_, nullptr)),
      done_(std::exchange(other.done_, true)) {}

atomic_file::~atomic_file() { discard(); }

result<atomic_file> atomic_file::create(std::string path, mode_t mode) {
  const auto partial = path + ".partial";
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0 || ::fchmod(fd, mode) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    return bad_input(fmt::format("{}: cannot write: {}; name a file in a writable directory", path, std::strerror(err)));
  }
  std::FILE* file = ::fdopen(fd, "wb");
  if (!file) {
    const int err = errno;
    ::close(fd);
    return write_error(path, err);
  }
  return atomic_file(std::move(path), file);
}

atomic_file atomic_file::for_partial_written_elsewhere(std::string path) {
  atomic_file f(std::move(path), nullptr);
  std::error_code ec;
  std::filesystem::remove(f.partial_, ec);
  return f;
}

void atomic_file::discard() {
  if (done_) return;
  done_ = true;
  if (file_) std::fclose(std::exchange(file_, nullptr));
  std::remove(partial_.c_str());
}

result<void> atomic_file::commit() {
  if (done_) return failure(fmt::format("{}: written already", path_));
  int err = 0;
  if (file_) {
    if (std::ferror(file_) || std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) err = errno ? errno : EIO;
    if (std::fclose(std::exchange(file_, nullptr)) != 0 && err == 0) err = errno;
  } else {
    err = sync_path(partial_);
  }
  if (err != 0) {
    discard();
    return write_error(path_, err);
  }
  if (std::rename(partial_.c_str(), path_.c_str()) != 0) {
    // Something in the way (a directory of that name) or a place that takes
    // no file: the caller's path is at fault.
    err = errno;
    discard();
    if (err == EIO) return write_error(path_, err);
    return bad_input(
        fmt::format("{}: cannot put the file in place: {}; name a file in a writable directory", path_, std::strerror(err)));
  }
  done_ = true;
  const auto dir = std::filesystem::path(path_).parent_path();
  (void)sync_path(dir.empty() ? std::string(".") : dir.string());  // the rename itself; best effort
  return {};
}

result<void> write_file_atomically(std::string path, std::string_view text, mode_t mode) {
  auto file = atomic_file::create(std::move(path), mode);
  if (!file) return std::unexpected(file.error());
  if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file->stream()) != text.size())
    return write_error(file->path(), errno ? errno : EIO);
  return file->commit();
}

}  // namespace cmetrack
