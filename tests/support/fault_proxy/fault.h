#pragma once
// The faults the fault proxy can put on one connection between a sync agent
// and the central node, their names on the command line and in the log, and
// the byte and millisecond ranges their amounts are drawn from.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"

namespace cmetrack::fault_proxy {

enum class fault_kind {
  pass,          // no fault: bytes go through as they come
  delay,         // wait before forwarding each chunk (one or both ways)
  drop,          // accept, then close at once (FIN) without connecting upstream
  cut_request,   // forward the first N bytes client->server, then close both sides
  cut_response,  // forward the request and the first N bytes server->client, then close both
  blackhole,     // accept and read, never forward or answer; close after a bound
  reset,         // RST both sides after N bytes either way (0: at accept)
};

inline constexpr fault_kind all_faults[] = {fault_kind::delay,        fault_kind::drop,      fault_kind::cut_request,
                                            fault_kind::cut_response, fault_kind::blackhole, fault_kind::reset};

// Which way a delay applies: request is client->server, response server->client.
enum class delay_direction { both, request, response };

// A fault as decided for one connection. `amount` is milliseconds for delay
// and blackhole (the hold bound), the byte count for cut_request,
// cut_response and reset, and unused for pass and drop.
struct fault {
  fault_kind kind = fault_kind::pass;
  std::uint64_t amount = 0;
  friend bool operator==(const fault&, const fault&) = default;
};

// An inclusive range, written "N" or "LO-HI" on the command line.
struct amount_range {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
};

std::string_view name(fault_kind kind);
std::string_view name(delay_direction direction);
result<fault_kind> parse_fault_kind(std::string_view text);
// "delay,drop,reset": at least one, no pass, no repeats.
result<std::vector<fault_kind>> parse_fault_list(std::string_view text);
result<delay_direction> parse_delay_direction(std::string_view text);
// `what` names the option in the message.
result<amount_range> parse_amount_range(std::string_view text, std::string_view what);
result<std::uint64_t> parse_count(std::string_view text, std::string_view what);

}  // namespace cmetrack::fault_proxy
