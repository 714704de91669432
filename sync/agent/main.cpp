// cmetrack-sync: the agent beside each kiosk (docs/formats.md, "cmetrack-sync"
// and "Sync batches"). It sends kiosk.db's outbox of scans to the central
// node, marks what was acknowledged, and pulls the kiosk config into
// kiosk.db, for as long as it runs; see sync/agent/README.md.
// Exit status: 0 success (and on SIGTERM/SIGINT), 2 bad input or usage
// (kiosk.json's field named), 1 any other failure; with --once, 1 where
// scans are still queued.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <algorithm>
#include <csignal>
#include <exception>
#include <random>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/command_line.h"
#include "shared/version.h"
#include "sync/agent/agent.h"
#include "sync/agent/agent_log.h"
#include "sync/agent/central_list.h"
#include "sync/agent/https_client.h"
#include "sync/agent/wakeup.h"

namespace {

using namespace cmetrack;
namespace asio = boost::asio;
using std::chrono::milliseconds;

int fail(const error& e) {
  fmt::print(stderr, "cmetrack-sync: {}\n", e.message);
  return exit_status(e);
}

// The fields the agent needs beyond the kiosk's own, named where missing:
// the central URLs (central_url, then central_urls), the token, a CA.
result<agent::central_list> check_config(const kiosk::kiosk_config& c, const std::string& file) {
  auto urls = agent::read_central_urls(c, file);
  if (!urls) return std::unexpected(urls.error());
  if (!c.token || c.token->empty())
    return bad_input(fmt::format("{}: field \"token\" is missing; `cmetrack-central enroll --kiosk {} ...` writes a "
                                 "kiosk.json that has it",
                                 file, c.kiosk));
  const bool tls = std::any_of(urls->begin(), urls->end(), [](const agent::central_url& u) { return u.tls; });
  if (tls && c.ca_cert && c.ca_cert->empty())
    return bad_input(fmt::format("{}: field \"ca_cert\" is empty; it must hold the PEM certificate of the central "
                                 "node's CA (enroll writes it)",
                                 file));
  return agent::central_list(std::move(*urls));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cmetrack-sync: the agent beside a kiosk. It sends kiosk.db's outbox of scans to the central\n"
               "node in batches, marks what was acknowledged, retries with backoff for as long as it\n"
               "takes, and pulls the kiosk config (this room's sessions, the roster) into kiosk.db.",
               "cmetrack-sync"};
  app.set_version_flag("--version", std::string(cmetrack::version));
  std::string config_file, db_file;
  agent::agent_options options;
  std::int64_t max_backoff_ms = 30'000, config_interval_ms = 30'000, timeout_ms = 10'000, tick_ms = 1'000;
  std::optional<std::uint64_t> seed;
  app.add_option("--config", config_file, "The kiosk's configuration (kiosk.json, as enroll wrote it)")->required();
  app.add_option("--db", db_file, "The kiosk's store (kiosk.db), shared with cmetrack-kiosk")->required();
  app.add_flag("--once", options.once,
               "Send everything queued and pull the config, then exit: 0 when nothing is left queued, "
               "1 otherwise (no retries)");
  app.add_option("--batch-size", options.batch_size, "Scans a request, at most (1 to 500)")
      ->check(CLI::Range(1, 500))
      ->default_val(500);
  app.add_option("--max-backoff-ms", max_backoff_ms, "The longest wait between attempts")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3'600'000}))
      ->default_val(30'000);
  app.add_option("--config-interval-ms", config_interval_ms, "How often to ask for a changed kiosk config")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{86'400'000}))
      ->default_val(30'000);
  app.add_option("--timeout-ms", timeout_ms, "Deadline of each connect, TLS handshake, request write and answer read")
      ->check(CLI::Range(std::int64_t{50}, std::int64_t{600'000}))
      ->default_val(10'000);
  app.add_option("--tick-ms", tick_ms,
                 "Fallback look at kiosk.db for new scans (inotify wakes the agent at once where it works)")
      ->check(CLI::Range(std::int64_t{10}, std::int64_t{60'000}))
      ->default_val(1'000);
  app.add_option("--seed", seed, "Seed of the backoff's jitter (default: random)");

  if (const auto status = cmetrack::parse_command_line(app, argc, argv)) return *status;
  std::signal(SIGPIPE, SIG_IGN);  // a log reader gone away is an error on write, not the agent's end
  options.max_backoff = milliseconds(max_backoff_ms);
  options.config_interval = milliseconds(config_interval_ms);
  options.seed = seed ? *seed : std::random_device{}();

  auto config = kiosk::read_kiosk_config(config_file);
  if (!config) return fail(config.error());
  auto centrals = check_config(*config, config_file);
  if (!centrals) return fail(centrals.error());
  agent::set_log_kiosk(config->kiosk);

  auto store = kiosk::kiosk_store::open(db_file);
  if (!store) return fail(store.error());
  asio::io_context io(1);
  auto client = agent::https_client::create(io, centrals->current(), config->ca_cert, milliseconds(timeout_ms));
  if (!client) {
    return fail({client.error().kind, fmt::format("{}: {}", config_file, client.error().message)});
  }
  const auto& urls = centrals->urls();
  if (!config->ca_cert && std::any_of(urls.begin(), urls.end(), [](const agent::central_url& u) { return u.tls; }))
    agent::log("{} has no ca_cert: trusting the system's certificate authorities", config_file);

  agent::agent loop(io, *store, *config, **client, std::move(*centrals), options);
  agent::wakeup wake(io, *store, db_file, milliseconds(tick_ms), [&loop] { loop.wake(); });
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&loop](const boost::system::error_code& ec, int sig) {
    if (!ec) loop.stop(sig == SIGTERM ? "SIGTERM" : "SIGINT");
  });

  int exit_status = 1;
  asio::co_spawn(io, loop.run(), [&](std::exception_ptr e, int status) {
    exit_status = status;
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        agent::log("stopped by an unexpected fault: {}", x.what());
      }
      exit_status = 1;
    }
    wake.stop();
    signals.cancel();
    io.stop();
  });
  io.run();
  return exit_status;
}
