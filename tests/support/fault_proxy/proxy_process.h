#pragma once
// cmetrack-fault-proxy running as a process for a test: started with its
// arguments, its port read from its first line ("listening on HOST:PORT"),
// its standard error collected as it comes so a test can wait for a log line.
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cmetrack::fault_proxy::test {

class proxy_process {
 public:
  // Throws when the proxy does not say where it listens within 10 s.
  explicit proxy_process(const std::vector<std::string>& arguments);
  ~proxy_process();  // kills a proxy still running
  proxy_process(const proxy_process&) = delete;
  proxy_process& operator=(const proxy_process&) = delete;

  unsigned short port() const { return port_; }
  const std::string& first_line() const { return first_line_; }
  void signal(int sig);
  // True once standard error holds `text`, false after the timeout.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout);
  std::string log();
  // SIGTERM, then waits: the exit status, -1 when a signal ended it.
  int stop();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  unsigned short port_ = 0;
  std::string first_line_;
  std::mutex mutex_;
  std::condition_variable grew_;
  std::string log_;
  std::thread reader_;
};

// The fault log's "fault conn=I kind=K" lines as kind by connection index.
std::vector<std::string> faults_by_connection(const std::string& log, std::size_t connections);

}  // namespace cmetrack::fault_proxy::test
