#include "tests/support/fault_proxy/test_peers.h"

#include <boost/asio/write.hpp>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>
#include <stdexcept>

namespace cmetrack::fault_proxy::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class test_upstream::session : public std::enable_shared_from_this<session> {
 public:
  session(test_upstream& owner, tcp::socket socket, std::size_t index)
      : owner_(owner), socket_(std::move(socket)), index_(index) {}
  void read() {
    socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](auto ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

 private:
  void on_read(const boost::system::error_code& ec, std::size_t n) {
    {
      std::lock_guard lock(owner_.mutex_);
      auto& r = owner_.records_[index_];
      r.received += n;
      if (ec) r.ended = true;
      received_ = r.received;
    }
    owner_.changed_.notify_all();
    if (ec) return;
    if (owner_.echo_) {
      asio::async_write(socket_, asio::buffer(buffer_.data(), n), [self = shared_from_this()](auto write_ec, std::size_t) {
        if (!write_ec) self->read();
        else self->read();  // the end shows up as a read error
      });
      return;
    }
    if (!replied_ && received_ >= owner_.request_bytes_) {
      replied_ = true;
      asio::async_write(socket_, asio::buffer(owner_.response_), [self = shared_from_this()](auto, std::size_t) {});
    }
    read();
  }
  test_upstream& owner_;
  tcp::socket socket_;
  std::size_t index_;
  std::size_t received_ = 0;
  bool replied_ = false;
  std::array<char, 65536> buffer_{};
};

test_upstream::test_upstream() : test_upstream(0, {}) { echo_ = true; }

test_upstream::test_upstream(std::size_t request_bytes, std::string response)
    : request_bytes_(request_bytes), response_(std::move(response)), echo_(false), acceptor_(io_) {
  const tcp::endpoint where(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(where.protocol());
  acceptor_.bind(where);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

test_upstream::~test_upstream() {
  io_.stop();
  thread_.join();
}

void test_upstream::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;
    std::size_t index = 0;
    {
      std::lock_guard lock(mutex_);
      index = records_.size();
      records_.emplace_back();
    }
    changed_.notify_all();
    std::make_shared<session>(*this, std::move(socket), index)->read();
    accept();
  });
}

std::size_t test_upstream::accepted() {
  std::lock_guard lock(mutex_);
  return records_.size();
}

long long test_upstream::received_when_ended(std::size_t index, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const bool ended = changed_.wait_for(lock, timeout, [&] { return index < records_.size() && records_[index].ended; });
  return ended ? static_cast<long long>(records_[index].received) : -1;
}

const char* to_string(ending e) {
  switch (e) {
    case ending::complete: return "complete";
    case ending::eof: return "eof";
    case ending::reset: return "reset";
    case ending::timeout: return "timeout";
  }
  return "?";
}

int connect_to(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to the proxy");
  }
  ::fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

exchange_result exchange(unsigned short port, const std::string& request, std::size_t expect,
                         std::chrono::milliseconds timeout) {
  const auto start = std::chrono::steady_clock::now();
  const int fd = connect_to(port);
  exchange_result result = converse(fd, request, expect, timeout);
  ::close(fd);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return result;
}

exchange_result converse(int fd, const std::string& request, std::size_t expect, std::chrono::milliseconds timeout) {
  const auto start = std::chrono::steady_clock::now();
  exchange_result result;
  std::size_t sent = 0;
  bool done = false;
  while (!done) {
    const auto left = timeout - std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (left.count() <= 0) break;
    pollfd p{fd, static_cast<short>(POLLIN | (sent < request.size() ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      char buffer[65536];
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        result.received.append(buffer, static_cast<std::size_t>(n));
        if (result.received.size() >= expect) {
          result.how = ending::complete;
          done = true;
        }
      } else if (n == 0) {
        result.how = ending::eof;
        done = true;
      } else if (errno != EAGAIN && errno != EINTR) {
        result.how = errno == ECONNRESET ? ending::reset : ending::eof;
        done = true;
      }
      continue;
    }
    if (p.revents & POLLOUT) {
      const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n > 0) sent += static_cast<std::size_t>(n);
      // a failed send (EPIPE, ECONNRESET) shows on the next recv
      else if (errno != EAGAIN && errno != EINTR) sent = request.size();
    }
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return result;
}

std::string pattern(std::size_t size, unsigned seed) {
  std::string text(size, '\0');
  unsigned x = seed * 2654435761u + 1;
  for (auto& c : text) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return text;
}

}  // namespace cmetrack::fault_proxy::test
