#include "tests/kiosk/live_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "tests/support/process.h"

extern char** environ;

namespace cmetrack::test {

live_process::live_process(const std::vector<std::string>& argv) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<std::string> args = argv;
  if (args.at(0).find('/') == std::string::npos) args[0] = bin(args[0]);
  std::vector<char*> c_args;
  for (auto& a : args) c_args.push_back(a.data());
  c_args.push_back(nullptr);
  const int rc = posix_spawn(&pid_, c_args[0], &actions, nullptr, c_args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  in_ = in_pipe[1];
  out_ = out_pipe[0];
  err_ = err_pipe[0];
  ::signal(SIGPIPE, SIG_IGN);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
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
