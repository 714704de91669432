#include "tests/support/event_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace cmetrack::test {
namespace {

using clock_type = std::chrono::steady_clock;

int remaining_ms(clock_type::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

event_stream::event_stream(const std::string& base_url, const std::string& target, const std::string& token) {
  const std::string prefix = "http://";
  const auto colon = base_url.rfind(':');
  if (base_url.rfind(prefix, 0) != 0 || colon == std::string::npos)
    throw std::runtime_error("event_stream: " + base_url + " is not http://HOST:PORT");
  const auto host = base_url.substr(prefix.size(), colon - prefix.size());
  const int port = std::stoi(base_url.substr(colon + 1));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 || (ntohl(addr.sin_addr.s_addr) >> 24) != 127)
    throw std::runtime_error("event_stream: " + host + " is not a loopback address");
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("event_stream: cannot connect to " + base_url);
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n" +
                              "Authorization: Bearer " + token + "\r\n\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    throw std::runtime_error("event_stream: cannot send the request");
  // The head.
  const auto deadline = clock_type::now() + std::chrono::seconds(10);
  std::size_t end = std::string::npos;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) throw std::runtime_error("event_stream: no answer within 10 s");
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) throw std::runtime_error("event_stream: closed before the head: " + buffer_);
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  const auto head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  if (head.find(" 200 ") == std::string::npos) throw std::runtime_error("event_stream: answered " + head + buffer_);
}

event_stream::~event_stream() {
  if (fd_ >= 0) ::close(fd_);
}

sse_event event_stream::next(int timeout_ms) {
  const auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    // A whole event: lines up to a blank line; comments (":") are skipped.
    for (auto end = buffer_.find("\n\n"); end != std::string::npos; end = buffer_.find("\n\n")) {
      const auto block = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      sse_event e;
      std::size_t at = 0;
      while (at <= block.size()) {
        auto nl = block.find('\n', at);
        if (nl == std::string::npos) nl = block.size();
        const auto line = block.substr(at, nl - at);
        if (line.rfind("event: ", 0) == 0) e.name = line.substr(7);
        else if (line.rfind("data: ", 0) == 0) e.data += line.substr(6);
        at = nl + 1;
      }
      if (!e.name.empty()) return e;
    }
    if (closed_) return {};
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return {};
    char chunk[8192];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      continue;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace cmetrack::test
