#include "tests/sync/central/central_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace cmetrack::test {

std::vector<std::string> tls_args(const test_pki& pki) {
  return {"--tls-cert", pki.server_cert, "--tls-key", pki.server_key};
}

central_server::central_server(const std::string& data, const std::vector<std::string>& extra,
                               const std::string& log_file)
    : log_file_(log_file) {
  std::vector<std::string> args{bin("cmetrack-central"), "serve", "--data", data, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  out_ = out[0];
  if (rc != 0) {
    close(out_);
    throw std::runtime_error("cannot start cmetrack-central serve");
  }
  signal(SIGPIPE, SIG_IGN);

  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{out_, POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[256];
    const auto n = read(out_, buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
  }
  const std::string prefix = "listening on ";
  if (!line.starts_with(prefix) || line.find('\n') == std::string::npos) {
    stop(SIGKILL);
    throw std::runtime_error("serve did not start; its output: " + line + "\nits log: " + log());
  }
  url_ = line.substr(prefix.size(), line.find('\n') - prefix.size());
}

central_server::~central_server() {
  if (pid_ > 0) stop(SIGKILL);
  if (out_ >= 0) close(out_);
}

int central_server::stop(int sig) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string central_server::log() const { return read_file(log_file_); }

}  // namespace cmetrack::test
