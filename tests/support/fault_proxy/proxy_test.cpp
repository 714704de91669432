// The proxy as a library, in this process: its io_context on a thread of
// its own, the counts it keeps, network down and up through its API.
#include <catch2/catch.hpp>

#include <boost/asio/post.hpp>

#include <future>
#include <mutex>
#include <thread>

#include "tests/support/fault_proxy/proxy.h"
#include "tests/support/fault_proxy/test_peers.h"

using namespace cmetrack::fault_proxy;
using namespace cmetrack::fault_proxy::test;
using namespace std::chrono_literals;

namespace {

// Runs `f` on the proxy's thread and waits for it.
template <class F>
auto on_io(boost::asio::io_context& io, F f) {
  std::packaged_task<decltype(f())()> task(std::move(f));
  auto done = task.get_future();
  boost::asio::post(io, [&task] { task(); });
  return done.get();
}

}  // namespace

TEST_CASE("the library proxy forwards, faults by schedule, counts, and goes down and up") {
  test_upstream upstream;
  boost::asio::io_context io;
  proxy_options options;
  options.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
  options.upstream = {boost::asio::ip::make_address("127.0.0.1"), upstream.port()};
  options.plan.schedule = *parse_schedule("1:drop");
  std::mutex mutex;
  std::vector<std::string> lines;
  proxy faults(io, options, [&](const std::string& line) {
    std::lock_guard lock(mutex);
    lines.push_back(line);
  });
  REQUIRE(faults.start());
  const unsigned short port = faults.local_endpoint().port();
  auto work = boost::asio::make_work_guard(io);
  std::thread thread([&] { io.run(); });

  CHECK(exchange(port, "hello", 5, 3s).received == "hello");
  CHECK(to_string(exchange(port, "hello", 5, 3s).how) == std::string("eof"));
  // Both clients have closed; wait until the proxy has seen it.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (on_io(io, [&] { return faults.live_connections(); }) != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  on_io(io, [&] { faults.set_network_down(true); });
  CHECK(to_string(exchange(port, "hello", 5, 3s).how) == std::string("reset"));
  on_io(io, [&] { faults.set_network_down(false); });
  CHECK(exchange(port, "hello", 5, 3s).received == "hello");

  const std::string summary = on_io(io, [&] {
    faults.stop();
    return faults.summary();
  });
  work.reset();
  thread.join();
  CHECK(summary ==
        "summary connections=4 pass=2 delay=0 drop=1 cut_request=0 cut_response=0 blackhole=0 reset=0 down=1 "
        "over_limit=0 lifetime=0 missed=0 upstream_failed=0");
  std::lock_guard lock(mutex);
  CHECK(std::find(lines.begin(), lines.end(), "fault conn=1 kind=drop up=0 down=0") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(), "network down mode=reset connections=0") != lines.end());
}
