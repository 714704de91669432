#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "shared/meeting_zone.h"

using namespace cmetrack;

namespace {

time_ms utc(const char* iso) {
  const auto t = parse_iso8601(iso);
  REQUIRE(t);
  return *t;
}

// "2026-03-08 01:59:59 EST Sun (day 67)": every field, so one CHECK shows them all.
std::string text(const local_time& l) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} {} {} (day {})", l.year, l.month, l.day, l.hour, l.minute,
                     l.second, l.zone_abbreviation, l.weekday >= 0 && l.weekday < 7 ? days[l.weekday] : "?",
                     l.day_of_year);
}

std::string in(const char* zone, const char* iso) { return text(meeting_zone(zone).at(utc(iso))); }

// Sets the process's TZ for a scope, then puts it back as it was.
class process_tz {
 public:
  explicit process_tz(const char* zone) {
    if (const char* old = std::getenv("TZ")) saved_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~process_tz() {
    if (saved_)
      setenv("TZ", saved_->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  process_tz(const process_tz&) = delete;
  process_tz& operator=(const process_tz&) = delete;

 private:
  std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("New York in spring and autumn: 01:59:59 EST then 03:00:00 EDT", "[time][zone]") {
  CHECK(in("America/New_York", "2026-03-08T06:59:59Z") == "2026-03-08 01:59:59 EST Sun (day 67)");
  CHECK(in("America/New_York", "2026-03-08T07:00:00Z") == "2026-03-08 03:00:00 EDT Sun (day 67)");
  // And back in the autumn: 01:30 comes twice.
  CHECK(in("America/New_York", "2026-11-01T05:30:00Z") == "2026-11-01 01:30:00 EDT Sun (day 305)");
  CHECK(in("America/New_York", "2026-11-01T06:30:00Z") == "2026-11-01 01:30:00 EST Sun (day 305)");
  // Late in the evening there is the day before in UTC's terms.
  CHECK(in("America/New_York", "2026-04-25T02:00:00Z") == "2026-04-24 22:00:00 EDT Fri (day 114)");
}

TEST_CASE("Berlin with its summer time and Kolkata at +05:30 and UTC", "[time][zone]") {
  CHECK(in("Europe/Berlin", "2026-01-15T12:00:00Z") == "2026-01-15 13:00:00 CET Thu (day 15)");
  CHECK(in("Europe/Berlin", "2026-03-29T00:59:59Z") == "2026-03-29 01:59:59 CET Sun (day 88)");
  CHECK(in("Europe/Berlin", "2026-03-29T01:00:00Z") == "2026-03-29 03:00:00 CEST Sun (day 88)");
  CHECK(in("Asia/Kolkata", "2026-04-24T12:03:17Z") == "2026-04-24 17:33:17 IST Fri (day 114)");
  CHECK(in("Asia/Kolkata", "2026-12-31T18:30:00Z") == "2027-01-01 00:00:00 IST Fri (day 1)");
  CHECK(in("UTC", "2028-12-31T23:59:59Z") == "2028-12-31 23:59:59 UTC Sun (day 366)");  // a leap year's last day
  CHECK(meeting_zone("Asia/Kolkata").known());
  CHECK(meeting_zone("Asia/Kolkata").name() == "Asia/Kolkata");
}

TEST_CASE("An empty or unknown zone is UTC and says it is not known", "[time][zone]") {
  for (const char* name : {"", "Mars/Olympus_Mons", "america/new_york", "../../etc/passwd", "zone.tab"}) {
    INFO(name);
    const meeting_zone zone(name);
    CHECK_FALSE(zone.known());
    CHECK(zone.name() == "UTC");
    CHECK(text(zone.at(utc("2026-04-24T12:03:17Z"))) == "2026-04-24 12:03:17 UTC Fri (day 114)");
  }
  CHECK_FALSE(meeting_zone().known());
  CHECK(text(meeting_zone().at(0)) == "1970-01-01 00:00:00 UTC Thu (day 1)");
}

TEST_CASE("Times before 1970 and milliseconds round down to the second", "[time][zone]") {
  const meeting_zone utc_zone;
  CHECK(text(utc_zone.at(-1)) == "1969-12-31 23:59:59 UTC Wed (day 365)");
  CHECK(text(utc_zone.at(-1000)) == "1969-12-31 23:59:59 UTC Wed (day 365)");
  CHECK(text(utc_zone.at(-1001)) == "1969-12-31 23:59:58 UTC Wed (day 365)");
  CHECK(text(utc_zone.at(999)) == "1970-01-01 00:00:00 UTC Thu (day 1)");
  // New York kept summer time in 1960 too.
  CHECK(in("America/New_York", "1960-06-29T18:40:00Z") == "1960-06-29 14:40:00 EDT Wed (day 181)");
  CHECK(in("Europe/Berlin", "1969-12-31T23:30:00Z") == "1970-01-01 00:30:00 CET Thu (day 1)");
  // The first and last days ISO-8601 writes, and every time_ms beyond.
  CHECK(in("", "0001-01-01T00:00:00Z") == "0001-01-01 00:00:00 UTC Mon (day 1)");
  CHECK(in("America/New_York", "9999-12-31T23:59:59Z") == "9999-12-31 18:59:59 EST Fri (day 365)");
  CHECK(meeting_zone("Asia/Kolkata").at(std::numeric_limits<time_ms>::min()).year == -292275055);
  CHECK(meeting_zone("Asia/Kolkata").at(std::numeric_limits<time_ms>::max()).year == 292278994);
}

TEST_CASE("The process's TZ does not move the meeting's clock", "[time][zone]") {
  const meeting_zone new_york("America/New_York"), kolkata("Asia/Kolkata"), none("");
  const time_ms t = utc("2026-03-08T07:00:00Z");
  const auto before = std::vector{text(new_york.at(t)), text(kolkata.at(t)), text(none.at(t))};
  const process_tz auckland("Pacific/Auckland");
  CHECK(std::vector{text(new_york.at(t)), text(kolkata.at(t)), text(none.at(t))} == before);
  CHECK(text(meeting_zone("America/New_York").at(t)) == "2026-03-08 03:00:00 EDT Sun (day 67)");
  CHECK(text(meeting_zone("").at(t)) == "2026-03-08 07:00:00 UTC Sun (day 67)");
}

TEST_CASE("Four threads convert in four zones at once and agree with one thread", "[time][zone][threads]") {
  const char* zones[] = {"America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"};
  // Every 7 h 13 min 17 s over about three years: both sides of every change of clocks.
  constexpr time_ms from = 1767225600000;  // 2026-01-01T00:00:00Z
  constexpr time_ms step = ((7 * 60 + 13) * 60 + 17) * ms_per_second;
  constexpr int count = 3600;

  std::vector<std::vector<std::string>> expected(4), got(4);
  for (std::size_t z = 0; z < 4; ++z) {
    const meeting_zone zone(zones[z]);
    for (int i = 0; i < count; ++i) expected[z].push_back(text(zone.at(from + i * step)));
  }

  std::vector<std::thread> threads;
  const meeting_zone shared_berlin("Europe/Berlin");  // one value read by every thread as well
  std::vector<int> berlin_mismatches(4, 0);
  for (std::size_t z = 0; z < 4; ++z)
    threads.emplace_back([&, z] {
      for (int round = 0; round < 3; ++round) {
        got[z].clear();
        for (int i = 0; i < count; ++i) {
          const time_ms t = from + i * step;
          got[z].push_back(text(meeting_zone(zones[z]).at(t)));
          if (text(shared_berlin.at(t)) != expected[1][static_cast<std::size_t>(i)]) ++berlin_mismatches[z];
        }
      }
    });
  for (auto& t : threads) t.join();

  for (std::size_t z = 0; z < 4; ++z) {
    INFO(zones[z]);
    CHECK(got[z] == expected[z]);
    CHECK(berlin_mismatches[z] == 0);
  }
  // Spot checks that the answers are right, not only the same.
  CHECK(expected[3][0] == "2026-01-01 11:00:00 AEDT Thu (day 1)");
  CHECK(expected[2][1] == "2026-01-01 12:43:17 IST Thu (day 1)");
}
