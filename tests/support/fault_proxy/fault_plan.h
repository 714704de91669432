#pragma once
// Which fault each connection gets, by its index in accept order (0, 1, ...):
// a schedule ("0:pass,1:drop,2-4:cut_response=900") names some indices; the
// others get a random fault with probability `rate`, drawn from a generator
// seeded with (seed, index), so a connection's fault depends only on the seed
// and its index, never on timing or on the other connections.
#include <cstdint>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "tests/support/fault_proxy/fault.h"

namespace cmetrack::fault_proxy {

// Where amounts come from when the schedule does not give one.
struct fault_amounts {
  amount_range delay_ms{200, 200};
  amount_range cut_request_bytes{1, 65536};
  amount_range cut_response_bytes{1, 8192};
  amount_range reset_bytes{0, 16384};  // bytes forwarded either way before the RST; 0: at accept
  std::uint64_t blackhole_ms = 30000;  // how long a blackholed connection is held before it is closed
};

// Connections first..last (inclusive) get `what`; has_amount says whether
// the schedule gave the amount ("cut_response=900") or it is drawn.
struct scheduled_fault {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  fault what;
  bool has_amount = false;
};

struct fault_plan {
  std::uint64_t seed = 1;
  double rate = 0.0;  // 0..1: the chance that an unscheduled connection gets a fault
  std::vector<fault_kind> kinds{std::begin(all_faults), std::end(all_faults)};
  std::vector<scheduled_fault> schedule;
  fault_amounts amounts;
};

fault choose_fault(const fault_plan& plan, std::uint64_t index);

// Entries separated by commas, spaces or new lines; "#" starts a comment to
// the end of the line. Entry: INDEX[-INDEX]:KIND[=AMOUNT].
result<std::vector<scheduled_fault>> parse_schedule(std::string_view text);

// `argument` names a schedule file when such a file exists, otherwise it is
// the schedule itself.
result<std::vector<scheduled_fault>> load_schedule(const std::string& argument);

}  // namespace cmetrack::fault_proxy
