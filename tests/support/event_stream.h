#pragma once
// A Server-Sent Events client for tests: GET a stream over plain HTTP on
// loopback with a bearer token, then read events one at a time, each wait
// under a deadline. Throws std::runtime_error where the stream cannot be
// opened or the server answers other than 200.
#include <string>

namespace cmetrack::test {

struct sse_event {
  std::string name;  // empty: the deadline passed with no event
  std::string data;
};

class event_stream {
 public:
  // base_url: http://127.0.0.1:PORT
  event_stream(const std::string& base_url, const std::string& target, const std::string& token);
  ~event_stream();
  event_stream(const event_stream&) = delete;
  event_stream& operator=(const event_stream&) = delete;

  // The next event, or one with an empty name when none comes within timeout_ms.
  sse_event next(int timeout_ms);
  // Whether the server closed the stream (seen while waiting in next()).
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

}  // namespace cmetrack::test
