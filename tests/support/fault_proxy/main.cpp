// cmetrack-fault-proxy: the fault proxy as a process, for the chaos test.
//   cmetrack-fault-proxy --listen 127.0.0.1:0 --upstream 127.0.0.1:PORT [options]
// Prints "listening on HOST:PORT" as its first line on stdout; logs each
// fault to stderr; SIGUSR1 takes the network down, SIGUSR2 brings it back;
// SIGTERM (or SIGINT) prints the summary line to stderr and exits 0.
// Exit status: 2 usage or a non-loopback address, 1 cannot listen.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "shared/command_line.h"
#include "shared/version.h"
#include "tests/support/fault_proxy/endpoint.h"
#include "tests/support/fault_proxy/proxy.h"

namespace {

namespace asio = boost::asio;
using namespace cmetrack::fault_proxy;

struct arguments {
  std::string listen, upstream;
  std::uint64_t seed = 1;
  double fault_rate = 0.0;
  std::string faults = "delay,drop,cut_request,cut_response,blackhole,reset";
  std::string schedule;
  std::string delay_ms = "200", delay_direction = "both";
  std::string cut_request_bytes = "1-65536", cut_response_bytes = "1-8192", reset_bytes = "0-16384";
  std::uint64_t blackhole_ms = 30000, connect_timeout_ms = 3000, drain_ms = 2000, max_connections = 512;
  std::uint64_t lifetime_ms = 0;
  std::string down_mode = "reset";
  std::vector<std::string> blackouts;
  bool verbose = false;
};

// Each parsed value, or the first error.
cmetrack::result<proxy_options> make_options(const arguments& a) {
  proxy_options o;
  auto listen = parse_loopback_endpoint(a.listen, "--listen", true);
  if (!listen) return std::unexpected(listen.error());
  o.listen = *listen;
  auto upstream = parse_loopback_endpoint(a.upstream, "--upstream", false);
  if (!upstream) return std::unexpected(upstream.error());
  o.upstream = *upstream;
  if (!(a.fault_rate >= 0.0 && a.fault_rate <= 1.0))
    return cmetrack::bad_input(fmt::format("--fault-rate {}: give a probability from 0 to 1", a.fault_rate));
  o.plan.seed = a.seed;
  o.plan.rate = a.fault_rate;
  auto kinds = parse_fault_list(a.faults);
  if (!kinds) return std::unexpected(kinds.error());
  o.plan.kinds = *kinds;
  if (!a.schedule.empty()) {
    auto schedule = load_schedule(a.schedule);
    if (!schedule) return std::unexpected(schedule.error());
    o.plan.schedule = *schedule;
  }
  auto& amounts = o.plan.amounts;
  for (const auto& [text, range, option] :
       {std::tuple{&a.delay_ms, &amounts.delay_ms, "--delay-ms"},
        std::tuple{&a.cut_request_bytes, &amounts.cut_request_bytes, "--cut-request-bytes"},
        std::tuple{&a.cut_response_bytes, &amounts.cut_response_bytes, "--cut-response-bytes"},
        std::tuple{&a.reset_bytes, &amounts.reset_bytes, "--reset-bytes"}}) {
    auto parsed = parse_amount_range(*text, option);
    if (!parsed) return std::unexpected(parsed.error());
    *range = *parsed;
  }
  amounts.blackhole_ms = a.blackhole_ms;
  auto direction = parse_delay_direction(a.delay_direction);
  if (!direction) return std::unexpected(direction.error());
  o.delay_way = *direction;
  if (a.down_mode != "reset" && a.down_mode != "blackhole")
    return cmetrack::bad_input(fmt::format("--down-mode \"{}\": use reset or blackhole", a.down_mode));
  o.when_down = a.down_mode == "reset" ? down_mode::reset : down_mode::blackhole;
  o.connect_timeout = std::chrono::milliseconds(a.connect_timeout_ms);
  o.drain_timeout = std::chrono::milliseconds(a.drain_ms);
  if (a.max_connections == 0) return cmetrack::bad_input("--max-connections: give at least 1");
  o.max_connections = static_cast<std::size_t>(a.max_connections);
  o.lifetime = std::chrono::milliseconds(a.lifetime_ms);
  o.verbose = a.verbose;
  return o;
}

void log_line(const std::string& line) {
  std::fputs(line.c_str(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cmetrack-fault-proxy: a TCP proxy on loopback that puts network faults (delay, drop, cuts,\n"
               "blackholes, resets) between sync agents and the central node, for the chaos test.\n"
               "SIGUSR1 takes the network down, SIGUSR2 brings it back up; SIGTERM prints a summary and exits.",
               "cmetrack-fault-proxy"};
  app.set_version_flag("--version", std::string(cmetrack::version));
  arguments a;
  app.add_option("--listen", a.listen, "Where to listen, HOST:PORT on loopback (port 0: any free port)")->required();
  app.add_option("--upstream", a.upstream, "The central node, HOST:PORT on loopback")->required();
  app.add_option("--seed", a.seed, "Seed of the random faults (each connection's fault depends on seed and index)");
  app.add_option("--fault-rate", a.fault_rate, "Chance 0..1 that an unscheduled connection gets a random fault");
  app.add_option("--faults", a.faults, "Kinds random faults are drawn from (comma-separated)")->capture_default_str();
  app.add_option("--schedule", a.schedule,
                 "Faults by connection index: a file, or e.g. \"0:pass,1:drop,2-4:cut_response=900\"");
  app.add_option("--delay-ms", a.delay_ms, "delay: milliseconds before each chunk, N or LOW-HIGH")->capture_default_str();
  app.add_option("--delay-direction", a.delay_direction, "delay: both, request or response")->capture_default_str();
  app.add_option("--cut-request-bytes", a.cut_request_bytes, "cut_request: client bytes forwarded before the cut")
      ->capture_default_str();
  app.add_option("--cut-response-bytes", a.cut_response_bytes, "cut_response: server bytes forwarded before the cut")
      ->capture_default_str();
  app.add_option("--reset-bytes", a.reset_bytes, "reset: bytes forwarded either way before the RST (0: at accept)")
      ->capture_default_str();
  app.add_option("--blackhole-ms", a.blackhole_ms, "blackhole: how long a connection is held before it is closed")
      ->capture_default_str();
  app.add_option("--connect-timeout-ms", a.connect_timeout_ms, "Bound on connecting upstream")->capture_default_str();
  app.add_option("--drain-ms", a.drain_ms, "After a cut or drop: bound on waiting for the peers to close")
      ->capture_default_str();
  app.add_option("--max-connections", a.max_connections, "Live connections at most; more are reset at accept")
      ->capture_default_str();
  app.add_option("--lifetime-ms", a.lifetime_ms,
                 "Close (FIN) a connection still open after this long, so keep-alive connections meet faults too; "
                 "0: never")
      ->capture_default_str();
  app.add_option("--down-mode", a.down_mode, "What network down does: reset or blackhole")->capture_default_str();
  app.add_option("--blackout", a.blackouts, "A network-down window FROM-TO, milliseconds after start (repeatable)");
  app.add_flag("--verbose", a.verbose, "Log each connection as it opens and closes");
  if (const auto exit_code = cmetrack::parse_command_line(app, argc, argv)) return *exit_code;

  auto options = make_options(a);
  std::vector<amount_range> blackouts;
  for (const auto& text : a.blackouts) {
    if (!options) break;
    auto window = parse_amount_range(text, "--blackout");
    if (!window) options = std::unexpected(window.error());
    else blackouts.push_back(*window);
  }
  if (!options) {
    fmt::print(stderr, "cmetrack-fault-proxy: {}\n", options.error().message);
    return cmetrack::exit_status(options.error());
  }
  std::signal(SIGPIPE, SIG_IGN);

  asio::io_context io;
  proxy faults(io, *options, log_line);
  if (auto started = faults.start(); !started) {
    fmt::print(stderr, "cmetrack-fault-proxy: {}\n", started.error().message);
    return 1;
  }
  fmt::print("listening on {}\n", to_string(faults.local_endpoint()));
  std::fflush(stdout);

  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    log_line(faults.summary());
    faults.stop();
    io.stop();
  });
  asio::signal_set network_signals(io, SIGUSR1, SIGUSR2);
  std::function<void()> wait_network = [&] {
    network_signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      faults.set_network_down(signal == SIGUSR1);
      wait_network();
    });
  };
  wait_network();

  std::vector<std::unique_ptr<asio::steady_timer>> windows;
  for (const amount_range& window : blackouts) {
    for (const auto& [at, down] : {std::pair{window.low, true}, std::pair{window.high, false}}) {
      auto& timer = windows.emplace_back(std::make_unique<asio::steady_timer>(io, std::chrono::milliseconds(at)));
      timer->async_wait([&faults, down = down](const boost::system::error_code& ec) {
        if (!ec) faults.set_network_down(down);
      });
    }
  }
  io.run();
  return 0;
}
