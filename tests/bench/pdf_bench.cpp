// cmetrack-bench-pdf: times transcripts as PDF on a store that
// `cmetrack-central init` and `ingest` filled (BENCHMARKS.md, "Transcripts
// as PDF"; pdf_bench.sh runs it).
//
// (a) One attendee, warm process: for N random roster badges, find_transcript
//     (the engine) and then write_transcript_pdf of that one transcript to a
//     file, each timed; the first PDF of the process (fontconfig, font
//     loading) is reported apart and left out of the percentiles.
// (b) Every attendee, by phase, as `transcript --all --pdf` does it:
//     every_attendee_credit (load + engine), then write_transcript_pdf of all
//     of them into one file; and, for the side-by-side, the JSON of all of
//     them as `transcript --all --json` builds and dumps it.
//
// Prints one result a line: `name value unit`.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "shared/command_line.h"
#include "shared/version.h"
#include "sync/central/print/transcript_pdf.h"
#include "sync/central/reports/reports.h"
#include "sync/central/store/meeting_store.h"
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
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void line(std::string_view name, double value, std::string_view unit) { fmt::print("{} {:.3f} {}\n", name, value, unit); }
void line(std::string_view name, std::size_t value, std::string_view unit) { fmt::print("{} {} {}\n", name, value, unit); }

template <class T>
T check(result<T> r, std::string_view what) {
  if (!r) {
    fmt::print(stderr, "cmetrack-bench-pdf: {}: {}\n", what, r.error().message);
    std::exit(exit_status(r.error()));
  }
  return std::move(*r);
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, now_text, out;
  std::size_t badges = 200;
  bool skip_all = false;
  std::uint64_t seed = 1;
  CLI::App app{"cmetrack-bench-pdf: times transcripts as PDF, one attendee and every attendee", "cmetrack-bench-pdf"};
  app.set_version_flag("--version", std::string(version));
  app.add_option("--data", data, "Data directory (after cmetrack-central init and ingest)")->required();
  app.add_option("--out", out, "Directory for the PDFs written")->required();
  app.add_option("--badges", badges, "Random roster badges for the one-attendee PDF")->capture_default_str();
  app.add_option("--seed", seed, "Seed for picking badges")->capture_default_str();
  app.add_option("--now", now_text, "Report as of this time (ISO-8601); default: a day after the last session");
  app.add_flag("--skip-all", skip_all, "Only (a): no PDF of every attendee");
  if (const auto status = cmetrack::parse_command_line(app, argc, argv)) return *status;
  std::filesystem::create_directories(out);

  auto db = check(central::open_store(data, central::open_mode::existing), "open_store");
  const auto m = check(central::load_meeting(db), "load_meeting");
  time_ms now = 0;
  for (const auto& s : m.sessions) now = std::max(now, s.end + 86'400'000);
  if (!now_text.empty()) {
    const auto t = parse_iso8601(now_text);
    if (!t) return fmt::print(stderr, "cmetrack-bench-pdf: --now: \"{}\" is not ISO-8601\n", now_text), 2;
    now = *t;
  }
  const auto roster = check(central::load_attendees(db), "load_attendees");
  if (roster.empty()) return fmt::print(stderr, "cmetrack-bench-pdf: the roster is empty\n"), 2;
  line("data.attendees", roster.size(), "count");

  // (a) One attendee at a time.
  const std::string one = out + "/one.pdf";
  std::mt19937_64 pick(seed);
  std::vector<double> engine, pdf, both;
  for (std::size_t i = 0; i <= badges; ++i) {
    const auto& who = roster[pick() % roster.size()];
    auto t0 = clock_type::now();
    const auto t = check(central::find_transcript(db, m, who.badge, now), "find_transcript");
    const double e = ms_since(t0);
    t0 = clock_type::now();
    check(central::write_transcript_pdf(m, std::span(&t, 1), now, one), "write_transcript_pdf");
    const double p = ms_since(t0);
    if (i == 0) {  // the process's first PDF: fonts found and loaded
      line("one.first_pdf", p, "ms");
      continue;
    }
    engine.push_back(e);
    pdf.push_back(p);
    both.push_back(e + p);
  }
  for (auto* v : {&engine, &pdf, &both}) std::ranges::sort(*v);
  line("one.count", pdf.size(), "count");
  line("one.engine.p50", percentile(engine, 0.5), "ms");
  line("one.pdf.p50", percentile(pdf, 0.5), "ms");
  line("one.pdf.p99", percentile(pdf, 0.99), "ms");
  line("one.pdf.max", pdf.empty() ? 0.0 : pdf.back(), "ms");
  line("one.total.p50", percentile(both, 0.5), "ms");
  line("one.total.p99", percentile(both, 0.99), "ms");
  line("one.bytes", static_cast<std::size_t>(std::filesystem::file_size(one)), "bytes");

  if (!skip_all) {
    // (b) Every attendee, by phase.
    auto t0 = clock_type::now();
    const auto everyone = check(central::every_attendee_credit(db, m, now), "every_attendee_credit");
    line("all.engine", ms_since(t0), "ms");
    t0 = clock_type::now();
    std::size_t json_bytes = 0;
    {
      auto all = nlohmann::ordered_json::array();
      for (const auto& t : everyone) all.push_back(central::transcript_json(m, t.who, t.credit));
      json_bytes = all.dump(2).size();
    }
    line("all.json", ms_since(t0), "ms");
    line("all.json_bytes", json_bytes, "bytes");
    const std::string every = out + "/all.pdf";
    t0 = clock_type::now();
    const int pages = check(central::write_transcript_pdf(m, everyone, now, every), "write_transcript_pdf");
    line("all.pdf", ms_since(t0), "ms");
    line("all.pages", static_cast<std::size_t>(pages), "count");
    line("all.pdf_bytes", static_cast<std::size_t>(std::filesystem::file_size(every)), "bytes");
  }
  line("peak_rss", peak_rss_mib(), "MiB");
  central::release_pdf_fonts();
  return 0;
}
