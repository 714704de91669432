// cmetrack-bench-engine: times the central node's engine on a store that
// `cmetrack-central init` and `ingest` filled (BENCHMARKS.md).
//
// (a) Full recompute, single-threaded: load_all_scans (the SQLite read and
//     grouping by badge), then attend() + credit() for every attendee on the
//     roster, as `transcript --all` does; the JSON of every transcript is
//     timed apart, for information.
// (b) One attendee's transcript: central::transcript_report (roster lookup,
//     that badge's scans by index, attend, credit, JSON) for random roster
//     badges in this one warm process; its total must match (a)'s.
//
// Prints one result a line: `name value unit`.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "shared/attendance.h"
#include "shared/command_line.h"
#include "shared/credit.h"
#include "shared/version.h"
#include "sync/central/reports/reports.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/scan_store.h"
#include "sync/central/store/store.h"

namespace {

using namespace cmetrack;
using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Nearest rank: the smallest value with at least p of the values at or below it.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double median(std::vector<double> v) {
  std::ranges::sort(v);
  return v.empty() ? 0 : v[(v.size() - 1) / 2];
}

void line(std::string_view name, double value, std::string_view unit) { fmt::print("{} {:.3f} {}\n", name, value, unit); }
void line(std::string_view name, std::size_t value, std::string_view unit) { fmt::print("{} {} {}\n", name, value, unit); }

template <class T>
T check(result<T> r, std::string_view what) {
  if (!r) {
    fmt::print(stderr, "cmetrack-bench-engine: {}: {}\n", what, r.error().message);
    std::exit(exit_status(r.error()));
  }
  return std::move(*r);
}

struct recompute_times {
  double load = 0, engine = 0, json = 0;
  std::size_t json_bytes = 0;
};

// One full recompute; fills `totals` (badge -> total quarters) and counts
// attendees by flag.
recompute_times recompute(sqlite::database& db, const meeting& m, const std::vector<attendee>& roster, time_ms now,
                          std::unordered_map<std::string_view, int>& totals, std::array<std::size_t, flag_names.size()>& flagged,
                          std::size_t& scan_count) {
  recompute_times t;
  auto t0 = clock_type::now();
  auto scans = check(central::load_all_scans(db, m, now), "load_all_scans");
  t.load = ms_since(t0);
  scan_count = scans.scan_count();

  t0 = clock_type::now();
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(scans.badge_count());
  for (std::size_t b = 0; b < scans.badge_count(); ++b) index.emplace(scans.badge(b), b);
  std::vector<credit_summary> summaries;
  summaries.reserve(roster.size());
  for (const auto& p : roster) {
    attendance a;
    if (const auto it = index.find(p.badge); it != index.end()) a = attend(m, scans.scans_of(it->second), now);
    summaries.push_back(credit(m, a));
  }
  t.engine = ms_since(t0);

  t0 = clock_type::now();
  for (std::size_t i = 0; i < roster.size(); ++i)
    t.json_bytes += central::transcript_json(m, roster[i], summaries[i]).dump().size();
  t.json = ms_since(t0);

  totals.clear();
  flagged.fill(0);
  for (std::size_t i = 0; i < roster.size(); ++i) {
    totals.emplace(roster[i].badge, summaries[i].total_quarters);
    for (std::size_t f = 0; f < flag_names.size(); ++f) flagged[f] += summaries[i].flags.has(static_cast<flag>(f));
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, now_text;
  std::size_t badges = 2000;
  int rounds = 3;
  std::uint64_t seed = 1;
  CLI::App app{"cmetrack-bench-engine: times the full recompute and one attendee's transcript on a filled store",
               "cmetrack-bench-engine"};
  app.set_version_flag("--version", std::string(version));
  app.add_option("--data", data, "Data directory (after cmetrack-central init and ingest)")->required();
  app.add_option("--badges", badges, "Random roster badges for the one-attendee transcript")->capture_default_str();
  app.add_option("--rounds", rounds, "Full recomputes; the median is reported")->check(CLI::Range(1, 100))->capture_default_str();
  app.add_option("--seed", seed, "Seed for picking badges")->capture_default_str();
  app.add_option("--now", now_text, "Report as of this time (ISO-8601); default: a day after the last session");
  if (const auto status = cmetrack::parse_command_line(app, argc, argv)) return *status;

  auto t0 = clock_type::now();
  auto db = check(central::open_store(data, central::open_mode::existing), "open_store");
  const auto m = check(central::load_meeting(db), "load_meeting");
  line("open.store_and_meeting", ms_since(t0), "ms");
  time_ms now = 0;
  for (const auto& s : m.sessions) now = std::max(now, s.end + 86'400'000);
  if (!now_text.empty()) {
    const auto t = parse_iso8601(now_text);
    if (!t) return fmt::print(stderr, "cmetrack-bench-engine: --now: \"{}\" is not ISO-8601\n", now_text), 2;
    now = *t;
  }
  t0 = clock_type::now();
  const auto roster = check(central::load_attendees(db), "load_attendees");
  line("open.roster", ms_since(t0), "ms");
  line("data.attendees", roster.size(), "count");
  if (roster.empty()) return fmt::print(stderr, "cmetrack-bench-engine: the roster is empty\n"), 2;

  // (a) Full recompute.
  std::unordered_map<std::string_view, int> totals;
  std::array<std::size_t, flag_names.size()> flagged{};
  std::size_t scan_count = 0;
  std::vector<double> load, engine, json, total;
  std::size_t json_bytes = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t = recompute(db, m, roster, now, totals, flagged, scan_count);
    json_bytes = t.json_bytes;
    load.push_back(t.load);
    engine.push_back(t.engine);
    json.push_back(t.json);
    total.push_back(t.load + t.engine);
  }
  line("data.scans_that_count", scan_count, "count");
  for (std::size_t f = 0; f < flag_names.size(); ++f)
    line(fmt::format("data.attendees_flagged.{}", flag_names[f]), flagged[f], "count");
  line("recompute.rounds", static_cast<std::size_t>(rounds), "count");
  line("recompute.load_all_scans", median(load), "ms");
  line("recompute.attend_credit", median(engine), "ms");
  line("recompute.total", median(total), "ms");
  line("recompute.transcript_json", median(json), "ms");
  line("recompute.transcript_json_bytes", json_bytes, "bytes");
  line("recompute.peak_rss", peak_rss_mib(), "MiB");

  // (b) One attendee's transcript, in this warm process.
  std::mt19937_64 pick(seed);
  std::vector<double> times;
  times.reserve(badges);
  for (std::size_t i = 0; i < badges; ++i) {
    const auto& who = roster[pick() % roster.size()];
    t0 = clock_type::now();
    const auto report = check(central::transcript_report(db, m, who.badge, now), "transcript_report");
    const auto text = report.dump(2);
    times.push_back(ms_since(t0));
    const int expected = totals.at(who.badge);
    if (report.at("total_credits").get<double>() != credits(expected))
      return fmt::print(stderr, "cmetrack-bench-engine: badge {}: transcript says {} credits, the recompute {}\n",
                        who.badge, report.at("total_credits").dump(), credits(expected)), 1;
  }
  std::ranges::sort(times);
  line("transcript.count", times.size(), "count");
  line("transcript.p50", percentile(times, 0.50), "ms");
  line("transcript.p95", percentile(times, 0.95), "ms");
  line("transcript.p99", percentile(times, 0.99), "ms");
  line("transcript.max", times.empty() ? 0.0 : times.back(), "ms");
  line("peak_rss", peak_rss_mib(), "MiB");
  return 0;
}
