// cmetrack-bench-serve: the central node at congress size under a meeting's
// load (BENCHMARKS.md, "The central node at congress size");
// tests/bench/serve_bench.sh runs it.
//
//   plan   --meeting meeting.json
//          prints the instant to run at: 30 s before the busiest moment of
//          the second day, when the stays of a morning block that nobody
//          scanned out of end with time alone (block end + exit grace).
//   rooms  --meeting meeting.json
//          prints the meeting's room ids, one a line.
//   export --meeting meeting.json --at EPOCH_MS --scans N --out FILE
//          a dead kiosk's export in the scans file's form: N scans of the
//          roster in one room over the two hours before EPOCH_MS.
//   load   --url http://127.0.0.1:PORT --meeting meeting.json --kiosks FILE
//          --staff-token TOKEN [--rate 150] [--seconds 60] [--streams 5]
//          [--desk-per-second 2] [--server-pid PID] [--clock-offset-ms MS]
//          FILE: one enrolled kiosk a line, "KIOSK TOKEN ROOM DOOR". Each kiosk
//          posts one-scan batches (a random roster badge, direction auto, now)
//          over its own keep-alive connection, together --rate a second;
//          --streams staff event streams stay open; the desk reads a random
//          transcript --desk-per-second times a second. --clock-offset-ms
//          is added to this machine's clock for the scans' times: serve's
//          clock is moved into the meeting (libfaketime), this client's is
//          not (Asio's timers stall under libfaketime).
// Each prints `name value unit` lines.
#include <utility>  // before Boost 1.74's awaitable.hpp

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "shared/scans_csv.h"
#include "shared/sync_wire.h"
#include "shared/time.h"
#include "sync/agent/central_url.h"
#include "sync/agent/https_client.h"
#include "tests/support/event_stream.h"

namespace {

using namespace cmetrack;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using steady = std::chrono::steady_clock;
using nlohmann::json;

[[noreturn]] void die(const std::string& message) {
  fmt::print(stderr, "cmetrack-bench-serve: {}\n", message);
  std::exit(1);
}

double ms_since(steady::time_point t0) { return std::chrono::duration<double, std::milli>(steady::now() - t0).count(); }

json read_meeting(const std::string& path) {
  std::ifstream in(path);
  if (!in) die(path + ": cannot read");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    die(path + ": " + e.what());
  }
}

std::vector<std::string> roster(const json& m) {
  std::vector<std::string> out;
  for (const auto& a : m.at("attendees")) out.push_back(a.at("badge").get<std::string>());
  if (out.empty()) die("the meeting has no attendees");
  return out;
}

time_ms parse_time(const std::string& text) {
  auto t = parse_iso8601(text);
  if (!t) die("not a time: " + text);
  return *t;
}

// The busiest moment of the second day: the morning block end (+ the exit
// grace) that the most rooms share.
int run_plan(const std::string& meeting_file) {
  const auto m = read_meeting(meeting_file);
  const auto& rules = m.at("meeting").at("rules");
  const time_ms grace = rules.value("exit_grace_minutes", 30) * ms_per_minute;
  const time_ms gap = rules.value("block_gap_minutes", 30) * ms_per_minute;
  std::map<std::string, std::vector<std::pair<time_ms, time_ms>>> by_room;
  time_ms first = std::numeric_limits<time_ms>::max();
  for (const auto& s : m.at("sessions")) {
    const auto start = parse_time(s.at("start").get<std::string>());
    by_room[s.at("room").get<std::string>()].emplace_back(start, parse_time(s.at("end").get<std::string>()));
    first = std::min(first, start);
  }
  const time_ms day2 = first + ms_per_day - 2 * 60 * ms_per_minute;
  std::map<time_ms, int> block_ends;  // on day 2, before the afternoon
  for (auto& [room, sessions] : by_room) {
    std::ranges::sort(sessions);
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      const bool last = i + 1 == sessions.size() || sessions[i + 1].first - sessions[i].second > gap;
      const auto end = sessions[i].second;
      if (last && end > day2 && end < day2 + 8 * 60 * ms_per_minute) ++block_ends[end];
    }
  }
  if (block_ends.empty()) die("no morning block ends on the meeting's second day");
  const auto busiest = std::ranges::max_element(block_ends, {}, [](const auto& e) { return e.second; })->first;
  fmt::print("{}\n", (busiest + grace - 30 * ms_per_second) / 1000);
  return 0;
}

int run_rooms(const std::string& meeting_file) {
  const auto m = read_meeting(meeting_file);
  for (const auto& r : m.at("rooms")) fmt::print("{}\n", r.at("id").get<std::string>());
  return 0;
}

int run_export(const std::string& meeting_file, time_ms at, int count, const std::string& out_file) {
  const auto m = read_meeting(meeting_file);
  const auto badges = roster(m);
  const auto room = m.at("rooms").at(0).at("id").get<std::string>();
  std::mt19937_64 random(7);
  std::FILE* f = std::fopen(out_file.c_str(), "wb");
  if (!f) die(out_file + ": cannot write");
  {
    scans_csv_writer w(f);
    for (int i = 0; i < count; ++i) {
      scan_record s;
      s.id = fmt::format("dead-kiosk-{:06}", i);
      s.kiosk = "DEAD01";
      s.seq = i + 1;
      s.payload = badges[random() % badges.size()];
      s.room = room;
      s.door = room + "-side";
      s.direction = direction::automatic;
      s.at = at - 2 * 60 * ms_per_minute + static_cast<time_ms>(i) * (2 * 60 * ms_per_minute) / count;
      s.source = "scanner";
      w.write(s);
    }
  }
  if (std::fclose(f) != 0) die(out_file + ": cannot write");
  return 0;
}

struct kiosk_line {
  std::string kiosk, token, room, door;
};

std::vector<kiosk_line> read_kiosks(const std::string& path) {
  std::ifstream in(path);
  if (!in) die(path + ": cannot read");
  std::vector<kiosk_line> out;
  kiosk_line k;
  while (in >> k.kiosk >> k.token >> k.room >> k.door) out.push_back(k);
  if (out.empty()) die(path + ": no kiosks");
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::ranges::sort(v);
  const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct load_options {
  std::string url, meeting, kiosks, staff_token;
  double rate = 150;
  int seconds = 60;
  int streams = 5;
  double desk_per_second = 2;
  int server_pid = 0;
  std::int64_t clock_offset_ms = 0;
};

struct tally {
  std::vector<double> batch_ms;  // one a batch acknowledged
  std::vector<double> desk_ms;   // one a transcript read
  std::vector<std::pair<double, double>> slow;  // (seconds into the run, ms) of batches over 250 ms
  int failures = 0;
  std::string first_failure;
  void fail(std::string what) {
    if (failures++ == 0) first_failure = std::move(what);
  }
};

// One stream's room events: when each came, in seconds from the start.
void watch_stream(const std::string& url, const std::string& token, steady::time_point t0, int seconds,
                  std::vector<double>& times, std::atomic<int>& failures) {
  try {
    test::event_stream stream(url, "/api/v1/rooms/stream", token);
    while (ms_since(t0) < seconds * 1000.0) {
      auto e = stream.next(500);
      if (stream.closed()) {
        fmt::print(stderr, "stream: closed by serve {:.1f} s in, after {} room events\n", ms_since(t0) / 1000.0,
                   times.size());
        ++failures;
        return;
      }
      if (e.name == "room") times.push_back(ms_since(t0) / 1000.0);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "stream: {}\n", e.what());
    ++failures;
  }
}

long vm_hwm_kib(int pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == "VmHWM:") {
      in >> value;
      return value;
    }
  }
  return 0;
}

int run_load(const load_options& o) {
  const auto m = read_meeting(o.meeting);
  const auto badges = roster(m);
  const auto kiosks = read_kiosks(o.kiosks);
  auto url = agent::parse_central_url(o.url, "--url");
  if (!url) die(url.error().message);

  asio::io_context io;
  tally t;
  const auto t0 = steady::now();
  const auto end = t0 + std::chrono::seconds(o.seconds);
  std::mt19937_64 random(11);

  // The streams, each on a thread of its own (a blocking client).
  std::vector<std::vector<double>> stream_times(static_cast<std::size_t>(o.streams));
  std::atomic<int> stream_failures = 0;
  std::vector<std::thread> watchers;
  for (int i = 0; i < o.streams; ++i)
    watchers.emplace_back(watch_stream, o.url, o.staff_token, t0, o.seconds, std::ref(stream_times[static_cast<std::size_t>(i)]),
                          std::ref(stream_failures));

  const auto every = std::chrono::duration<double>(static_cast<double>(kiosks.size()) / o.rate);
  // A coroutine's frame refers to its lambda: the lambda lives as long as the
  // loop runs, and what differs by kiosk is passed (and copied) as arguments.
  auto kiosk = [&](std::size_t k, std::chrono::duration<double> offset) -> asio::awaitable<void> {
    const auto& me = kiosks[k];
    auto client = agent::https_client::create(io, *url, std::nullopt, std::chrono::seconds(30));
    if (!client) die(client.error().message);
    const std::vector<agent::http_header> headers = {{"Authorization", "Bearer " + me.token}};
    asio::steady_timer timer(io);
    auto next = t0 + std::chrono::duration_cast<steady::duration>(offset);
    std::int64_t seq = 0;
    std::mt19937_64 pick(k + 1);
    while (next < end) {
      timer.expires_at(next);
      co_await timer.async_wait(asio::use_awaitable);
      next += std::chrono::duration_cast<steady::duration>(every);
      scan_batch batch;
      batch.kiosk = me.kiosk;
      batch.sent_at = now_ms() + o.clock_offset_ms;
      batch.clock_offset_ms = 0;
      batch.backlog = 0;
      ++seq;
      batch.scans.push_back({fmt::format("{}-{:08}", me.kiosk, seq), seq, badges[pick() % badges.size()], me.room,
                             me.door, direction::automatic, batch.sent_at, "scanner"});
      const auto sent = steady::now();
      auto answer = co_await (*client)->exchange(http::verb::post, (*client)->url().target("/api/v1/scans"),
                                                 encode_batch(batch), headers);
      const double ms = ms_since(sent);
      if (!answer) t.fail(answer.error().message);
      else if (answer->status != 200) t.fail(fmt::format("{}: {}", answer->status, answer->body));
      else t.batch_ms.push_back(ms);
      if (ms > 250) t.slow.emplace_back(std::chrono::duration<double>(sent - t0).count(), ms);
    }
  };
  for (std::size_t k = 0; k < kiosks.size(); ++k) {
    const auto offset = every * (static_cast<double>(k) / static_cast<double>(kiosks.size()));
    asio::co_spawn(io, kiosk(k, offset), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }

  auto desk = [&]() -> asio::awaitable<void> {
    auto client = agent::https_client::create(io, *url, std::nullopt, std::chrono::seconds(30));
    if (!client) die(client.error().message);
    const std::vector<agent::http_header> headers = {{"Authorization", "Bearer " + o.staff_token}};
    asio::steady_timer timer(io);
    const auto period = std::chrono::duration<double>(1.0 / o.desk_per_second);
    auto next = t0;
    while (next < end) {
      timer.expires_at(next);
      co_await timer.async_wait(asio::use_awaitable);
      next += std::chrono::duration_cast<steady::duration>(period);
      const auto& badge = badges[random() % badges.size()];
      const auto sent = steady::now();
      auto answer = co_await (*client)->exchange(
          http::verb::get, (*client)->url().target("/api/v1/attendees/" + badge + "/transcript"), "", headers);
      const double ms = ms_since(sent);
      if (!answer) t.fail("desk: " + answer.error().message);
      else if (answer->status != 200) t.fail(fmt::format("desk {}: {}", answer->status, answer->body));
      else t.desk_ms.push_back(ms);
    }
  };
  asio::co_spawn(io, desk(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });

  io.run();
  for (auto& w : watchers) w.join();

  // The longest wait for a room event on any stream, from the start to the end.
  double longest_gap = 0;
  std::size_t fewest = std::numeric_limits<std::size_t>::max();
  for (auto& times : stream_times) {
    fewest = std::min(fewest, times.size());
    double last = 0;
    for (const double s : times) {
      longest_gap = std::max(longest_gap, s - last);
      last = s;
    }
    longest_gap = std::max(longest_gap, o.seconds - last);
  }
  fmt::print("batches {} batches\n", t.batch_ms.size());
  fmt::print("batch.p50 {:.1f} ms\nbatch.p99 {:.1f} ms\nbatch.max {:.1f} ms\n", percentile(t.batch_ms, 50),
             percentile(t.batch_ms, 99), percentile(t.batch_ms, 100));
  fmt::print("desk.reads {} reads\ndesk.p50 {:.1f} ms\ndesk.p95 {:.1f} ms\ndesk.max {:.1f} ms\n", t.desk_ms.size(),
             percentile(t.desk_ms, 50), percentile(t.desk_ms, 95), percentile(t.desk_ms, 100));
  fmt::print("streams.fewest_room_events {} events\nstreams.longest_gap {:.1f} s\nstreams.failed {} streams\n",
             fewest == std::numeric_limits<std::size_t>::max() ? 0 : fewest, longest_gap, stream_failures.load());
  fmt::print("failures {} requests\n", t.failures);
  if (t.failures > 0) fmt::print(stderr, "first failure: {}\n", t.first_failure);
  std::ranges::sort(t.slow, {}, [](const auto& s) { return -s.second; });
  for (std::size_t i = 0; i < std::min<std::size_t>(5, t.slow.size()); ++i)
    fmt::print(stderr, "slow batch at {:.1f} s: {:.0f} ms\n", t.slow[i].first, t.slow[i].second);
  if (o.server_pid > 0) fmt::print("serve.peak_rss {:.0f} MiB\n", static_cast<double>(vm_hwm_kib(o.server_pid)) / 1024.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cmetrack-bench-serve: the central node under a congress's load"};
  app.require_subcommand(1);
  std::string meeting;
  auto* plan = app.add_subcommand("plan", "The instant to run at");
  plan->add_option("--meeting", meeting)->required();
  auto* rooms = app.add_subcommand("rooms", "The meeting's room ids");
  rooms->add_option("--meeting", meeting)->required();
  auto* exp = app.add_subcommand("export", "A dead kiosk's export");
  std::int64_t at = 0;
  int count = 20000;
  std::string out;
  exp->add_option("--meeting", meeting)->required();
  exp->add_option("--at", at)->required();
  exp->add_option("--scans", count);
  exp->add_option("--out", out)->required();
  auto* load = app.add_subcommand("load", "The load");
  load_options o;
  load->add_option("--url", o.url)->required();
  load->add_option("--meeting", o.meeting)->required();
  load->add_option("--kiosks", o.kiosks)->required();
  load->add_option("--staff-token", o.staff_token)->required();
  load->add_option("--rate", o.rate);
  load->add_option("--seconds", o.seconds);
  load->add_option("--streams", o.streams);
  load->add_option("--desk-per-second", o.desk_per_second);
  load->add_option("--server-pid", o.server_pid);
  load->add_option("--clock-offset-ms", o.clock_offset_ms);
  CLI11_PARSE(app, argc, argv);
  if (*plan) return run_plan(meeting);
  if (*rooms) return run_rooms(meeting);
  if (*exp) return run_export(meeting, at, count, out);
  return run_load(o);
}
