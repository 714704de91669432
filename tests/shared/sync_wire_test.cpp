// The sync wire format (shared/sync_wire.h): what the agent sends and the
// central node answers, both ways, and every rejection naming its field.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "shared/sync_wire.h"

using namespace cmetrack;
using nlohmann::json;

namespace {

json good_scan() {
  return {{"id", "s-1"}, {"seq", 1}, {"badge", "TAM26-000001"}, {"room", "A"}, {"door", "north"},
          {"direction", "in"}, {"at", "2026-04-24T11:55:00.000Z"}, {"source", "wedge"}};
}

json batch_with(const json& scan) {
  return {{"kiosk", "K1"}, {"sent_at", "2026-04-24T12:00:00Z"}, {"scans", json::array({scan})}};
}

}  // namespace

TEST_CASE("sync wire: a batch survives encode and decode, optional numbers included", "[sync-wire]") {
  scan_batch b;
  b.kiosk = "K1";
  b.sent_at = *parse_iso8601("2026-04-24T12:00:00.125Z");
  b.scans.push_back({"s-1", 1, "TAM26-000001", "A", "north", direction::in, *parse_iso8601("2026-04-24T11:55:00Z"), "wedge"});
  b.scans.push_back({"s-2", 2, "garbage", "A", "north", direction::automatic, *parse_iso8601("2026-04-24T11:56:00.5Z"), "camera"});
  b.clock_offset_ms = -600000;
  b.backlog = 12;
  auto d = decode_batch(encode_batch(b));
  REQUIRE(d);
  CHECK(d->rejected.empty());
  CHECK(d->batch.kiosk == "K1");
  CHECK(d->batch.sent_at == b.sent_at);
  CHECK(d->batch.scans == b.scans);
  CHECK(d->batch.clock_offset_ms == -600000);
  CHECK(d->batch.backlog == 12);

  b.clock_offset_ms.reset();
  b.backlog.reset();
  const auto text = encode_batch(b);
  CHECK(text.find("clock_offset_ms") == std::string::npos);
  auto d2 = decode_batch(text);
  REQUIRE(d2);
  CHECK_FALSE(d2->batch.clock_offset_ms.has_value());
  CHECK_FALSE(d2->batch.backlog.has_value());
}

TEST_CASE("sync wire: an empty batch and a scan without source are valid", "[sync-wire]") {
  auto empty = decode_batch(R"({"kiosk": "K1", "sent_at": "2026-04-24T12:00:00Z", "scans": []})");
  REQUIRE(empty);
  CHECK(empty->batch.scans.empty());
  auto scan = good_scan();
  scan.erase("source");
  auto d = decode_batch(batch_with(scan).dump());
  REQUIRE(d);
  REQUIRE(d->batch.scans.size() == 1);
  CHECK(d->batch.scans[0].source.empty());
}

TEST_CASE("sync wire: a scan with an id but a bad field is rejected with the field named, the others kept",
          "[sync-wire]") {
  struct row {
    const char* field;
    json value;  // null: the field is removed
    const char* message;
  };
  const row rows[] = {
      {"badge", nullptr, "scans[1].badge: missing"},
      {"badge", 42, "scans[1].badge: must be a string, not a number"},
      {"badge", "", "scans[1].badge: must not be empty"},
      {"room", nullptr, "scans[1].room: missing"},
      {"room", json::array(), "scans[1].room: must be a string, not an array"},
      {"room", "", "scans[1].room: must not be empty"},
      {"door", nullptr, "scans[1].door: missing"},
      {"door", true, "scans[1].door: must be a string, not a boolean"},
      {"door", "", "scans[1].door: must not be empty"},
      {"source", 7, "scans[1].source: must be a string, not a number"},
      {"seq", nullptr, "scans[1].seq: missing"},
      {"seq", "1", "scans[1].seq: must be an integer, not a string"},
      {"seq", 1.5, "scans[1].seq: must be an integer, not a number"},
      {"direction", nullptr, "scans[1].direction: missing"},
      {"direction", "up", "scans[1].direction: \"up\" is not in, out or auto"},
      {"direction", json::object(), "scans[1].direction: must be a string, not an object"},
      {"at", nullptr, "scans[1].at: missing"},
      {"at", "yesterday", "scans[1].at: \"yesterday\" is not an ISO-8601 time with an offset"},
      {"at", "2026-04-24T11:55:00", "scans[1].at: \"2026-04-24T11:55:00\" is not an ISO-8601 time with an offset"},
      {"at", 1777031700000, "scans[1].at: must be a string, not a number"},
      // Bounds (shared/bounds.h)
      {"seq", 0, "scans[1].seq: 0 is not from 1 to 1000000000000"},
      {"seq", -3, "scans[1].seq: -3 is not from 1 to 1000000000000"},
      {"seq", 18446744073709551615ULL, "scans[1].seq: 18446744073709551615 is not from 1 to 1000000000000"},
      {"badge", std::string(257, '1'), "scans[1].badge: 257 characters, more than the 256 allowed; shorten it"},
      {"room", std::string(65, 'A'), "scans[1].room: 65 characters, more than the 64 allowed; shorten it"},
      {"door", std::string(65, 'n'), "scans[1].door: 65 characters, more than the 64 allowed; shorten it"},
      {"source", std::string(33, 's'), "scans[1].source: 33 characters, more than the 32 allowed; shorten it"},
      {"at", "1969-12-31T23:59:59Z", "scans[1].at: \"1969-12-31T23:59:59Z\" is not between 1970 and 2200"},
      {"at", "2200-01-01T00:00:00Z", "scans[1].at: \"2200-01-01T00:00:00Z\" is not between 1970 and 2200"},
  };
  for (const auto& r : rows) {
    auto bad = good_scan();
    bad["id"] = "bad";
    if (r.value.is_null()) bad.erase(r.field);
    else bad[r.field] = r.value;
    auto body = batch_with(good_scan());
    body["scans"].push_back(bad);
    INFO(r.message);
    auto d = decode_batch(body.dump());
    REQUIRE(d);
    REQUIRE(d->batch.scans.size() == 1);
    CHECK(d->batch.scans[0].id == "s-1");
    REQUIRE(d->rejected.size() == 1);
    CHECK(d->rejected[0].id == "bad");
    CHECK(d->rejected[0].reason == r.message);
    CHECK(json::parse(d->rejected[0].raw) == bad);
  }
}

TEST_CASE("sync wire: a body that is not a batch is bad input with the field named", "[sync-wire]") {
  struct row {
    std::string body;
    const char* message;
  };
  const auto with = [](const char* key, const json& value) {
    auto b = batch_with(good_scan());
    if (value.is_discarded()) b.erase(key);
    else b[key] = value;
    return b.dump();
  };
  const json removed = json(json::value_t::discarded);
  const row rows[] = {
      {"{\"kiosk\": ", "the body is not JSON"},
      {"", "the body is not JSON"},
      {"[1, 2]", "the body must be a JSON object, not an array"},
      {with("kiosk", removed), "kiosk: missing, or not a non-empty string"},
      {with("kiosk", ""), "kiosk: missing, or not a non-empty string"},
      {with("kiosk", 5), "kiosk: missing, or not a non-empty string"},
      {with("sent_at", removed), "sent_at: missing, or not a string"},
      {with("sent_at", "noon"), "sent_at: \"noon\" is not an ISO-8601 time with an offset"},
      {with("clock_offset_ms", "5"), "clock_offset_ms: must be an integer, not a string"},
      {with("clock_offset_ms", 1.5), "clock_offset_ms: must be an integer, not a number"},
      {with("backlog", json::array()), "backlog: must be an integer, not an array"},
      {with("scans", removed), "scans: missing, or not an array"},
      {with("scans", json::object()), "scans: missing, or not an array"},
      {with("scans", json::array({good_scan(), 3})), "scans[1]: must be an object, not a number"},
      {with("scans", json::array({json{{"seq", 1}}})), "scans[0].id: missing, or not a non-empty string"},
      {with("scans", json::array({json{{"id", ""}}})), "scans[0].id: missing, or not a non-empty string"},
      {with("scans", json::array({json{{"id", 9}}})), "scans[0].id: missing, or not a non-empty string"},
      // Bounds (shared/bounds.h)
      {with("clock_offset_ms", 9223372036854775807LL),
       "clock_offset_ms: 9223372036854775807 is not from -86400000 to 86400000"},
      {with("clock_offset_ms", 18446744073709551615ULL),
       "clock_offset_ms: 18446744073709551615 is not from -86400000 to 86400000"},
      {with("clock_offset_ms", -86400001), "clock_offset_ms: -86400001 is not from -86400000 to 86400000"},
      {with("backlog", -1), "backlog: -1 is not from 0 to 100000000"},
      {with("kiosk", std::string(65, 'k')), "kiosk: 65 characters, more than the 64 allowed; shorten it"},
      {with("scans", json::array({json{{"id", std::string(129, 'i')}}})),
       "scans[0].id: 129 characters, more than the 128 allowed; shorten it"},
  };
  for (const auto& r : rows) {
    INFO(r.body);
    auto d = decode_batch(r.body);
    REQUIRE_FALSE(d);
    CHECK(d.error().kind == error_kind::bad_input);
    CHECK(d.error().message == r.message);
  }
  // null optional numbers are the same as absent ones.
  auto nulls = decode_batch(with("backlog", nullptr));
  REQUIRE(nulls);
  CHECK_FALSE(nulls->batch.backlog.has_value());
}

TEST_CASE("sync wire: an acknowledgement survives encode and decode -- a bad one names the field", "[sync-wire]") {
  batch_ack a{{"s-1", "s-2"}, *parse_iso8601("2026-04-24T12:00:01.250Z")};
  auto d = decode_ack(encode_ack(a));
  REQUIRE(d);
  CHECK(d->acked == a.acked);
  CHECK(d->server_time == a.server_time);
  CHECK(json::parse(encode_ack(a)) == json::parse(R"({"acked":["s-1","s-2"],"server_time":"2026-04-24T12:00:01.250Z"})"));

  const std::pair<const char*, const char*> rows[] = {
      {"nope", "the answer is not a JSON object"},
      {"[]", "the answer is not a JSON object"},
      {R"({"server_time": "2026-04-24T12:00:00Z"})", "acked: missing, or not an array"},
      {R"({"acked": []})", "server_time: missing, or not a string"},
      {R"({"acked": [1], "server_time": "2026-04-24T12:00:00Z"})", "acked: holds something other than a string"},
      {R"({"acked": [], "server_time": "later"})", "server_time: not an ISO-8601 time with an offset"},
  };
  for (const auto& [body, message] : rows) {
    INFO(body);
    auto r = decode_ack(body);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == message);
  }
}
