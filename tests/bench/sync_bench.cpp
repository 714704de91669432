// cmetrack-bench-sync: the sync path's benchmark tools (BENCHMARKS.md,
// "The sync path"); tests/bench/sync_bench.sh runs them.
//
//   post   --config kiosk.json --db kiosk.db [--batch-size 500]
//          every queued scan of kiosk.db POSTed to /api/v1/scans in batches over one
//          keep-alive TLS connection (the agent's https_client), nothing marked: the
//          central node's ingest over HTTP alone.
//   anchor --db kiosk.db --out anchor.db [--batch-size 500]
//          the same rows into a bare SQLite table with central's columns and
//          PRIMARY KEY (id), WAL, synchronous=FULL, one transaction a batch.
//   hold   --config kiosk.json --connections N --pid PID [--hold-ms MS]
//          N TLS keep-alive connections, one authenticated config GET each, held
//          open while the server's /proc/PID/status (VmRSS, VmHWM) is read.
// Each prints `name value unit` lines.
#include <utility>  // before Boost 1.74's awaitable.hpp

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/store/kiosk_config.h"
#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"
#include "shared/sync_wire.h"
#include "shared/time.h"
#include "sync/agent/central_url.h"
#include "sync/agent/https_client.h"

namespace {

using namespace cmetrack;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using steady = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message) {
  fmt::print(stderr, "cmetrack-bench-sync: {}\n", message);
  std::exit(1);
}

double ms_since(steady::time_point t0) {
  return std::chrono::duration<double, std::milli>(steady::now() - t0).count();
}

// Every queued scan of kiosk.db, in seq order.
std::vector<wire_scan> read_outbox(const std::string& path) {
  sqlite::open_options o;
  o.read_only = true;
  o.create = false;
  auto db = sqlite::database::open(path, o);
  if (!db) die(db.error().message);
  auto s = sqlite::statement::prepare(
      *db, "SELECT id, seq, payload, room, door, direction, at_ms, source FROM scans WHERE sent = 0 ORDER BY seq");
  if (!s) die(s.error().message);
  std::vector<wire_scan> out;
  auto read = s->for_each_row([&](const sqlite::statement& row) {
    wire_scan w;
    w.id = std::string(row.text(0));
    w.seq = row.int64(1);
    w.badge = std::string(row.text(2));
    w.room = std::string(row.text(3));
    w.door = std::string(row.text(4));
    const auto d = row.text(5);
    w.dir = d == "in" ? direction::in : d == "out" ? direction::out : direction::automatic;
    w.at = row.int64(6);
    w.source = std::string(row.text(7));
    out.push_back(std::move(w));
  });
  if (!read) die(read.error().message);
  return out;
}

struct client_setup {
  kiosk::kiosk_config config;
  agent::central_url url;
};

client_setup read_client(const std::string& config_file) {
  auto c = kiosk::read_kiosk_config(config_file);
  if (!c) die(c.error().message);
  auto url = agent::parse_central_url(c->central_url.value_or(""), config_file);
  if (!url) die(url.error().message);
  return {std::move(*c), std::move(*url)};
}

int run_post(const std::string& config_file, const std::string& db_file, int batch_size) {
  auto setup = read_client(config_file);
  const auto scans = read_outbox(db_file);
  asio::io_context io;
  auto client = agent::https_client::create(io, setup.url, setup.config.ca_cert, std::chrono::seconds(30));
  if (!client) die(client.error().message);
  const std::string auth = "Bearer " + setup.config.token.value_or("");
  std::size_t acked = 0, requests = 0;
  double ms = 0;
  auto work = [&]() -> asio::awaitable<void> {
    const auto t0 = steady::now();
    for (std::size_t at = 0; at < scans.size(); at += static_cast<std::size_t>(batch_size)) {
      scan_batch batch;
      batch.kiosk = setup.config.kiosk;
      batch.sent_at = 0;
      const auto end = std::min(scans.size(), at + static_cast<std::size_t>(batch_size));
      batch.scans.assign(scans.begin() + static_cast<std::ptrdiff_t>(at), scans.begin() + static_cast<std::ptrdiff_t>(end));
      batch.sent_at = now_ms();
      std::vector<agent::http_header> headers = {{"Authorization", auth}};
      std::string body = encode_batch(batch);
      std::string target = (*client)->url().target("/api/v1/scans");
      auto answer = co_await (*client)->exchange(http::verb::post, std::move(target), std::move(body), std::move(headers));
      if (!answer) die(answer.error().message);
      if (answer->status != 200) die(fmt::format("central answered {}: {}", answer->status, answer->body));
      auto ack = decode_ack(answer->body);
      if (!ack) die(ack.error().message);
      acked += ack->acked.size();
      ++requests;
    }
    ms = ms_since(t0);
  };
  asio::co_spawn(io, work(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.run();
  if (acked != scans.size()) die(fmt::format("{} scans sent, {} acknowledged", scans.size(), acked));
  fmt::print("post.scans {} scans\npost.requests {} requests\npost.ms {:.1f} ms\npost.scans_per_s {:.0f} scans/s\n",
             scans.size(), requests, ms, static_cast<double>(scans.size()) / (ms / 1000.0));
  return 0;
}

int run_anchor(const std::string& db_file, const std::string& out_file, int batch_size) {
  const auto scans = read_outbox(db_file);
  std::remove(out_file.c_str());
  std::remove((out_file + "-wal").c_str());
  std::remove((out_file + "-shm").c_str());
  sqlite::open_options o;
  o.sync = sqlite::synchronous::full;
  auto db = sqlite::database::open(out_file, o);
  if (!db) die(db.error().message);
  if (auto r = db->exec(R"sql(
    CREATE TABLE scans (id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, seq INTEGER NOT NULL, payload TEXT NOT NULL,
      badge TEXT, room TEXT NOT NULL, door TEXT NOT NULL, direction TEXT NOT NULL, at_ms INTEGER NOT NULL,
      source TEXT, received_ms INTEGER NOT NULL, id_hash INTEGER NOT NULL, kiosk_at_ms INTEGER))sql");
      !r)
    die(r.error().message);
  auto insert = sqlite::statement::prepare(*db, R"sql(
    INSERT INTO scans (id, kiosk, seq, payload, badge, room, door, direction, at_ms, source, received_ms, id_hash,
                       kiosk_at_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING)sql");
  if (!insert) die(insert.error().message);
  const std::string kiosk = "K1";
  const auto t0 = steady::now();
  for (std::size_t at = 0; at < scans.size(); at += static_cast<std::size_t>(batch_size)) {
    auto tx = sqlite::transaction::begin(*db);
    if (!tx) die(tx.error().message);
    const auto end = std::min(scans.size(), at + static_cast<std::size_t>(batch_size));
    for (std::size_t i = at; i < end; ++i) {
      const auto& s = scans[i];
      insert->bind(1, std::string_view(s.id)).bind(2, std::string_view(kiosk)).bind(3, s.seq)
          .bind(4, std::string_view(s.badge)).bind(5, std::string_view(s.badge)).bind(6, std::string_view(s.room))
          .bind(7, std::string_view(s.door)).bind(8, to_string(s.dir)).bind(9, s.at)
          .bind(10, std::string_view(s.source)).bind(11, s.at).bind(12, static_cast<std::int64_t>(i))
          .bind(13, s.at);
      if (auto r = insert->run(); !r) die(r.error().message);
    }
    if (auto r = tx->commit(); !r) die(r.error().message);
  }
  const auto ms = ms_since(t0);
  fmt::print("anchor.scans {} scans\nanchor.ms {:.1f} ms\nanchor.scans_per_s {:.0f} scans/s\n", scans.size(), ms,
             static_cast<double>(scans.size()) / (ms / 1000.0));
  return 0;
}

// VmRSS and VmHWM of a process, in KiB.
std::pair<long, long> memory_of(int pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  if (!in) die(fmt::format("/proc/{}/status: cannot read it (is the server running?)", pid));
  long rss = -1, hwm = -1;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) rss = std::stol(line.substr(6));
    if (line.starts_with("VmHWM:")) hwm = std::stol(line.substr(6));
  }
  return {rss, hwm};
}

int run_hold(const std::string& config_file, int connections, int pid, int hold_ms) {
  auto setup = read_client(config_file);
  const auto [rss0, hwm0] = memory_of(pid);
  asio::io_context io;
  std::vector<std::unique_ptr<agent::https_client>> clients;
  for (int i = 0; i < connections; ++i) {
    auto c = agent::https_client::create(io, setup.url, setup.config.ca_cert, std::chrono::seconds(30));
    if (!c) die(c.error().message);
    clients.push_back(std::move(*c));
  }
  const std::string auth = "Bearer " + setup.config.token.value_or("");
  int answered = 0;
  std::string fault;
  auto one = [&](agent::https_client& c) -> asio::awaitable<void> {
    std::vector<agent::http_header> headers = {{"Authorization", auth}};
    std::string target = c.url().target("/api/v1/kiosk/config");
    auto answer = co_await c.exchange(http::verb::get, std::move(target), {}, std::move(headers));
    if (!answer) fault = answer.error().message;
    else if (answer->status != 200) fault = fmt::format("central answered {}", answer->status);
    else ++answered;
  };
  const auto t0 = steady::now();
  for (auto& c : clients) asio::co_spawn(io, one(*c), asio::detached);
  io.run();
  const auto connect_ms = ms_since(t0);
  if (answered != connections) die(fmt::format("{} of {} connections answered: {}", answered, connections, fault));
  // The connections stay open (the clients keep them) while the server is read.
  std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
  const auto [rss, hwm] = memory_of(pid);
  fmt::print("hold.connections {} connections\nhold.open_ms {:.1f} ms\nhold.rss_before {} KiB\nhold.hwm_before {} KiB\n"
             "hold.rss {} KiB\nhold.hwm {} KiB\n",
             connections, connect_ms, rss0, hwm0, rss, hwm);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cmetrack-bench-sync: the sync path's benchmark tools"};
  app.require_subcommand(1);
  std::string config, db, out;
  int batch_size = 500, connections = 200, pid = 0, hold_ms = 500;
  auto* post = app.add_subcommand("post", "POST every queued scan of kiosk.db, nothing marked");
  post->add_option("--config", config)->required();
  post->add_option("--db", db)->required();
  post->add_option("--batch-size", batch_size)->check(CLI::Range(1, 500));
  auto* anchor = app.add_subcommand("anchor", "The same rows into a bare SQLite table");
  anchor->add_option("--db", db)->required();
  anchor->add_option("--out", out)->required();
  anchor->add_option("--batch-size", batch_size)->check(CLI::Range(1, 500));
  auto* hold = app.add_subcommand("hold", "Hold N TLS keep-alive connections and read the server's memory");
  hold->add_option("--config", config)->required();
  hold->add_option("--connections", connections)->check(CLI::Range(1, 5000));
  hold->add_option("--pid", pid)->required();
  hold->add_option("--hold-ms", hold_ms);
  CLI11_PARSE(app, argc, argv);
  if (post->parsed()) return run_post(config, db, batch_size);
  if (anchor->parsed()) return run_anchor(db, out, batch_size);
  return run_hold(config, connections, pid, hold_ms);
}
