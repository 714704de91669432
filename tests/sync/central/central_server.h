#pragma once
// `cmetrack-central serve` as a running process for the protocol tests: on
// 127.0.0.1 port 0 (the server prints the URL it got as its first line),
// standard error to a log file so a busy server never blocks on a full pipe.
// Killed at the end of the test if still running.
#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/test_pki.h"

namespace cmetrack::test {

class central_server {
 public:
  // serve --data DATA --listen 127.0.0.1:0 EXTRA...; waits (up to 20 s) for
  // the `listening on URL` line and throws, with the log, where none comes.
  central_server(const std::string& data, const std::vector<std::string>& extra, const std::string& log_file);
  ~central_server();
  central_server(const central_server&) = delete;
  central_server& operator=(const central_server&) = delete;

  const std::string& url() const { return url_; }
  // Sends `sig` and waits (up to 20 s, then SIGKILL): the exit status, or
  // -1 where a signal ended it.
  int stop(int sig);
  std::string log() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string url_;
  std::string log_file_;
};

// The TLS arguments for a server with the test PKI's certificate.
std::vector<std::string> tls_args(const test_pki& pki);

}  // namespace cmetrack::test
