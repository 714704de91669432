// The fault plan as plain functions: the seeded random choice, the schedule,
// the amounts, and the addresses the proxy accepts.
#include <catch2/catch.hpp>

#include <set>

#include "tests/support/fault_proxy/endpoint.h"
#include "tests/support/fault_proxy/fault_plan.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack::fault_proxy;

namespace {

std::vector<fault> sequence(const fault_plan& plan, std::uint64_t count) {
  std::vector<fault> faults;
  for (std::uint64_t i = 0; i < count; ++i) faults.push_back(choose_fault(plan, i));
  return faults;
}

}  // namespace

TEST_CASE("the same seed gives the same faults, every kind appears, another seed differs") {
  fault_plan plan;
  plan.seed = 42;
  plan.rate = 0.7;
  const auto first = sequence(plan, 200);
  CHECK(first == sequence(plan, 200));
  std::set<fault_kind> seen;
  std::size_t passing = 0;
  for (const fault& f : first) {
    seen.insert(f.kind);
    if (f.kind == fault_kind::pass) ++passing;
  }
  CHECK(seen.size() == 7);  // the six faults and pass
  CHECK(passing > 30);      // about 60 of 200
  CHECK(passing < 100);
  plan.seed = 43;
  CHECK(first != sequence(plan, 200));
}

TEST_CASE("a connection's fault depends only on the seed and its index") {
  fault_plan plan;
  plan.seed = 7;
  plan.rate = 1.0;
  const auto faults = sequence(plan, 50);
  for (std::uint64_t i = 50; i-- > 0;) CHECK(choose_fault(plan, i) == faults[i]);
}

TEST_CASE("amounts are drawn within their ranges") {
  fault_plan plan;
  plan.rate = 1.0;
  plan.amounts.delay_ms = {10, 20};
  plan.amounts.cut_request_bytes = {100, 200};
  plan.amounts.cut_response_bytes = {300, 400};
  plan.amounts.reset_bytes = {0, 5};
  plan.amounts.blackhole_ms = 777;
  for (const fault& f : sequence(plan, 300)) {
    switch (f.kind) {
      case fault_kind::delay: CHECK((f.amount >= 10 && f.amount <= 20)); break;
      case fault_kind::cut_request: CHECK((f.amount >= 100 && f.amount <= 200)); break;
      case fault_kind::cut_response: CHECK((f.amount >= 300 && f.amount <= 400)); break;
      case fault_kind::reset: CHECK(f.amount <= 5); break;
      case fault_kind::blackhole: CHECK(f.amount == 777); break;
      case fault_kind::drop: CHECK(f.amount == 0); break;
      case fault_kind::pass: FAIL("rate 1 gave a pass"); break;
    }
  }
}

TEST_CASE("rate 0 passes everything, --faults limits the kinds") {
  fault_plan plan;
  for (const fault& f : sequence(plan, 100)) CHECK(f.kind == fault_kind::pass);
  plan.rate = 1.0;
  plan.kinds = *parse_fault_list("drop,reset");
  for (const fault& f : sequence(plan, 100)) CHECK((f.kind == fault_kind::drop || f.kind == fault_kind::reset));
}

TEST_CASE("a schedule names connections by index, the rest follow the rate") {
  const auto schedule = parse_schedule("0:pass, 1:drop\n# a comment: 9:reset\n2-4:cut_response=900 5:delay");
  REQUIRE(schedule);
  fault_plan plan;
  plan.schedule = *schedule;
  plan.amounts.delay_ms = {250, 250};
  CHECK(choose_fault(plan, 0) == fault{fault_kind::pass, 0});
  CHECK(choose_fault(plan, 1) == fault{fault_kind::drop, 0});
  for (std::uint64_t i = 2; i <= 4; ++i) CHECK(choose_fault(plan, i) == fault{fault_kind::cut_response, 900});
  CHECK(choose_fault(plan, 5) == fault{fault_kind::delay, 250});
  CHECK(choose_fault(plan, 6).kind == fault_kind::pass);
  CHECK(choose_fault(plan, 9).kind == fault_kind::pass);  // commented out
}

TEST_CASE("schedule: --schedule may name a file, one entry a line, with comments") {
  cmetrack::test::temp_dir dir;
  const std::string file = dir / "faults.txt";
  cmetrack::test::write_file(file, "# phase 1: the network is fine\n0-9:pass\n# phase 2\n10:reset=0\n11:cut_request=512\n");
  const auto schedule = load_schedule(file);
  REQUIRE(schedule);
  fault_plan plan;
  plan.rate = 1.0;
  plan.schedule = *schedule;
  CHECK(choose_fault(plan, 9).kind == fault_kind::pass);
  CHECK(choose_fault(plan, 10) == fault{fault_kind::reset, 0});
  CHECK(choose_fault(plan, 11) == fault{fault_kind::cut_request, 512});
  CHECK(choose_fault(plan, 12).kind != fault_kind::pass);  // rate 1 beyond the schedule
  cmetrack::test::write_file(file, "0:pass\n1:explode\n");
  const auto wrong = load_schedule(file);
  REQUIRE_FALSE(wrong);
  CHECK_THAT(wrong.error().message, Catch::Contains(file) && Catch::Contains("\"1:explode\""));
}

TEST_CASE("a wrong schedule or fault list is refused, naming the entry") {
  const auto unknown = parse_schedule("0:pass,1:flood");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().kind == cmetrack::error_kind::bad_input);
  CHECK_THAT(unknown.error().message, Catch::Contains("\"1:flood\"") && Catch::Contains("unknown fault"));
  const auto no_colon = parse_schedule("0:pass,drop");
  REQUIRE_FALSE(no_colon);
  CHECK_THAT(no_colon.error().message, Catch::Contains("\"drop\""));
  const auto amount = parse_schedule("3:drop=5");
  REQUIRE_FALSE(amount);
  CHECK_THAT(amount.error().message, Catch::Contains("takes no amount"));
  CHECK_FALSE(parse_schedule("4-2:drop"));
  CHECK_FALSE(parse_schedule(" , "));
  CHECK_FALSE(parse_fault_list("drop,drop"));
  CHECK_FALSE(parse_fault_list("pass"));
  CHECK_FALSE(parse_amount_range("10-x", "--delay-ms"));
}

TEST_CASE("only loopback addresses are accepted") {
  const auto v4 = parse_loopback_endpoint("127.0.0.1:8443", "--upstream", false);
  REQUIRE(v4);
  CHECK(to_string(*v4) == "127.0.0.1:8443");
  CHECK(parse_loopback_endpoint("127.1.2.3:1", "--upstream", false));
  CHECK(to_string(*parse_loopback_endpoint("localhost:0", "--listen", true)) == "127.0.0.1:0");
  CHECK(to_string(*parse_loopback_endpoint("[::1]:9", "--listen", true)) == "[::1]:9");
  const auto lan = parse_loopback_endpoint("192.168.1.10:8443", "--upstream", false);
  REQUIRE_FALSE(lan);
  CHECK_THAT(lan.error().message, Catch::Contains("--upstream") && Catch::Contains("not a loopback address"));
  CHECK_FALSE(parse_loopback_endpoint("0.0.0.0:80", "--listen", true));
  CHECK_FALSE(parse_loopback_endpoint("example.org:80", "--upstream", false));
  CHECK_FALSE(parse_loopback_endpoint("127.0.0.1:0", "--upstream", false));
  CHECK_FALSE(parse_loopback_endpoint("127.0.0.1:70000", "--upstream", false));
  CHECK_FALSE(parse_loopback_endpoint("127.0.0.1", "--upstream", false));
}
