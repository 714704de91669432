#include "tests/support/live_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "tests/support/process.h"

namespace cmetrack::test {

live_process::live_process(const std::vector<std::string>& argv) {
  const spawned child = spawn(argv);
  pid_ = child.pid;
  in_ = child.in;
  out_ = child.out;
  err_ = child.err;
}

live_process::~live_process() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  for (const int fd : {in_, out_, err_})
    if (fd >= 0) close(fd);
}

void live_process::write(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(in_, text.data() + done, text.size() - done);
    if (n <= 0) throw std::runtime_error("cannot write to the process's standard input");
    done += static_cast<std::size_t>(n);
  }
}

void live_process::close_input() {
  if (in_ >= 0) close(in_);
  in_ = -1;
}

bool live_process::read_some(int timeout_ms) {
  if (out_ < 0) return false;
  pollfd fd{out_, POLLIN, 0};
  if (poll(&fd, 1, timeout_ms) <= 0) return true;  // nothing yet
  char buffer[65536];
  const ssize_t n = read(out_, buffer, sizeof buffer);
  if (n <= 0) {
    close(out_);
    out_ = -1;
    return false;
  }
  partial_.append(buffer, static_cast<std::size_t>(n));
  for (std::size_t nl; (nl = partial_.find('\n')) != std::string::npos;) {
    lines_.push_back(partial_.substr(0, nl));
    partial_.erase(0, nl + 1);
  }
  return true;
}

const std::vector<std::string>& live_process::read_lines(std::size_t count, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (lines_.size() < count) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0 || !read_some(static_cast<int>(left))) break;
  }
  return lines_;
}

const std::vector<std::string>& live_process::read_to_end(int timeout_ms) {
  return read_lines(static_cast<std::size_t>(-1), timeout_ms);
}

void live_process::signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

int live_process::wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string live_process::error_output() {
  std::string text;
  if (err_ < 0) return text;
  fcntl(err_, F_SETFL, O_NONBLOCK);
  char buffer[4096];
  for (ssize_t n; (n = read(err_, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  return text;
}

}  // namespace cmetrack::test
