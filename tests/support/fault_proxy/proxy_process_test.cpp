// cmetrack-fault-proxy as the chaos test runs it: a process between a
// client and an upstream on 127.0.0.1, one fault kind at a time, the seeded
// random mode, network down and up by signal, and its command line.
#include <catch2/catch.hpp>
#include <signal.h>
#include <unistd.h>

#include <map>
#include <set>

#include "tests/support/fault_proxy/fault_plan.h"
#include "tests/support/fault_proxy/proxy_process.h"
#include "tests/support/fault_proxy/test_peers.h"
#include "tests/support/process.h"

using namespace cmetrack::fault_proxy;
using namespace cmetrack::fault_proxy::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> args(const test_upstream& upstream, std::vector<std::string> more = {}) {
  std::vector<std::string> a{"--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + std::to_string(upstream.port())};
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

}  // namespace

TEST_CASE("pass: 1 MiB goes through exactly, both ways") {
  test_upstream upstream;  // echo
  proxy_process proxy(args(upstream));
  CHECK(proxy.first_line() == "listening on 127.0.0.1:" + std::to_string(proxy.port()));
  const std::string payload = pattern(1024 * 1024);
  const auto r = exchange(proxy.port(), payload, payload.size(), 10s);
  CHECK(to_string(r.how) == std::string("complete"));
  CHECK(r.received.size() == payload.size());
  CHECK(r.received == payload);
  CHECK(upstream.received_when_ended(0, 5s) == static_cast<long long>(payload.size()));
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("summary connections=1 pass=1 delay=0"));
}

TEST_CASE("delay: each chunk waits D ms each way") {
  test_upstream upstream;
  proxy_process proxy(args(upstream, {"--schedule", "0:delay=150,1:pass"}));
  const auto delayed = exchange(proxy.port(), "ping", 4, 5s);
  CHECK(delayed.received == "ping");
  CHECK(delayed.elapsed >= 300ms);  // 150 ms there and 150 ms back
  const auto direct = exchange(proxy.port(), "ping", 4, 5s);
  CHECK(direct.received == "ping");
  CHECK(direct.elapsed < 300ms);
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=0 kind=delay up=0 down=0 ms=150 direction=both"));
}

TEST_CASE("drop: the client gets EOF at once and the upstream never hears of it") {
  test_upstream upstream;
  proxy_process proxy(args(upstream, {"--schedule", "0:drop,1:pass"}));
  const auto dropped = exchange(proxy.port(), "GET / HTTP/1.1\r\n\r\n", 1, 3s);
  CHECK(to_string(dropped.how) == std::string("eof"));
  CHECK(dropped.received.empty());
  CHECK(dropped.elapsed < 1000ms);
  CHECK(exchange(proxy.port(), "ping", 4, 3s).received == "ping");  // the next one is passed, and connects
  CHECK(upstream.accepted() == 1);
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=0 kind=drop up=0 down=0"));
}

TEST_CASE("cut_request: the upstream sees only the first N bytes and the client's connection ends") {
  test_upstream upstream(4000, pattern(8000, 2));  // answers only a whole request
  proxy_process proxy(args(upstream, {"--schedule", "0:cut_request=1000"}));
  const auto r = exchange(proxy.port(), pattern(4000), 8000, 5s);
  CHECK((r.how == ending::eof || r.how == ending::reset));
  CHECK(r.received.empty());
  CHECK(upstream.received_when_ended(0, 5s) == 1000);
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=0 kind=cut_request up=1000 down=0"));
}

TEST_CASE("cut_response: the whole request goes through, the client gets a strict prefix of the response") {
  const std::string response = pattern(65536, 3);
  test_upstream upstream(4000, response);
  proxy_process proxy(args(upstream, {"--schedule", "0:cut_response=1000"}));
  const auto r = exchange(proxy.port(), pattern(4000), response.size(), 5s);
  CHECK(to_string(r.how) == std::string("eof"));
  CHECK(r.received.size() == 1000);
  CHECK(r.received == response.substr(0, r.received.size()));
  CHECK(upstream.received_when_ended(0, 5s) == 4000);
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=0 kind=cut_response up=4000 down=1000"));
}

TEST_CASE("blackhole: nothing comes back until the client's deadline, and the hold is bounded") {
  test_upstream upstream;
  proxy_process proxy(args(upstream, {"--schedule", "0:blackhole=5000,1:blackhole=200"}));
  const auto held = exchange(proxy.port(), "ping", 4, 300ms);
  CHECK(to_string(held.how) == std::string("timeout"));
  CHECK(held.received.empty());
  const auto bounded = exchange(proxy.port(), "ping", 4, 5s);
  CHECK(to_string(bounded.how) == std::string("eof"));
  CHECK(bounded.received.empty());
  CHECK(bounded.elapsed >= 150ms);
  CHECK(bounded.elapsed < 3000ms);
  CHECK(upstream.accepted() == 0);
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=1 kind=blackhole up=0 down=0 hold_ms=200"));
}

TEST_CASE("reset: the client gets ECONNRESET, at accept or after N bytes") {
  test_upstream upstream;  // echo
  proxy_process proxy(args(upstream, {"--schedule", "0:reset=0,1:reset=500"}));
  const auto at_accept = exchange(proxy.port(), "ping", 4, 3s);
  CHECK(to_string(at_accept.how) == std::string("reset"));
  CHECK(at_accept.received.empty());
  const auto later = exchange(proxy.port(), pattern(4000), 4000, 3s);
  CHECK(to_string(later.how) == std::string("reset"));
  CHECK(later.received.size() <= 500);
  const auto seen = upstream.received_when_ended(0, 5s);
  CHECK(seen > 0);
  CHECK(seen <= 500);
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=0 kind=reset up=0 down=0"));
  CHECK_THAT(proxy.log(), Catch::Contains("summary connections=2 pass=0 delay=0 drop=0 cut_request=0 cut_response=0 "
                                          "blackhole=0 reset=2"));
}

TEST_CASE("seeded random faults: the same seed gives the same sequence, and every kind appears") {
  const std::vector<std::string> common{"--fault-rate",      "0.8",    "--delay-ms",           "5",
                                        "--blackhole-ms",    "30",     "--cut-request-bytes",  "1-1000",
                                        "--cut-response-bytes", "1-1000", "--reset-bytes",     "0-1000"};
  const auto run = [&](const std::string& seed, std::size_t connections) {
    test_upstream upstream(4000, pattern(8000, 4));
    auto a = args(upstream, common);
    a.insert(a.end(), {"--seed", seed});
    proxy_process proxy(a);
    for (std::size_t i = 0; i < connections; ++i) exchange(proxy.port(), pattern(4000), 8000, 2s);
    CHECK(proxy.stop() == 0);
    const std::string log = proxy.log();
    CHECK_THAT(log, Catch::Contains("summary connections=" + std::to_string(connections) + " "));
    CHECK_THAT(log, Catch::Contains("missed=0"));
    return faults_by_connection(log, connections);
  };
  const auto first = run("11", 200);
  const auto again = run("11", 200);
  CHECK(first == again);
  const std::set<std::string> kinds(first.begin(), first.end());
  CHECK(kinds == std::set<std::string>{"pass", "delay", "drop", "cut_request", "cut_response", "blackhole", "reset"});
  // The process follows the library's plan, connection by connection.
  fault_plan plan;
  plan.seed = 11;
  plan.rate = 0.8;
  for (std::size_t i = 0; i < first.size(); ++i) CHECK(first[i] == name(choose_fault(plan, i).kind));
  const auto other = run("12", 40);
  CHECK(other != std::vector<std::string>(first.begin(), first.begin() + 40));
}

TEST_CASE("SIGUSR1 takes the network down (resets all, refuses new), SIGUSR2 brings it back") {
  test_upstream upstream;
  proxy_process proxy(args(upstream));
  const int before = connect_to(proxy.port());
  CHECK(converse(before, "ping", 4, 3s).received == "ping");
  proxy.signal(SIGUSR1);
  REQUIRE(proxy.wait_for_log("network down mode=reset connections=1", 5s));
  CHECK(to_string(converse(before, "ping", 4, 3s).how) == std::string("reset"));
  ::close(before);
  const auto refused = exchange(proxy.port(), "ping", 4, 3s);
  CHECK(to_string(refused.how) == std::string("reset"));
  CHECK(refused.received.empty());
  proxy.signal(SIGUSR2);
  REQUIRE(proxy.wait_for_log("network up", 5s));
  CHECK(exchange(proxy.port(), "ping", 4, 3s).received == "ping");
  CHECK(proxy.stop() == 0);
  const std::string log = proxy.log();
  CHECK_THAT(log, Catch::Contains("fault conn=0 kind=down_reset up=4 down=4"));
  CHECK_THAT(log, Catch::Contains("fault conn=1 kind=down_reset up=0 down=0"));
  CHECK_THAT(log, Catch::Contains("summary connections=3 pass=1 ") && Catch::Contains(" down=2 "));
}

TEST_CASE("network down in blackhole mode: existing and new connections go silent") {
  test_upstream upstream;
  proxy_process proxy(args(upstream, {"--down-mode", "blackhole", "--blackhole-ms", "5000"}));
  const int before = connect_to(proxy.port());
  CHECK(converse(before, "ping", 4, 3s).received == "ping");
  proxy.signal(SIGUSR1);
  REQUIRE(proxy.wait_for_log("network down mode=blackhole", 5s));
  CHECK(to_string(converse(before, "ping", 4, 300ms).how) == std::string("timeout"));
  ::close(before);
  CHECK(to_string(exchange(proxy.port(), "ping", 4, 300ms).how) == std::string("timeout"));
  CHECK(upstream.received_when_ended(0, 10ms) == -1);  // the upstream side is held open, silent
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=1 kind=down_blackhole"));
}

TEST_CASE("blackout windows (--blackout): the network is down for a window after start") {
  test_upstream upstream;
  proxy_process proxy(args(upstream, {"--blackout", "0-1500"}));
  CHECK(to_string(exchange(proxy.port(), "ping", 4, 3s).how) == std::string("reset"));
  REQUIRE(proxy.wait_for_log("network up", 5s));
  CHECK(exchange(proxy.port(), "ping", 4, 3s).received == "ping");
  CHECK(proxy.stop() == 0);
}

TEST_CASE("an unreachable upstream resets the client and says so") {
  int free_port = 0;
  {
    test_upstream gone;  // a port that was just free again
    free_port = gone.port();
  }
  proxy_process proxy({"--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + std::to_string(free_port)});
  CHECK(to_string(exchange(proxy.port(), "ping", 4, 5s).how) == std::string("reset"));
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("upstream conn=0 error=") && Catch::Contains("upstream_failed=1"));
}

TEST_CASE("max connections (--max-connections) bound the live connections") {
  test_upstream upstream;
  proxy_process proxy(args(upstream, {"--max-connections", "1"}));
  const int first = connect_to(proxy.port());
  CHECK(converse(first, "ping", 4, 3s).received == "ping");
  CHECK(to_string(exchange(proxy.port(), "ping", 4, 3s).how) == std::string("reset"));
  ::close(first);
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=1 kind=over_limit"));
}

TEST_CASE("the command line: help, version, usage errors and non-loopback addresses") {
  using cmetrack::test::run;
  CHECK(run({"cmetrack-fault-proxy", "--help"}, "", 10).exit_code == 0);
  const auto version = run({"cmetrack-fault-proxy", "--version"}, "", 10);
  CHECK(version.exit_code == 0);
  CHECK_FALSE(version.out.empty());
  CHECK(run({"cmetrack-fault-proxy", "--listen", "127.0.0.1:0"}, "", 10).exit_code == 2);
  const auto lan = run({"cmetrack-fault-proxy", "--listen", "0.0.0.0:0", "--upstream", "127.0.0.1:1"}, "", 10);
  CHECK(lan.exit_code == 2);
  CHECK_THAT(lan.err, Catch::Contains("--listen") && Catch::Contains("not a loopback address"));
  const auto remote = run({"cmetrack-fault-proxy", "--listen", "127.0.0.1:0", "--upstream", "10.1.2.3:443"}, "", 10);
  CHECK(remote.exit_code == 2);
  CHECK_THAT(remote.err, Catch::Contains("--upstream"));
  const auto schedule =
      run({"cmetrack-fault-proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:1", "--schedule", "0:cutt"}, "", 10);
  CHECK(schedule.exit_code == 2);
  CHECK_THAT(schedule.err, Catch::Contains("\"0:cutt\""));
  CHECK(run({"cmetrack-fault-proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:1", "--fault-rate", "2"}, "", 10)
            .exit_code == 2);
  // A port already taken: cannot listen, exit 1.
  test_upstream taken;
  const auto busy = run({"cmetrack-fault-proxy", "--listen", "127.0.0.1:" + std::to_string(taken.port()), "--upstream",
                         "127.0.0.1:1"},
                        "", 10);
  CHECK(busy.exit_code == 1);
  CHECK_THAT(busy.err, Catch::Contains("cannot listen on 127.0.0.1:"));
}

TEST_CASE("connection lifetime (--lifetime-ms): the proxy closes a connection that has lived that long") {
  test_upstream upstream;
  proxy_process proxy(args(upstream, {"--lifetime-ms", "200"}));
  const int client = connect_to(proxy.port());
  CHECK(converse(client, "ping", 4, 3s).received == "ping");
  const auto later = converse(client, "", 1, 3s);
  CHECK(to_string(later.how) == std::string("eof"));
  CHECK(later.elapsed < 2000ms);
  ::close(client);
  CHECK(proxy.stop() == 0);
  CHECK_THAT(proxy.log(), Catch::Contains("fault conn=0 kind=lifetime up=4 down=4 ms=200") &&
                              Catch::Contains(" lifetime=1 "));
}
