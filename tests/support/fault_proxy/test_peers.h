#pragma once
// The two ends the fault proxy's tests put around it, on 127.0.0.1: an
// upstream standing in for the central node (its own thread and
// io_context), and a blocking client that sends a request while reading the
// answer, and says how the exchange ended.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cmetrack::fault_proxy::test {

// Echo mode: sends back every byte as it comes. Reply mode: once
// `request_bytes` have come on a connection, sends `response` once, and
// reads on until the peer closes.
class test_upstream {
 public:
  test_upstream();  // echo
  test_upstream(std::size_t request_bytes, std::string response);
  ~test_upstream();
  test_upstream(const test_upstream&) = delete;
  test_upstream& operator=(const test_upstream&) = delete;

  unsigned short port() const { return port_; }
  std::size_t accepted();
  // Bytes received on connection `index` (accept order), once it has ended;
  // -1 when it has not ended within the timeout.
  long long received_when_ended(std::size_t index, std::chrono::milliseconds timeout);

  struct record {
    std::size_t received = 0;
    bool ended = false;
  };

 private:
  class session;
  void accept();
  std::size_t request_bytes_ = 0;
  std::string response_;
  bool echo_ = true;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<record> records_;
  std::thread thread_;
};

enum class ending { complete, eof, reset, timeout };
const char* to_string(ending e);

struct exchange_result {
  std::string received;
  ending how = ending::timeout;
  std::chrono::milliseconds elapsed{0};
};

// A connected socket to 127.0.0.1:port (non-blocking); throws where it cannot.
int connect_to(unsigned short port);
// On a socket from connect_to: sends `request` while reading, as exchange().
// Leaves the socket open.
exchange_result converse(int fd, const std::string& request, std::size_t expect, std::chrono::milliseconds timeout);

// Connects to 127.0.0.1:port, sends `request` while reading, and stops when
// `expect` bytes have come (complete), the peer closes (eof) or resets
// (reset), or `timeout` passes.
exchange_result exchange(unsigned short port, const std::string& request, std::size_t expect,
                         std::chrono::milliseconds timeout);

// A payload of `size` bytes that is not all one byte, so a shifted or
// mixed-up stream does not compare equal.
std::string pattern(std::size_t size, unsigned seed = 1);

}  // namespace cmetrack::fault_proxy::test
