// Signed badges at the central node (badge.key; shared/badge_signature.h):
// init keeps the key, ingest reads a payload as a badge only with its valid
// MAC, so a forged payload earns nothing, and a changed key re-reads the
// stored scans.
#include <catch2/catch.hpp>

#include <filesystem>

#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "shared/time.h"
#include "sync/central/reports/corrections.h"
#include "sync/central/store/meeting_store.h"
#include "tests/sync/central/central_cli.h"

using Catch::Matchers::Contains;
using cmetrack::test::temp_dir;
using nlohmann::json;
namespace t = cmetrack::test;

namespace {

// Bytes 00 01 ... 1f. The MACs below were computed outside the code:
//   printf %s TAM26-000001 | openssl dgst -sha256 -mac HMAC -macopt hexkey:KEY
//   -> d0c8e464b4...: its first 40 bits in Crockford base32.
const std::string key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string jane = "TAM26-000001.T34E8S5M";  // d0c8e464b4
const std::string ravi = "TAM26-000002.EKTEZ8HK";  // 74f4efa233

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

json signed_meeting(const std::string& with_key) {
  auto m = t::worked_meeting();
  m["badge"]["key"] = with_key;
  return m;
}

std::string stored_key(const std::string& data) {
  cmetrack::sqlite::open_options o;
  o.create = false;
  auto db = cmetrack::sqlite::database::open(t::central_db(data), o);
  REQUIRE(db);
  auto s = cmetrack::sqlite::statement::prepare(*db, "SELECT coalesce(badge_key, 'NULL') FROM meeting");
  REQUIRE(s);
  REQUIRE(s->step_row());
  return std::string(s->text(0));
}

std::string desk_scan_badge(const std::string& data) {
  cmetrack::sqlite::open_options o;
  o.create = false;
  auto db = cmetrack::sqlite::database::open(t::central_db(data), o);
  REQUIRE(db);
  auto s = cmetrack::sqlite::statement::prepare(*db, "SELECT coalesce(badge, 'NULL') FROM scans WHERE source = 'correction'");
  REQUIRE(s);
  REQUIRE(s->step_row());
  return std::string(s->text(0));
}

}  // namespace

TEST_CASE("signed badges: the worked example's signed scans credit as docs/rules.md says, forged ones earn nothing",
          "[central][cli][signed]") {
  temp_dir dir;
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, "signed.json", signed_meeting(key))});
  CHECK(stored_key(data) == key);

  // The worked example's scans as signed badges give them.
  auto scans = replace_all(t::read_file(t::test_data("worked_example.csv")), "TAM26-000001", jane);
  scans = replace_all(scans, "TAM26-000002", ravi);
  const auto signed_csv = dir / "signed.csv";
  t::write_file(signed_csv, scans);
  CHECK(t::central_ok({"ingest", "--data", data, signed_csv}) == signed_csv + ": 8 scans read, 8 stored, 0 already stored\n");

  // Forgeries that, were they read as badges, would end Ravi's stay at 09:00
  // and move Jane to room B at 09:05: his number typed into a generator, a
  // made-up MAC, his MAC with one character changed, her MAC on another payload.
  const auto forged = t::write_scans(dir, "forged.csv",
                                     {"f-1,k-a2,1,TAM26-000002,A,south,out,2026-04-24T13:00:00.000Z,wedge",
                                      "f-2,k-a2,2,TAM26-000002.00000000,A,south,out,2026-04-24T13:01:00.000Z,wedge",
                                      "f-3,k-a2,3,TAM26-000002.EKTEZ8HJ,A,south,out,2026-04-24T13:02:00.000Z,wedge",
                                      "f-4,k-b1,9,000001.T34E8S5M,B,main,in,2026-04-24T13:05:00.000Z,camera"});
  CHECK(t::central_ok({"ingest", "--data", data, forged}) ==
        forged + ": 4 scans read, 4 stored, 0 already stored; quarantined: 4 fail the badge pattern, "
                 "0 name a room the meeting does not have\n");

  const auto one = t::transcript(data, "000001");
  CHECK(one.at("total_credits") == 2.75);
  CHECK(one.at("total_patient_safety_credits") == 0.25);
  REQUIRE(one.at("sessions").size() == 3);
  CHECK(one.at("sessions").at(0).at("attended_seconds") == 3900);  // S1, 65 min, as docs/rules.md has it
  const auto two = t::transcript(data, "000002");
  CHECK(two.at("total_credits") == 2.0);
  REQUIRE(two.at("sessions").size() == 2);
  CHECK(two.at("sessions").at(0).at("attended_seconds") == 4800);  // S1 08:00-09:20: not ended at 09:00
  CHECK(two.at("flags") == json::array());

  // The desk may give a signed payload as scanned; an unsigned one is no badge.
  CHECK(t::central_ok({"transcript", "--data", data, "--badge", jane, "--json", "--now", t::after_meeting}) ==
        t::central_ok({"transcript", "--data", data, "--badge", "000001", "--json", "--now", t::after_meeting}));
  const auto unsigned_lookup =
      t::central({"transcript", "--data", data, "--badge", "TAM26-000001", "--json", "--now", t::after_meeting});
  CHECK(unsigned_lookup.exit_code == 2);
  CHECK_THAT(unsigned_lookup.err, Contains("not on the roster"));

  {  // The desk adds Ravi's exit at 10:30: a scan that names its badge id, no payload read off a badge.
    cmetrack::sqlite::open_options o;
    o.create = false;
    auto db = cmetrack::sqlite::database::open(t::central_db(data), o);
    REQUIRE(db);
    auto m = cmetrack::central::load_meeting(*db);
    REQUIRE(m);
    cmetrack::central::correction_request r;
    r.action = cmetrack::central::correction_action::add_scan;
    r.room = "A";
    r.direction = "out";
    r.at = cmetrack::parse_iso8601("2026-04-24T14:30:00Z").value_or(0);
    r.reason = "left early, said so at the desk";
    auto row = cmetrack::central::record_correction(*db, *m, ravi, r, "desk1",
                                                    cmetrack::parse_iso8601(t::after_meeting).value_or(0));
    INFO((row ? std::string() : row.error().message));
    REQUIRE(row);
  }
  CHECK(desk_scan_badge(data) == "000002");

  SECTION("a new key: the stored scans are read anew, and the old badges earn nothing") {
    const std::string other = "ff" + key.substr(2);
    CHECK_THAT(t::central_ok({"init", "--data", data, "--meeting",
                              t::write_meeting(dir, "rotated.json", signed_meeting(other))}),
               Contains("badge key changed: 8 stored scans now read as another badge id"));
    CHECK(stored_key(data) == other);
    CHECK(t::transcript(data, "000001").at("total_credits") == 0.0);
    CHECK(t::transcript(data, "000002").at("sessions") == json::array());
    CHECK(desk_scan_badge(data) == "000002");  // the desk's scan keeps the badge it names
  }
  SECTION("the key taken out: payloads are read by the pattern alone, as before") {
    CHECK_THAT(t::central_ok({"init", "--data", data, "--meeting", t::test_data("worked_example.json")}),
               Contains("badge key removed: 9 stored scans now read as another badge id"));  // 8 signed, f-1
    CHECK(stored_key(data) == "NULL");
    CHECK(desk_scan_badge(data) == "000002");
    CHECK(t::transcript(data, "000001").at("total_credits") == 0.0);  // "...-000001.MAC" fails the anchored pattern
  }
}

TEST_CASE("signed badges: a key that is not 64 hex digits is refused naming badge.key, and nothing is written",
          "[central][cli][signed]") {
  temp_dir dir;
  const auto data = dir / "data";
  for (const std::string& bad : {key.substr(0, 63), key.substr(0, 63) + "x"}) {
    INFO(bad);
    const auto r = t::central({"init", "--data", data, "--meeting", t::write_meeting(dir, "bad.json", signed_meeting(bad))});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("bad.json: badge.key: ") && Contains("exactly 64 hex digits") &&
                          Contains("openssl rand -hex 32"));
    CHECK(r.out.empty());
    CHECK_FALSE(std::filesystem::exists(data));
  }
}
