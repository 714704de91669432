#include <catch2/catch.hpp>

#include <map>

#include "shared/scan_set.h"

using namespace cmetrack;

namespace {

// badge -> the seqs of its scans, in the order the set holds them.
std::map<std::string, std::vector<std::int64_t>> contents(scan_set& set) {
  std::map<std::string, std::vector<std::int64_t>> out;
  for (std::size_t b = 0; b < set.badge_count(); ++b)
    for (const auto& s : set.scans_of(b)) out[set.badge(b)].push_back(s.seq);
  return out;
}

}  // namespace

TEST_CASE("a scan set groups scans by badge, whether they come grouped or mixed", "[scan-set]") {
  const std::map<std::string, std::vector<std::int64_t>> expected = {{"1", {1, 3}}, {"2", {2, 5}}, {"3", {4}}};

  scan_set grouped;  // as the store reads them: badge by badge
  for (const auto& [badge, seq] : std::vector<std::pair<std::string, std::int64_t>>{
           {"1", 1}, {"1", 3}, {"2", 2}, {"2", 5}, {"3", 4}})
    grouped.add(badge, "k", seq, 0, 0, direction::in, seq);
  grouped.group();
  CHECK(contents(grouped) == expected);

  scan_set mixed;  // in time order: badges interleave
  for (const auto& [badge, seq] : std::vector<std::pair<std::string, std::int64_t>>{
           {"1", 1}, {"2", 2}, {"1", 3}, {"3", 4}, {"2", 5}})
    mixed.add(badge, "k", seq, 0, 0, direction::in, seq);
  mixed.group();
  CHECK(contents(mixed) == expected);
}

TEST_CASE("kiosk ids are interned: one copy, the same view", "[scan-set]") {
  kiosk_names names;
  const std::string a = "kiosk-a", b = "kiosk-b";
  const auto first = names.intern(a);
  names.intern(b);
  const auto again = names.intern(std::string("kiosk-a"));
  CHECK(first == "kiosk-a");
  CHECK(again.data() == first.data());
}
