#include "tests/support/fault_proxy/fault.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace cmetrack::fault_proxy {

std::string_view name(fault_kind kind) {
  switch (kind) {
    case fault_kind::pass: return "pass";
    case fault_kind::delay: return "delay";
    case fault_kind::drop: return "drop";
    case fault_kind::cut_request: return "cut_request";
    case fault_kind::cut_response: return "cut_response";
    case fault_kind::blackhole: return "blackhole";
    case fault_kind::reset: return "reset";
  }
  return "?";
}

std::string_view name(delay_direction direction) {
  switch (direction) {
    case delay_direction::both: return "both";
    case delay_direction::request: return "request";
    case delay_direction::response: return "response";
  }
  return "?";
}

result<fault_kind> parse_fault_kind(std::string_view text) {
  for (const fault_kind kind : {fault_kind::pass, fault_kind::delay, fault_kind::drop, fault_kind::cut_request,
                                fault_kind::cut_response, fault_kind::blackhole, fault_kind::reset})
    if (name(kind) == text) return kind;
  return bad_input(fmt::format("unknown fault \"{}\"; use pass, delay, drop, cut_request, cut_response, "
                               "blackhole or reset",
                               text));
}

result<std::vector<fault_kind>> parse_fault_list(std::string_view text) {
  std::vector<fault_kind> kinds;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view word = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (word.empty()) continue;
    auto kind = parse_fault_kind(word);
    if (!kind) return bad_input(fmt::format("--faults: {}", kind.error().message));
    if (*kind == fault_kind::pass) return bad_input("--faults: \"pass\" is not a fault; --fault-rate sets how many connections pass");
    if (std::ranges::find(kinds, *kind) != kinds.end())
      return bad_input(fmt::format("--faults: \"{}\" is named twice", word));
    kinds.push_back(*kind);
  }
  if (kinds.empty()) return bad_input("--faults: name at least one fault, e.g. --faults drop,reset");
  return kinds;
}

result<delay_direction> parse_delay_direction(std::string_view text) {
  for (const auto d : {delay_direction::both, delay_direction::request, delay_direction::response})
    if (name(d) == text) return d;
  return bad_input(fmt::format("--delay-direction: unknown direction \"{}\"; use both, request or response", text));
}

result<std::uint64_t> parse_count(std::string_view text, std::string_view what) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return bad_input(fmt::format("{}: \"{}\" is not a whole number", what, text));
  return value;
}

result<amount_range> parse_amount_range(std::string_view text, std::string_view what) {
  const auto dash = text.find('-');
  auto low = parse_count(text.substr(0, dash), what);
  if (!low) return std::unexpected(low.error());
  auto high = dash == std::string_view::npos ? low : parse_count(text.substr(dash + 1), what);
  if (!high) return std::unexpected(high.error());
  if (*high < *low) return bad_input(fmt::format("{}: \"{}\" runs backwards; write LOW-HIGH", what, text));
  return amount_range{*low, *high};
}

}  // namespace cmetrack::fault_proxy
