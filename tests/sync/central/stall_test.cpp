// Stall: serve keeps acknowledging kiosks' batches while it rebuilds its
// live picture for a meeting another process changed, and while another
// process ingests a dead kiosk's export. A meeting of 5,000 attendees and
// 200,000 scans (the benchmarks' synthetic congress, made small) is enough
// for a rebuild to take tens of milliseconds; serve logs each rebuild with
// its wall-clock span, and the test asks that batches were sent and
// acknowledged inside every such span: a rebuild on serve's own thread
// would hold every batch until it ends.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "shared/time.h"
#include "tests/sync/central/serve_fixture.h"

namespace cmetrack::test {
namespace {

struct batch_sample {
  std::int64_t sent = 0, acked = 0;  // wall-clock ms
  int status = 0;
  std::string detail;
};

struct rebuild_span {
  std::int64_t took = 0, started = 0, finished = 0;
};

// The rebuilds serve's log reports.
std::vector<rebuild_span> rebuilds_in(const std::string& log) {
  static const std::regex line(R"(live picture rebuilt for the changed meeting in (\d+) ms \((\d+) to (\d+)\))");
  std::vector<rebuild_span> out;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it)
    out.push_back({std::stoll((*it)[1]), std::stoll((*it)[2]), std::stoll((*it)[3])});
  return out;
}

// Splits a scans file after `keep` rows: the header and the first rows to
// `head`, the header and the rest to `tail`.
void split_scans(const std::string& from, std::size_t keep, const std::string& head, const std::string& tail) {
  std::ifstream in(from);
  std::ofstream a(head), b(tail);
  std::string row;
  REQUIRE(std::getline(in, row));
  a << row << '\n';
  b << row << '\n';
  for (std::size_t n = 0; std::getline(in, row); ++n) (n < keep ? a : b) << row << '\n';
}

// meeting.json with room R01's capacity set to `capacity`, written to `out`.
void with_capacity(const std::string& meeting, int capacity, const std::string& out) {
  auto m = nlohmann::json::parse(read_file(meeting));
  for (auto& r : m.at("rooms"))
    if (r.at("id") == "R01") r["capacity"] = capacity;
  std::ofstream(out) << m.dump(1);
}

}  // namespace

TEST_CASE("stall: batches are acknowledged while serve rebuilds its live picture and another process ingests",
          "[serve][stall]") {
  temp_dir dir;
  const std::string congress = dir / "congress", data = dir / "data";
  const auto made = run({bin("cmetrack-bench-congress"), "--out", congress, "--attendees", "5000", "--rooms", "10",
                         "--sessions", "60", "--days", "2", "--scans", "200000", "--seed", "11"});
  REQUIRE(made.exit_code == 0);
  const std::string meeting = congress + "/meeting.json";
  split_scans(congress + "/scans.csv", 180'000, dir / "stored.csv", dir / "export.csv");
  central_ok({"init", "--data", data, "--meeting", meeting});
  central_ok({"ingest", "--data", data, dir / "stored.csv"});

  const auto pki = make_test_pki(dir.path().string());
  const std::vector<std::pair<std::string, std::string>> kiosks = {{"K1", "R01"}, {"K2", "R02"}};
  std::vector<std::string> tokens;
  for (const auto& [kiosk, room] : kiosks) {
    const auto out = dir / (kiosk + ".json");
    central_ok({"enroll", "--data", data, "--kiosk", kiosk, "--room", room, "--door", "D1", "--out", out, "--ca-cert",
                pki.ca_cert});
    tokens.push_back(token_of(out));
  }
  const auto staff = run({bin("cmetrack-central"), "staff", "--data", data, "--user", "desk1", "--password-stdin"},
                         "correct horse\n");
  REQUIRE(staff.exit_code == 0);
  const auto staff_token = staff.out.substr(0, staff.out.find('\n'));
  const auto badges = [&] {
    std::vector<std::string> out;
    const auto m = nlohmann::json::parse(read_file(meeting));
    for (const auto& a : m.at("attendees"))
      out.push_back(a.at("badge").get<std::string>());
    return out;
  }();
  REQUIRE(badges.size() == 5000);

  central_server server(data, tls_args(pki), dir / "serve.log");
  client_options o;
  o.ca_file = pki.ca_cert;
  // The first picture is built at the first staff request, before the kiosks start.
  REQUIRE(http_client(server.url(), o).request("GET", "/api/v1/rooms", "", {bearer(staff_token)}).status == 200);

  // Two kiosks, each posting a one-scan batch every 10 ms (what an agent
  // sends as each scan commits), until told to stop.
  std::atomic<bool> stop{false};
  std::vector<std::vector<batch_sample>> samples(kiosks.size());
  std::vector<std::thread> posting;
  for (std::size_t k = 0; k < kiosks.size(); ++k) {
    posting.emplace_back([&, k] {
      http_client client(server.url(), o);
      const auto& [kiosk, room] = kiosks[k];
      for (std::int64_t seq = 1; !stop; ++seq) {
        const auto scan = wire_scan_json(fmt::format("stall-{}-{}", kiosk, seq), seq,
                                         badges[static_cast<std::size_t>(seq) * 7 % badges.size()], room,
                                         "2026-04-24T12:10:00Z", seq % 2 ? "in" : "out", "D1");
        batch_sample x;
        x.sent = now_ms();
        try {
          const auto r = client.request("POST", "/api/v1/scans", batch_body(kiosk, {scan}), {bearer(tokens[k])});
          x.status = r.status;
          if (r.status != 200) x.detail = r.body.substr(0, 300);
        } catch (const std::exception& e) {
          x.detail = e.what();
        }
        x.acked = now_ms();
        samples[k].push_back(x);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
  }
  const auto wait_for_rebuilds = [&](std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (rebuilds_in(server.log()).size() < n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };

  // A change of the meeting from another process, a dead kiosk's export
  // ingested, another change.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  with_capacity(meeting, 1111, dir / "changed.json");
  central_ok({"init", "--data", data, "--meeting", dir / "changed.json"});
  wait_for_rebuilds(1);
  central_ok({"ingest", "--data", data, dir / "export.csv"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  with_capacity(meeting, 1222, dir / "changed.json");
  central_ok({"init", "--data", data, "--meeting", dir / "changed.json"});
  wait_for_rebuilds(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& t : posting) t.join();

  const auto log = server.log();
  INFO("serve's log:\n" << log.substr(log.size() > 4000 ? log.size() - 4000 : 0));
  const auto rebuilds = rebuilds_in(log);
  REQUIRE(rebuilds.size() == 2);

  std::vector<batch_sample> all;
  for (const auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  REQUIRE(all.size() > 100);
  for (const auto& x : all) {
    INFO("a batch sent at " << x.sent << ": " << x.detail);
    CHECK(x.status == 200);
  }

  for (const auto& r : rebuilds) {
    // Shorter than this, the span holds too few batches to tell a stall.
    INFO("a rebuild of " << r.took << " ms, " << r.started << " to " << r.finished);
    REQUIRE(r.took >= 40);
    const auto inside = std::ranges::count_if(all, [&](const batch_sample& x) {
      return x.status == 200 && x.sent >= r.started && x.acked <= r.finished;
    });
    CHECK(inside >= 1);
  }

  // The picture staff see is the changed meeting's.
  const auto rooms = nlohmann::json::parse(
      http_client(server.url(), o).request("GET", "/api/v1/rooms", "", {bearer(staff_token)}).body);
  const auto r01 = std::ranges::find_if(rooms, [](const auto& r) { return r.at("room") == "R01"; });
  REQUIRE(r01 != rooms.end());
  CHECK((*r01).at("capacity") == 1222);
}

}  // namespace cmetrack::test
