// cmetrack-central archive on a real PostgreSQL (a throwaway cluster,
// tests/support/postgres_cluster.h): two meetings copied into one archive,
// the learner report read from its URL, copying again, the records
// append-only there, and the refusals.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/postgres_cluster.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/two_meetings.h"

using Catch::Matchers::Contains;
using nlohmann::json;
namespace t = cmetrack::test;

namespace {

std::string archive(const std::string& data, const std::string& url) {
  return t::central_ok({"archive", "--data", data, "--to", url, "--now", t::after_meeting});
}

json learner_from(const std::vector<std::string>& sources, const std::string& id) {
  std::vector<std::string> args{"learner", "--id", id, "--json", "--now", t::after_meeting};
  for (const auto& s : sources) {
    args.push_back("--data");
    args.push_back(s);
  }
  return json::parse(t::central_ok(args));
}

}  // namespace

TEST_CASE("archive: two meetings in one archive give the learner report their data directories give",
          "[central][archive][postgres]") {
  t::two_meetings p;
  t::postgres_database db;
  CHECK_THAT(archive(p.spring, db.url()),
             Contains("TAM26 archived to " + db.url() + ": 2 attendees, 8 scans (8 new), 0 claims (0 new)") &&
                 Contains("the credit of 2 attendees as of 2026-04-24T16:00:00.000Z"));
  archive(p.fall, db.url());
  const auto from_archive = learner_from({db.url()}, "NPI-1");
  CHECK(from_archive == learner_from({p.spring, p.fall}, "NPI-1"));
  CHECK(from_archive["total_credits"] == 4.75);
  REQUIRE(from_archive["meetings"].size() == 2);
  CHECK(from_archive["meetings"][1]["meeting"] == "TAM26-FALL");
  CHECK(from_archive["meetings"][1]["badge"] == "000002");
  // Every row is keyed by its meeting: the two meetings' scans share their ids.
  CHECK(t::psql(db.url(), "SELECT meeting, count(*) FROM scans GROUP BY meeting ORDER BY meeting") ==
        "TAM26|8\nTAM26-FALL|8\n");
  CHECK(t::psql(db.url(), "SELECT meeting, badge, learner_id FROM attendees WHERE learner_id = 'NPI-1' ORDER BY 1") ==
        "TAM26|000001|NPI-1\nTAM26-FALL|000002|NPI-1\n");

  // An archive and a data directory together, each meeting once.
  const auto both = t::central({"learner", "--data", db.url(), "--data", p.spring, "--id", "NPI-1", "--json"});
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Contains("both hold meeting TAM26"));
}

TEST_CASE("archive: copying again adds only what is new, and the credit kept follows the claim",
          "[central][archive][postgres]") {
  t::two_meetings p;
  t::postgres_database db;
  archive(p.spring, db.url());
  archive(p.fall, db.url());
  p.claim_at_fall();
  CHECK_THAT(archive(p.fall, db.url()), Contains("8 scans (0 new), 2 claims (2 new)"));
  CHECK_THAT(archive(p.fall, db.url()), Contains("8 scans (0 new), 2 claims (0 new)"));
  CHECK(t::psql(db.url(), "SELECT count(*) FROM claims") == "2\n");
  const auto r = learner_from({db.url()}, "NPI-1");
  CHECK(r["meetings"][1]["claimed_credits"] == 1.75);
  CHECK(r["requirement"]["total_credits"]["counted"] == 4.5);
  CHECK(r == learner_from({p.spring, p.fall}, "NPI-1"));
}

TEST_CASE("archive: scans, claims and corrections cannot be changed or deleted there", "[central][archive][postgres]") {
  t::two_meetings p;
  t::postgres_database db;
  p.claim_at_fall();
  archive(p.fall, db.url());
  for (const std::string sql : {"UPDATE claims SET quarters = 5", "DELETE FROM claims", "DELETE FROM scans",
                                "UPDATE scans SET at_ms = 0"}) {
    const auto r = t::run({t::psql_path(), db.url(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql});
    INFO(sql << ": " << r.err);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Contains("are append-only: record a new one instead"));
  }
  CHECK(t::psql(db.url(), "SELECT sum(quarters), count(*) FROM claims") == "7|2\n");
  CHECK(t::psql(db.url(), "SELECT count(*) FROM scans") == "8\n");
}

TEST_CASE("archive: a URL that is not PostgreSQL's, a server that does not answer and an empty database are refused",
          "[central][archive][postgres]") {
  t::two_meetings p;
  auto r = t::central({"archive", "--data", p.spring, "--to", p.dir / "archive"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("is not a PostgreSQL URL"));
  // Port 1 on loopback: nothing listens there. The password is never shown.
  r = t::central({"archive", "--data", p.spring, "--to", "postgresql://cme:secret@127.0.0.1:1/archive"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("postgresql://cme:***@127.0.0.1:1/archive: cannot connect"));
  CHECK_THAT(r.err, !Contains("secret"));

  t::postgres_database db;
  r = t::central({"learner", "--data", db.url(), "--id", "NPI-1", "--json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no cmetrack archive there"));
  // An archive without the learner.
  archive(p.spring, db.url());
  r = t::central({"learner", "--data", db.url(), "--id", "NPI-9", "--json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no attendee of the 1 meeting(s) given has learner id \"NPI-9\""));
}

TEST_CASE("archive: text with a backslash, a tab and a line break arrives as it was", "[central][archive][postgres]") {
  t::temp_dir dir;
  auto m = t::worked_meeting();
  m["attendees"][0]["last_name"] = "O\\Brien\tDoe\nJr";
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, "meeting.json", m)});
  t::postgres_database db;
  archive(data, db.url());
  CHECK(t::psql(db.url(), "SELECT last_name = E'O\\\\Brien\\tDoe\\nJr', length(last_name) FROM attendees "
                          "WHERE badge = '000001'") == "t|14\n");
}
