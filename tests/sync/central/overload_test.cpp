// Overload: 500 idle or slow connections (slowloris) and a flood of bad
// requests while kiosks keep syncing and staff keep browsing; the honest
// traffic is still served, within its normal latency. Also: serve raises
// its own open-file limit, and at --max-connections a new connection takes
// the place of the oldest one that has sent no request.
//
// The attackers are plain POSIX sockets and OpenSSL in this process (no
// event loop): one thread holds the idle and slowloris connections, three
// threads flood. The honest clients are the tests' https client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/sync/central/serve_fixture.h"

namespace cmetrack::test {
namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

int port_of(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

// The attackers come from addresses of their own, as they would over a
// network: on one loopback address their reconnects would take the port
// numbers the honest clients draw from, and a new connection that meets the
// server's TIME_WAIT of an earlier one on the same four-tuple can wait a SYN
// retransmission (1 s), a cost of the test's one machine, not of serve.
constexpr const char* attacker_address = "127.0.0.2";

// A blocking TCP connection from 127.0.0.2 to 127.0.0.1:port, every call on
// it bounded by 5 s; -1 where it cannot be made.
int connect_tcp(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, attacker_address, &from.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
    close(fd);
    return -1;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Whether the peer has closed fd (end of stream, reset), waiting at most
// timeout_ms. Whatever it sent first is read and ignored.
bool closed_by_peer(int fd, int timeout_ms) {
  const auto deadline = clock_type::now() + milliseconds(timeout_ms);
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock_type::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0) return false;
    char buffer[4096];
    const auto n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return true;
  }
}

// An attacker's TLS connection: no certificate check (an attacker does not
// care), raw OpenSSL on a blocking socket.
struct tls_conn {
  int fd = -1;
  SSL* ssl = nullptr;
  clock_type::time_point opened;
  std::size_t sent = 0;  // bytes written

  tls_conn() = default;
  tls_conn(tls_conn&& o) noexcept
      : fd(std::exchange(o.fd, -1)), ssl(std::exchange(o.ssl, nullptr)), opened(o.opened), sent(o.sent) {}
  tls_conn& operator=(tls_conn&& o) noexcept {
    reset();
    fd = std::exchange(o.fd, -1);
    ssl = std::exchange(o.ssl, nullptr);
    opened = o.opened;
    sent = o.sent;
    return *this;
  }
  ~tls_conn() { reset(); }
  void reset() {
    if (ssl) SSL_free(ssl);
    if (fd >= 0) close(fd);
    ssl = nullptr;
    fd = -1;
    sent = 0;
  }
  bool open(SSL_CTX* ctx, int port) {
    reset();
    opened = clock_type::now();
    fd = connect_tcp(port);
    if (fd < 0) return false;
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1) {
      ERR_clear_error();
      reset();
      return false;
    }
    return true;
  }
  bool write(std::string_view bytes) {
    if (!ssl) return false;
    const int n = SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size()));
    if (n <= 0) ERR_clear_error();
    else sent += static_cast<std::size_t>(n);
    return n == static_cast<int>(bytes.size());
  }
  // Everything the server sends until it closes (at most 5 s).
  std::string read_all() {
    std::string got;
    char buffer[4096];
    for (;;) {
      const int n = SSL_read(ssl, buffer, sizeof buffer);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    ERR_clear_error();
    return got;
  }
};

struct ssl_ctx_holder {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  ssl_ctx_holder() { SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr); }
  ~ssl_ctx_holder() { SSL_CTX_free(ctx); }
};

// Holds `idle` TCP connections that never start TLS and `slow` TLS
// connections that send their head a byte every 500 ms and never finish it.
// Whatever the server closes is opened again, so the pressure stays.
struct connection_holder {
  int port;
  int idle_count, slow_count;
  std::atomic<bool> stop{false};
  std::atomic<int> open_idle{0}, open_slow{0};
  // Read after the thread is joined.
  int idle_closed = 0, slow_closed = 0, failed_opens = 0;
  double longest_slow_ms = 0;  // the longest a slowloris connection lived before the server closed it
  std::thread thread;

  connection_holder(int p, int idle, int slow) : port(p), idle_count(idle), slow_count(slow) {}
  ~connection_holder() { finish(); }  // also where a check threw first

  void start() {
    thread = std::thread([this] { run(); });
  }
  void finish() {
    stop = true;
    if (thread.joinable()) thread.join();
  }

  void run() {
    ssl_ctx_holder tls;
    const std::string head = "POST /api/v1/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    std::vector<int> idle(static_cast<std::size_t>(idle_count), -1);
    std::vector<tls_conn> slow(static_cast<std::size_t>(slow_count));
    const auto count_open = [&] {
      open_idle = static_cast<int>(std::count_if(idle.begin(), idle.end(), [](int fd) { return fd >= 0; }));
      open_slow = static_cast<int>(std::count_if(slow.begin(), slow.end(), [](const tls_conn& c) { return c.fd >= 0; }));
    };
    // Opens what is closed, a few TLS handshakes at a time between polls, so
    // that a close is noticed within a few handshakes' time.
    const auto reopen = [&](std::size_t most_slow) {
      for (auto& fd : idle)
        if (fd < 0 && (fd = connect_tcp(port)) < 0) ++failed_opens;
      for (auto& c : slow) {
        if (c.fd >= 0) continue;
        if (most_slow-- == 0) break;
        if (!c.open(tls.ctx, port) || !c.write(head.substr(0, 1))) {
          c.reset();
          ++failed_opens;
        }
      }
      count_open();
    };
    while (!stop && open_idle + open_slow < idle_count + slow_count) reopen(16);
    auto next_byte = clock_type::now() + milliseconds(500);
    std::vector<pollfd> fds;
    while (!stop) {
      fds.clear();
      for (int fd : idle) fds.push_back({fd, POLLIN, 0});  // poll skips the -1 of one being reopened
      for (auto& c : slow) fds.push_back({c.fd, POLLIN, 0});
      const auto left = std::chrono::duration_cast<milliseconds>(next_byte - clock_type::now()).count();
      if (poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(left, 0, 20))) > 0) {
        // The server sends these connections nothing: readable means closed.
        for (std::size_t k = 0; k < fds.size(); ++k) {
          if (fds[k].fd < 0 || fds[k].revents == 0 || !closed_by_peer(fds[k].fd, 0)) continue;
          if (k < idle.size()) {
            ++idle_closed;
            close(idle[k]);
            idle[k] = -1;
          } else {
            auto& c = slow[k - idle.size()];
            ++slow_closed;
            longest_slow_ms = std::max(longest_slow_ms, ms_since(c.opened));
            c.reset();
          }
        }
      }
      reopen(4);
      if (clock_type::now() < next_byte) continue;
      // The next byte of each slow head: then a header value that never ends.
      next_byte += milliseconds(500);
      for (auto& c : slow)
        if (c.fd >= 0) c.write(c.sent < head.size() ? head.substr(c.sent, 1) : "a");
    }
    for (int fd : idle)
      if (fd >= 0) close(fd);
  }
};

// Bad requests, as fast as the server answers them, from a few threads:
// what each kind must get back, and how many did.
struct flood {
  struct kind {
    std::string name;
    int expected;  // HTTP status; 0: the server just closes the connection
    int also_expected = -2;  // another status that is right, or none
    std::atomic<int> as_expected{0}, otherwise{0}, transport_errors{0};
    std::mutex mutex;
    std::string example;  // the first unexpected answer
  };
  const served_meeting& m;
  int port;
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<kind>> kinds;
  std::vector<std::thread> threads;

  flood(const served_meeting& meeting, int p) : m(meeting), port(p) {
    for (auto [name, status] : std::vector<std::pair<std::string, int>>{
             {"garbage bytes instead of TLS", 0},
             {"malformed HTTP head", 400},
             {"header line without a colon", 400},
             {"unknown path", 404},
             {"batch with a wrong kiosk token", 401},
             {"staff GET with a wrong token", 401},
             {"batch that is not JSON", 400},
             {"body over 4 MiB", 413},
             {"desk1's password guessed from 127.0.0.2", 429}}) {
      kinds.push_back(std::make_unique<kind>());
      kinds.back()->name = name;
      kinds.back()->expected = status;
    }
    kinds.back()->also_expected = 401;  // a wrong guess the throttle let through
  }

  void record(kind& k, int status, const std::string& what) {
    if (status == k.expected || status == k.also_expected) {
      ++k.as_expected;
      return;
    }
    ++k.otherwise;
    std::lock_guard lock(k.mutex);
    if (k.example.empty()) k.example = what;
  }

  void start(int count) {
    for (int t = 0; t < count; ++t) threads.emplace_back([this, t] { run(t); });
  }
  ~flood() { finish(); }
  void finish() {
    stop = true;
    for (auto& t : threads)
      if (t.joinable()) t.join();
  }
  int total() const {
    int n = 0;
    for (const auto& k : kinds) n += k->as_expected + k->otherwise + k->transport_errors;
    return n;
  }

  // One raw exchange over TLS: the head as given, then the whole answer.
  int raw_tls_status(SSL_CTX* ctx, const std::string& bytes, std::string& answer) {
    tls_conn c;
    if (!c.open(ctx, port) || !c.write(bytes)) throw std::runtime_error("could not connect or send");
    answer = c.read_all();
    if (!answer.starts_with("HTTP/1.1 ")) return -1;
    return std::stoi(answer.substr(9, 3));
  }

  void run(int thread_no) {
    ssl_ctx_holder tls;
    auto client = m.client();
    client_options from_attacker;
    from_attacker.ca_file = m.pki.ca_cert;
    from_attacker.source_address = attacker_address;
    const std::string big(5 * 1024 * 1024, 'x');
    for (unsigned i = static_cast<unsigned>(thread_no); !stop; ++i) {
      // A password guess for the desk's user from the attackers' address, by
      // one thread (a guesser waits for the answer to its last guess).
      if (thread_no == 0 && i % 9 == 8) {
        auto& k = *kinds[8];
        try {
          http_client guesser(m.server->url(), from_attacker);
          const auto r = guesser.request("POST", "/api/v1/login",
                                         nlohmann::json{{"user", "desk1"}, {"password", fmt::format("guess {}", i)}}.dump());
          record(k, r.status, r.body);
        } catch (const std::exception& e) {
          ++k.transport_errors;
          std::lock_guard lock(k.mutex);
          if (k.example.empty()) k.example = e.what();
        }
        continue;
      }
      // The oversized body one time in eight rounds: a flood of requests,
      // not of bytes.
      const auto which = i % 8 == 7 && (i / 8) % 8 != 0 ? 3 : i % 8;
      auto& k = *kinds[which];
      try {
        std::string answer;
        switch (which) {
          case 0: {  // bytes that are not a TLS ClientHello: the server closes
            const int fd = connect_tcp(port);
            if (fd < 0) throw std::runtime_error("could not connect");
            const std::string junk = "\x16\x03\x01\xff\xff this is not a TLS record\r\n\r\n";
            send(fd, junk.data(), junk.size(), MSG_NOSIGNAL);
            const bool closed = closed_by_peer(fd, 5000);
            close(fd);
            record(k, closed ? 0 : -1, "the connection stayed open");
            break;
          }
          case 1:
            record(k, raw_tls_status(tls.ctx, "NOT AN HTTP REQUEST\r\n\r\n", answer), answer);
            break;
          case 2:
            record(k, raw_tls_status(tls.ctx, "GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", answer),
                   answer);
            break;
          case 3: {
            const auto r = client->request("GET", fmt::format("/api/v1/no-such-thing-{}", i));
            record(k, r.status, r.body);
            break;
          }
          case 4: {
            const std::vector<nlohmann::json> scans{
                wire_scan_json(fmt::format("flood-{}-{}", thread_no, i), 1, "TAM26-000001", "A", "2026-04-24T12:10:00Z")};
            const auto r = client->request("POST", "/api/v1/scans", batch_body("K1", scans), {bearer(std::string(64, 'a'))});
            record(k, r.status, r.body);
            break;
          }
          case 5: {
            const auto r = client->request("GET", "/api/v1/rooms", "", {bearer(std::string(64, 'b'))});
            record(k, r.status, r.body);
            break;
          }
          case 6: {
            const auto r = client->request("POST", "/api/v1/scans",
                                           fmt::format("{{\"kiosk\":\"K1\",\"scans\":[{{\"id\":\"flood-{}-{}\",", thread_no, i),
                                           {bearer(m.k1_token)});
            record(k, r.status, r.body);
            break;
          }
          case 7: {
            const auto r = client->request("POST", "/api/v1/scans", big, {bearer(m.k1_token)});
            record(k, r.status, r.body.substr(0, 200));
            break;
          }
        }
      } catch (const std::exception& e) {
        ++k.transport_errors;
        std::lock_guard lock(k.mutex);
        if (k.example.empty()) k.example = e.what();
        client = m.client();
      }
    }
  }
};

// One honest request's outcome.
struct sample {
  std::string what;
  double ms = 0;
  bool ok = false;
  std::string detail;
};

struct figures {
  double p50 = 0, p95 = 0, max = 0;
  std::size_t n = 0;
};

// Nearest-rank percentiles.
figures figures_of(const std::vector<sample>& samples, const std::string& only = "") {
  std::vector<double> v;
  for (const auto& s : samples)
    if (only.empty() || s.what == only) v.push_back(s.ms);
  figures f;
  if (v.empty()) return f;
  std::sort(v.begin(), v.end());
  const auto rank = [&](double p) {
    auto r = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(r, 1, v.size()) - 1];
  };
  f.p50 = rank(0.50);
  f.p95 = rank(0.95);
  f.max = v.back();
  f.n = v.size();
  return f;
}

// The honest traffic of one phase: four clients at once, each paced (a
// request every 40 ms, or at once where the last was late):
// - two kiosks' agents, K1 and K2, 50 batches of 20 scans each on its
//   keep-alive connection; every id acknowledged;
// - a staff dashboard: 50 GET /api/v1/rooms on a keep-alive connection;
// - the desk: 50 transcripts, each on a fresh connection (a TLS handshake
//   under load too).
// Each stops early after 8 s (only on a machine too loaded to measure).
std::vector<sample> honest_traffic(const served_meeting& m, const std::string& staff_token, const std::string& phase) {
  constexpr int each = 50, scans_a_batch = 20;
  constexpr auto interval = milliseconds(40);
  // 2 s at that pace; on a machine so loaded that requests take 200 ms, a
  // client stops early rather than stretch the test.
  constexpr auto budget = std::chrono::seconds(8);
  std::vector<std::vector<sample>> by_client(4);
  const auto paced = [&](std::vector<sample>& out, const std::function<sample(int)>& one) {
    const auto t0 = clock_type::now();
    for (int i = 0; i < each && clock_type::now() - t0 < budget; ++i) {
      std::this_thread::sleep_until(t0 + i * interval);
      out.push_back(one(i));
    }
  };
  const auto kiosk = [&](int n) {
    const bool one = n == 1;
    auto client = m.client();
    paced(by_client[static_cast<std::size_t>(n - 1)], [&](int b) {
      std::vector<nlohmann::json> scans;
      std::vector<std::string> ids;
      for (int s = 0; s < scans_a_batch; ++s) {
        ids.push_back(fmt::format("{}-k{}-b{}-s{}", phase, n, b, s));
        // seq: unique per kiosk across both phases
        const auto seq = (phase == "alone" ? 0 : each * scans_a_batch) + b * scans_a_batch + s + 1;
        scans.push_back(wire_scan_json(ids.back(), seq, fmt::format("TAM26-{:06}", 1 + (b + s) % 5), one ? "A" : "B",
                                       "2026-04-24T12:10:00Z", s % 2 ? "out" : "in", one ? "north" : "main"));
      }
      sample x{"batch", 0, false, {}};
      const auto started = clock_type::now();
      try {
        const auto r = client->request("POST", "/api/v1/scans", batch_body(one ? "K1" : "K2", scans),
                                       {bearer(one ? m.k1_token : m.k2_token)});
        x.ms = ms_since(started);
        auto acked = r.status == 200 ? nlohmann::json::parse(r.body).at("acked").get<std::vector<std::string>>()
                                     : std::vector<std::string>{};
        std::sort(acked.begin(), acked.end());
        std::sort(ids.begin(), ids.end());
        x.ok = r.status == 200 && acked == ids;
        if (!x.ok) x.detail = fmt::format("{} {}", r.status, r.body.substr(0, 300));
      } catch (const std::exception& e) {
        x.ms = ms_since(started);
        x.detail = e.what();
      }
      return x;
    });
  };
  const auto staff = [&](bool rooms) {
    auto keep_alive = m.client();
    paced(by_client[rooms ? 2 : 3], [&](int) {
      sample x{rooms ? "staff rooms" : "staff transcript, new connection", 0, false, {}};
      const auto started = clock_type::now();
      try {
        auto fresh = rooms ? nullptr : m.client();
        if (fresh) {
          fresh->connect();
          x.detail = fmt::format("connected in {:.1f} ms", ms_since(started));
        }
        const auto r = (rooms ? keep_alive : fresh)
                           ->request("GET", rooms ? "/api/v1/rooms" : "/api/v1/attendees/000001/transcript", "",
                                     {bearer(staff_token)});
        x.ms = ms_since(started);
        x.ok = r.status == 200 && (rooms ? r.body.find("\"A\"") : r.body.find("000001")) != std::string::npos;
        if (!x.ok) x.detail += fmt::format(" {} {}", r.status, r.body.substr(0, 300));
      } catch (const std::exception& e) {
        x.ms = ms_since(started);
        x.detail += e.what();
      }
      return x;
    });
  };
  {
    std::jthread k1([&] { kiosk(1); }), k2([&] { kiosk(2); }), rooms([&] { staff(true); });
    staff(false);
  }
  std::vector<sample> all;
  for (auto& v : by_client) all.insert(all.end(), v.begin(), v.end());
  return all;
}

void print_figures(const std::string& title, const std::vector<sample>& alone, const std::vector<sample>& loaded) {
  fmt::print("{}\n{:<36} {:>24} {:>24} {:>8}\n", title, "honest requests (ms)", "alone p50/p95/max",
             "under load p50/p95/max", "p95 x");
  for (const std::string what : {"", "batch", "staff rooms", "staff transcript, new connection"}) {
    const auto a = figures_of(alone, what), b = figures_of(loaded, what);
    fmt::print("{:<36} {:>24} {:>24} {:>8.2f}\n", what.empty() ? fmt::format("all ({})", a.n) : what,
               fmt::format("{:.1f}/{:.1f}/{:.1f}", a.p50, a.p95, a.max),
               fmt::format("{:.1f}/{:.1f}/{:.1f}", b.p50, b.p95, b.max), a.p95 > 0 ? b.p95 / a.p95 : 0.0);
  }
}

rlimit open_file_limit() {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  return lim;
}

// "Max open files  SOFT  HARD  files" of /proc/PID/limits: {soft, hard}.
std::pair<std::string, std::string> open_files_of(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/limits", pid));
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("Max open files")) {
      std::istringstream words(line.substr(14));
      std::string soft, hard;
      words >> soft >> hard;
      return {soft, hard};
    }
  return {};
}

// CPU seconds (user + system) a process has used so far.
double cpu_seconds_of(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i >= 14) ticks += std::stod(field);  // utime, stime
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

TEST_CASE("overload: 500 idle and slowloris connections and a flood of bad requests leave kiosks and staff served "
          "within their normal latency",
          "[serve][overload]") {
  constexpr int idle_connections = 250, slow_connections = 250, flood_threads = 3;
  // The attackers' descriptors are this process's: take the hard limit.
  const auto limits = open_file_limit();
  REQUIRE(limits.rlim_max >= 1200);  // else raise the hard limit (ulimit -Hn) to run this test
  // serve starts with a soft limit of 256, too few for 500 connections
  // unless it raises its own.
  rlimit low = limits;
  low.rlim_cur = 256;
  REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
  // The request deadline is short so that every idle and slowloris
  // connection meets it once within the test (a wave of 500 reconnects).
  const int request_timeout_ms = 4000;
  served_meeting m({"--request-timeout-ms", std::to_string(request_timeout_ms)});
  rlimit high = limits;
  high.rlim_cur = limits.rlim_max;
  REQUIRE(setrlimit(RLIMIT_NOFILE, &high) == 0);
  const auto [soft, hard] = open_files_of(m.server->pid());
  CHECK(soft == hard);

  const auto made = run({bin("cmetrack-central"), "staff", "--data", m.data, "--user", "desk1", "--password-stdin"},
                        "correct horse\n");
  REQUIRE(made.exit_code == 0);
  const auto staff_token = made.out.substr(0, made.out.find('\n'));
  const int port = port_of(m.server->url());

  // Warm-up (the first connection, the pages cache), not measured.
  REQUIRE(m.client()->request("GET", "/api/v1/rooms", "", {bearer(staff_token)}).status == 200);

  auto cpu0 = cpu_seconds_of(m.server->pid());
  auto t0 = clock_type::now();
  const auto alone = honest_traffic(m, staff_token, "alone");
  const double cpu_alone = (cpu_seconds_of(m.server->pid()) - cpu0) / ms_since(t0) * 1000;

  connection_holder held(port, idle_connections, slow_connections);
  held.start();
  // The 500 are open before the honest traffic starts (at most 20 s).
  const auto open_deadline = clock_type::now() + std::chrono::seconds(20);
  while (held.open_idle + held.open_slow < idle_connections + slow_connections && clock_type::now() < open_deadline)
    std::this_thread::sleep_for(milliseconds(20));
  const int open_before = held.open_idle + held.open_slow;
  flood bad(m, port);
  bad.start(flood_threads);
  const auto load_started = clock_type::now();
  cpu0 = cpu_seconds_of(m.server->pid());
  const auto loaded = honest_traffic(m, staff_token, "loaded");
  const double cpu_loaded = (cpu_seconds_of(m.server->pid()) - cpu0) / ms_since(load_started) * 1000;
  // While desk1's password is being guessed from the attackers' address, the
  // desk logs in as desk1 from its own.
  const auto desk_login = m.client()->request(
      "POST", "/api/v1/login", nlohmann::json{{"user", "desk1"}, {"password", "correct horse"}}.dump());
  // The attack goes on past the deadline of the 500 opened before the
  // honest traffic, so that each of them has met it.
  while (ms_since(load_started) < 1.2 * request_timeout_ms) std::this_thread::sleep_for(milliseconds(20));
  const auto attack_ms = ms_since(load_started);
  bad.finish();
  held.finish();

  print_figures(fmt::format("overload: {} idle + {} slowloris connections (request deadline {} ms), {} flood threads",
                            idle_connections, slow_connections, request_timeout_ms, flood_threads),
                alone, loaded);
  fmt::print("held open before the honest traffic: {}; closed by the server: {} idle, {} slowloris (the longest lived "
             "{:.0f} ms); failed opens {}\n",
             open_before, held.idle_closed, held.slow_closed, held.longest_slow_ms, held.failed_opens);
  fmt::print("serve's CPU: {:.0f}% of a core alone, {:.0f}% under load\n", 100 * cpu_alone, 100 * cpu_loaded);
  fmt::print("flood: {} bad requests in {:.1f} s ({:.0f}/s)\n", bad.total(), attack_ms / 1000, bad.total() / attack_ms * 1000);
  for (const auto& k : bad.kinds)
    fmt::print("  {:<34} {:>6} answered {:<3} {:>4} otherwise {:>4} transport errors {}\n", k->name,
               k->as_expected.load(), k->expected, k->otherwise.load(), k->transport_errors.load(), k->example);

  auto slowest = loaded;
  std::sort(slowest.begin(), slowest.end(), [](const auto& x, const auto& y) { return x.ms > y.ms; });
  for (std::size_t i = 0; i < 3 && i < slowest.size(); ++i)
    fmt::print("slowest under load: {} {:.1f} ms {}\n", slowest[i].what, slowest[i].ms, slowest[i].detail);
  // Every honest request succeeded: batches acknowledged id by id, staff
  // GETs 200 with their content.
  for (const auto* phase : {&alone, &loaded})
    for (const auto& s : *phase) {
      INFO(s.what << ": " << s.detail);
      CHECK(s.ok);
    }
  // Stored once: both phases' batches, and nothing of the flood's.
  const auto batches = figures_of(alone, "batch").n + figures_of(loaded, "batch").n;
  CHECK(batches >= 2 * 2 * 10);  // at least 10 a kiosk a phase, however loaded the machine
  CHECK(m.db_int("SELECT count(*) FROM scans") == static_cast<std::int64_t>(batches) * 20);
  CHECK(m.db_int("SELECT count(*) FROM scans WHERE id LIKE 'flood-%'") == 0);
  CHECK(m.db_int("SELECT count(*) FROM quarantine") == 0);

  CHECK(desk_login.status == 200);

  // The attack was there: the 500 held open, and each bad request answered
  // as a client that sent it would see.
  CHECK(open_before == idle_connections + slow_connections);
  for (const auto& k : bad.kinds) {
    INFO(k->name << ": " << k->example);
    CHECK(k->as_expected > 0);
    CHECK(k->otherwise == 0);
  }
  // A trickled head does not extend its deadline: every slowloris connection
  // was closed at it (the first ones ~request_timeout_ms after they opened;
  // the bound leaves room for this thread noticing late on a busy machine).
  CHECK(held.slow_closed >= slow_connections);
  CHECK(held.idle_closed >= idle_connections);
  CHECK(held.longest_slow_ms < 2.0 * request_timeout_ms);

  // Latency. The attackers run on the same 2 cores as serve and the honest
  // clients (and, on a shared CI machine, beside other jobs; under ASan
  // too), and a batch's commit (an fsync, tens of ms) holds serve's one
  // thread, so an honest request that lands behind a commit waits for it:
  // some slowdown is the machine's, not serve's. Hence p95 under load within
  // 3x the p95 alone, or the p95 alone + 150 ms where that is larger (3x of a
  // baseline of a few tens of ms is within the noise of one more commit or
  // a descheduled client). What this catches: starvation, a slow connection
  // or the flood holding the thread, which adds hundreds of ms to most
  // requests. And no honest request over 1 s: a new connection stuck behind
  // the attackers' queued ones (serve once accepted one connection a turn of
  // its loop: ~1-1.6 s for a new client when 250 reconnected at once) or
  // behind a deadline (4 s) shows there.
  const auto a = figures_of(alone), b = figures_of(loaded);
  CHECK(b.p95 <= std::max(3 * a.p95, a.p95 + 150));
  CHECK(b.max < 1000);
  CHECK(a.max < 1000);
}

TEST_CASE("overload: at --max-connections a new connection takes the place of the oldest that has sent no request",
          "[serve][overload]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  // Plain HTTP on loopback: the cap is the same for both.
  central_server server(data, {"--max-connections", "21"}, dir / "serve.log");
  const int port = port_of(server.url());
  // A client that was answered and now idles on its keep-alive connection...
  http_client kept(server.url());
  REQUIRE(kept.request("GET", "/healthz").status == 200);
  // ...then 20 that connect and send nothing: the cap of 21 is reached.
  std::vector<int> silent;
  for (int i = 0; i < 20; ++i) {
    silent.push_back(connect_tcp(port));
    REQUIRE(silent.back() >= 0);
  }
  // A new client is served: the oldest silent connection made room.
  http_client fresh(server.url());
  CHECK(fresh.request("GET", "/healthz").status == 200);
  CHECK(closed_by_peer(silent[0], 3000));
  CHECK_FALSE(closed_by_peer(silent[1], 100));
  // The answered client's connection was kept (the client would throw
  // where the server had closed it).
  CHECK(kept.request("GET", "/healthz").status == 200);
  // The log says what was closed and why.
  const auto deadline = clock_type::now() + std::chrono::seconds(5);
  while (server.log().find("closed for a new one") == std::string::npos && clock_type::now() < deadline)
    std::this_thread::sleep_for(milliseconds(20));
  CHECK(server.log().find("closed for a new one: 21 connections open (--max-connections); it had sent no complete "
                          "request") != std::string::npos);
  for (int fd : silent) close(fd);
}

}  // namespace cmetrack::test
