#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kiosk/core/wedge.h"

using namespace cmetrack;
using namespace cmetrack::kiosk;

namespace {

struct key {
  char c;
  time_ms at;
};

// Keys `text` typed from `start`, `gap` ms apart.
std::vector<key> typed(const std::string& text, time_ms start, time_ms gap) {
  std::vector<key> keys;
  for (std::size_t i = 0; i < text.size(); ++i) keys.push_back({text[i], start + static_cast<time_ms>(i) * gap});
  return keys;
}

std::vector<key> operator+(std::vector<key> a, const std::vector<key>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::string> scans_of(const std::vector<key>& keys) {
  wedge_classifier w;
  std::vector<std::string> scans;
  for (const auto& k : keys)
    if (auto s = w.feed(k.c, k.at)) scans.push_back(*s);
  return scans;
}

}  // namespace

TEST_CASE("wedge: fast keys ending in Enter are a scan, a person typing is not") {
  struct row {
    const char* what;
    std::vector<key> keys;
    std::vector<std::string> scans;
  };
  const std::vector<row> table = {
      {"scanner, 5 ms apart", typed("TAM26-000001\n", 1000, 5), {"TAM26-000001"}},
      {"scanner, 49 ms apart", typed("000001\n", 1000, 49), {"000001"}},
      {"50 ms apart is a person", typed("000001\n", 1000, 50), {}},
      {"a person, 150 ms apart", typed("000001\n", 1000, 150), {}},
      {"Enter late after a fast run", typed("000001", 1000, 5) + typed("\n", 1100, 0), {}},
      {"a person typed, paused, then a scan", typed("ab", 0, 200) + typed("000002\n", 2000, 4), {"000002"}},
      {"a pause inside a run starts it over", typed("000", 0, 5) + typed("001\n", 500, 5), {"001"}},
      {"CR LF ends one scan", typed("000001\r\n", 0, 3), {"000001"}},
      {"two scans back to back", typed("000001\n", 0, 3) + typed("000002\n", 2000, 3), {"000001", "000002"}},
      {"Enter alone is not a scan", typed("\n", 0, 0) + typed("\n", 10, 0), {}},
      {"a clock that steps back is not fast", typed("12", 1000, 5) + typed("\n", 900, 0), {}},
  };
  for (const auto& r : table) {
    INFO(r.what);
    CHECK(scans_of(r.keys) == r.scans);
  }
}
