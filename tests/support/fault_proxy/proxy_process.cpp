#include "tests/support/fault_proxy/proxy_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>

#include "tests/support/process.h"

namespace cmetrack::fault_proxy::test {

proxy_process::proxy_process(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv{"cmetrack-fault-proxy"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  const cmetrack::test::spawned child = cmetrack::test::spawn(argv);
  pid_ = child.pid;
  out_ = child.out;
  ::close(child.in);
  reader_ = std::thread([this, fd = child.err] {
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
      std::lock_guard lock(mutex_);
      log_.append(buffer, static_cast<std::size_t>(n));
      grew_.notify_all();
    }
    ::close(fd);
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string line;
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{out_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char c[256];
    const ssize_t n = ::read(out_, c, sizeof c);
    if (n <= 0) break;
    line.append(c, static_cast<std::size_t>(n));
  }
  first_line_ = line.substr(0, line.find('\n'));
  const std::string prefix = "listening on 127.0.0.1:";
  if (first_line_.rfind(prefix, 0) != 0) throw std::runtime_error("the proxy did not start: " + first_line_ + log());
  port_ = static_cast<unsigned short>(std::stoi(first_line_.substr(prefix.size())));
}

proxy_process::~proxy_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (reader_.joinable()) reader_.join();
  if (out_ >= 0) ::close(out_);
}

void proxy_process::signal(int sig) { ::kill(pid_, sig); }

bool proxy_process::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return grew_.wait_for(lock, timeout, [&] { return log_.find(text) != std::string::npos; });
}

std::string proxy_process::log() {
  std::lock_guard lock(mutex_);
  return log_;
}

int proxy_process::stop() {
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> faults_by_connection(const std::string& log, std::size_t connections) {
  std::vector<std::string> kinds(connections, "pass");
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("fault conn=", 0) != 0) continue;
    const std::size_t index = std::stoul(line.substr(11));
    const auto kind_at = line.find("kind=") + 5;
    if (index < connections) kinds[index] = line.substr(kind_at, line.find(' ', kind_at) - kind_at);
  }
  return kinds;
}

}  // namespace cmetrack::fault_proxy::test
