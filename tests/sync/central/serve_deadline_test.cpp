// cmetrack-central serve: deadlines on every read and idle connection,
// many connections at once, and a clean stop on SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "tests/sync/central/serve_fixture.h"

namespace cmetrack::test {
namespace {

using clock_type = std::chrono::steady_clock;

int port_of(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

// A TCP connection to 127.0.0.1:port that sends nothing.
int connect_silent(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

// Whether the server has closed `fd` (end of stream or reset) by now; waits
// at most timeout_ms.
bool closed_by_server(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return false;
  char c;
  return recv(fd, &c, 1, 0) <= 0;
}

// Sends `request` on a new connection to 127.0.0.1:port and reads until the
// server closes it (or 5 s pass without a byte).
std::string answer_to(int port, const std::string& request) {
  const int fd = connect_silent(port);
  REQUIRE(send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) break;
    const auto n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;  // closed by the server
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return answer;
}

}  // namespace

TEST_CASE("serve: a client that connects and sends nothing is dropped at its deadline while another is served",
          "[serve][deadline]") {
  served_meeting m({"--request-timeout-ms", "2000", "--idle-timeout-ms", "4000"});
  const int port = port_of(m.server->url());
  const auto started = clock_type::now();
  const int silent = connect_silent(port);

  // Meanwhile another client is served, on fresh connections, promptly
  // (bounds loose enough for a loaded machine, well under the deadline).
  for (int i = 0; i < 5; ++i) {
    const auto t0 = clock_type::now();
    CHECK(m.client()->request("GET", "/healthz").status == 200);
    CHECK(clock_type::now() - t0 < std::chrono::milliseconds(1500));
  }
  if (clock_type::now() - started < std::chrono::milliseconds(1800))
    CHECK_FALSE(closed_by_server(silent, 100));  // not dropped before its deadline
  REQUIRE(closed_by_server(silent, 10000));
  const auto after = clock_type::now() - started;
  CHECK(after >= std::chrono::milliseconds(1900));
  CHECK(after < std::chrono::milliseconds(6000));
  close(silent);
  // The server's log line comes as it drops the connection: wait for it.
  const auto log_deadline = clock_type::now() + std::chrono::seconds(5);
  while (m.server->log().find("no progress") == std::string::npos && clock_type::now() < log_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(m.server->log().find("no progress") != std::string::npos);
}

TEST_CASE("serve: an idle keep-alive connection is closed at the idle deadline", "[serve][deadline]") {
  served_meeting m({"--request-timeout-ms", "5000", "--idle-timeout-ms", "600"});
  auto c = m.client();
  REQUIRE(c->request("GET", "/healthz").status == 200);
  // Within the idle deadline the same connection serves again...
  REQUIRE(c->request("GET", "/healthz").status == 200);
  // ...and after it, the server has closed it: the next request on it fails.
  // (Waiting is the point here: time passing is what the test is about.)
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  CHECK_THROWS(c->request("GET", "/healthz"));
  CHECK(m.client()->request("GET", "/healthz").status == 200);
}

TEST_CASE("serve: a head that never ends is dropped at the request deadline", "[serve][deadline]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_server server(data, {"--request-timeout-ms", "700"}, dir / "serve.log");
  const int fd = connect_silent(port_of(server.url()));
  const std::string partial = "POST /api/v1/scans HTTP/1.1\r\nHost: x\r\n";
  REQUIRE(send(fd, partial.data(), partial.size(), 0) == static_cast<ssize_t>(partial.size()));
  const auto t0 = clock_type::now();
  REQUIRE(closed_by_server(fd, 5000));
  CHECK(clock_type::now() - t0 < std::chrono::milliseconds(3000));
  close(fd);
}

TEST_CASE("serve: a request whose HTTP head is malformed is answered 400 and the connection closed", "[serve]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_server server(data, {}, dir / "serve.log");
  const auto answer = answer_to(port_of(server.url()), "NOT AN HTTP REQUEST\r\n\r\n");
  CHECK(answer.starts_with("HTTP/1.1 400 Bad Request"));
  CHECK(answer.find("malformed HTTP request") != std::string::npos);
}

TEST_CASE("serve: a transfer coding other than plain chunked is answered 501 and the connection closed", "[serve]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_server server(data, {}, dir / "serve.log");
  const int port = port_of(server.url());
  for (const char* coding : {"gzip, chunked", "chunked, chunked", "deflate,chunked"}) {
    INFO(coding);
    const auto answer = answer_to(port, std::string("POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") +
                                  coding + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    CHECK(answer.starts_with("HTTP/1.1 501 Not Implemented"));
    CHECK(answer.find("only \\\"chunked\\\" is understood") != std::string::npos);
  }
  // Plain chunked is read as before (here: no token, so 401).
  CHECK(answer_to(port, "POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                  "2\r\n{}\r\n0\r\n\r\n")
            .starts_with("HTTP/1.1 401"));
}

TEST_CASE("serve: many kiosks at once: 40 connections, each posting batches", "[serve]") {
  served_meeting m;
  std::vector<std::unique_ptr<http_client>> clients;
  for (int i = 0; i < 40; ++i) {
    clients.push_back(m.client());
    clients.back()->connect();  // all 40 are open together
  }
  for (int round = 0; round < 3; ++round)
    for (std::size_t i = 0; i < clients.size(); ++i) {
      const auto id = fmt::format("c{}-r{}", i, round);
      const auto seq = static_cast<std::int64_t>(i) * 10 + round + 1;
      const std::vector<nlohmann::json> scans{wire_scan_json(id, seq, "TAM26-000001", "A", "2026-04-24T12:10:00Z")};
      const auto body = batch_body("K1", scans);
      const auto r = clients[i]->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)});
      REQUIRE(r.status == 200);
    }
  CHECK(m.db_int("SELECT count(*) FROM scans") == 120);
}

TEST_CASE("serve: SIGTERM stops accepting, closes idle connections and exits 0", "[serve]") {
  served_meeting m({"--idle-timeout-ms", "30000"});
  auto c = m.client();
  REQUIRE(c->request("GET", "/healthz").status == 200);  // an idle keep-alive connection stays open
  const auto t0 = clock_type::now();
  CHECK(m.server->stop(SIGTERM) == 0);
  CHECK(clock_type::now() - t0 < std::chrono::seconds(5));
  CHECK(m.server->log().find("stopped; central.db closed") != std::string::npos);
}

}  // namespace cmetrack::test
