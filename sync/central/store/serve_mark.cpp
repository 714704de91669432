#include "sync/central/store/serve_mark.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace cmetrack::central {
namespace {

std::string mark_path(const std::filesystem::path& data_dir) { return (data_dir / "serve.lock").string(); }

}  // namespace

result<serve_mark> serve_mark::hold(const std::filesystem::path& data_dir) {
  const auto path = mark_path(data_dir);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || ::flock(fd, LOCK_SH) != 0) {
    const int why = errno;
    if (fd >= 0) ::close(fd);
    return failure(fmt::format("{}: cannot take the mark that tells other commands serve is running: {}", path,
                               std::strerror(why)));
  }
  return serve_mark(fd);
}

serve_mark::serve_mark(serve_mark&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

serve_mark::~serve_mark() {
  if (fd_ >= 0) ::close(fd_);
}

bool serve_running(const std::filesystem::path& data_dir) {
  const auto path = mark_path(data_dir);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // no serve has run here
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // and with it a lock this took
  return held;
}

}  // namespace cmetrack::central
