#pragma once
// A small stand-in for `cmetrack-central serve`, in the test process: HTTPS
// (Boost.Beast) on 127.0.0.1, a port the system picks, its own thread.
//
//   POST /api/v1/scans       by default: 401 for a token other than token(),
//                            403 for a batch naming another kiosk, else
//                            acknowledges every scan
//   GET /api/v1/kiosk/config by default: the config set with set_config(),
//                            304 where If-None-Match is its ETag
//
// A script (on_request) can answer otherwise, drop the connection, never
// answer, or end the server's listening as a node that died. The
// server records what it received and which scan ids it acknowledged, for
// the test to assert on; wait_until() polls that with a deadline.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "shared/sync_wire.h"
#include "tests/sync/agent/tls_pki.h"

namespace cmetrack::test {

struct fake_request {
  std::string method, target, authorization, if_none_match, body;
  int index = 0;  // 0, 1, 2... across all requests
  std::chrono::steady_clock::time_point at;
};

struct fake_reply {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool drop = false;  // close the connection without answering
  bool die = false;   // close it without answering and stop listening: a node that died
  bool hang = false;  // never answer: keep the connection open until the agent gives up
};

// 200 {"acked": ids, "server_time": server_time}.
fake_reply ack_reply(const std::vector<std::string>& ids, time_ms server_time);

class fake_central {
 public:
  static constexpr const char* token = "test-token-K-A1";
  static constexpr const char* kiosk = "K-A1";

  explicit fake_central(const tls_pki& pki);
  ~fake_central();
  fake_central(const fake_central&) = delete;
  fake_central& operator=(const fake_central&) = delete;

  std::string url() const;  // "https://127.0.0.1:PORT"
  std::uint16_t port() const { return port_; }

  // A script: an answer, or nothing for the default. Runs on the server's
  // thread, under its lock.
  using script = std::function<std::optional<fake_reply>(const fake_request&)>;
  void on_request(script s);
  void set_config(std::string body, std::string etag);
  // The central node's clock minus the real one, for server_time.
  void set_clock_skew(std::int64_t ms);

  // Everything below reads the record under the lock.
  std::vector<fake_request> requests() const;
  std::vector<fake_request> requests_to(const std::string& target) const;
  std::map<std::string, int> acked() const;  // scan id -> times acknowledged in a 200
  std::vector<scan_batch> batches() const;   // every decoded scans POST with scans, answered or not
  int clock_probes() const;                  // empty scans POSTs: the agent measuring the clock
  std::chrono::steady_clock::time_point first_seen(const std::string& scan_id) const;
  int handshake_failures() const;

  // Polls `done` (under the lock) until it holds or the timeout passes.
  bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) const;

 private:
  struct impl;
  friend struct impl;
  fake_reply answer(const fake_request& r);  // under the lock
  std::unique_ptr<impl> impl_;
  std::uint16_t port_ = 0;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  script script_;
  std::string config_body_, config_etag_;
  std::int64_t skew_ms_ = 0;
  std::vector<fake_request> requests_;
  std::vector<scan_batch> batches_;
  int clock_probes_ = 0;
  std::map<std::string, int> acked_;
  std::map<std::string, std::chrono::steady_clock::time_point> first_seen_;
  int handshake_failures_ = 0;
};

}  // namespace cmetrack::test
