#include "tests/support/fault_proxy/fault_plan.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace cmetrack::fault_proxy {

namespace {

std::uint64_t draw(std::mt19937_64& rng, amount_range range) {
  return std::uniform_int_distribution<std::uint64_t>(range.low, range.high)(rng);
}

std::uint64_t draw_amount(fault_kind kind, const fault_amounts& amounts, std::mt19937_64& rng) {
  switch (kind) {
    case fault_kind::delay: return draw(rng, amounts.delay_ms);
    case fault_kind::cut_request: return draw(rng, amounts.cut_request_bytes);
    case fault_kind::cut_response: return draw(rng, amounts.cut_response_bytes);
    case fault_kind::reset: return draw(rng, amounts.reset_bytes);
    case fault_kind::blackhole: return amounts.blackhole_ms;
    case fault_kind::pass:
    case fault_kind::drop: return 0;
  }
  return 0;
}

bool takes_amount(fault_kind kind) { return kind != fault_kind::pass && kind != fault_kind::drop; }

result<scheduled_fault> parse_entry(std::string_view entry) {
  const auto colon = entry.find(':');
  if (colon == std::string_view::npos)
    return bad_input(fmt::format("--schedule: entry \"{}\" has no ':'; write INDEX:KIND, e.g. 3:drop", entry));
  scheduled_fault result;
  auto range = parse_amount_range(entry.substr(0, colon), fmt::format("--schedule entry \"{}\"", entry));
  if (!range) return std::unexpected(range.error());
  result.first = range->low;
  result.last = range->high;
  std::string_view what = entry.substr(colon + 1);
  const auto equals = what.find('=');
  auto kind = parse_fault_kind(what.substr(0, equals));
  if (!kind) return bad_input(fmt::format("--schedule entry \"{}\": {}", entry, kind.error().message));
  result.what.kind = *kind;
  if (equals != std::string_view::npos) {
    if (!takes_amount(*kind))
      return bad_input(fmt::format("--schedule entry \"{}\": {} takes no amount", entry, name(*kind)));
    auto amount = parse_count(what.substr(equals + 1), fmt::format("--schedule entry \"{}\"", entry));
    if (!amount) return std::unexpected(amount.error());
    result.what.amount = *amount;
    result.has_amount = true;
  }
  return result;
}

}  // namespace

fault choose_fault(const fault_plan& plan, std::uint64_t index) {
  // One generator per connection: (seed, index) alone decide its fault.
  std::seed_seq seeds{static_cast<std::uint32_t>(plan.seed), static_cast<std::uint32_t>(plan.seed >> 32),
                      static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32)};
  std::mt19937_64 rng(seeds);
  for (const scheduled_fault& entry : plan.schedule) {
    if (index < entry.first || index > entry.last) continue;
    fault chosen = entry.what;
    if (!entry.has_amount) chosen.amount = draw_amount(chosen.kind, plan.amounts, rng);
    return chosen;
  }
  if (plan.rate <= 0.0 || plan.kinds.empty()) return {};
  if (std::uniform_real_distribution<double>(0.0, 1.0)(rng) >= plan.rate) return {};
  const auto pick = std::uniform_int_distribution<std::size_t>(0, plan.kinds.size() - 1)(rng);
  fault chosen{plan.kinds[pick], 0};
  chosen.amount = draw_amount(chosen.kind, plan.amounts, rng);
  return chosen;
}

result<std::vector<scheduled_fault>> parse_schedule(std::string_view text) {
  std::vector<scheduled_fault> entries;
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '#') {
      const auto eol = text.find('\n', at);
      at = eol == std::string_view::npos ? text.size() : eol + 1;
      continue;
    }
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++at;
      continue;
    }
    const auto end = text.find_first_of(", \t\r\n#", at);
    const std::string_view entry = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    auto parsed = parse_entry(entry);
    if (!parsed) return std::unexpected(parsed.error());
    entries.push_back(*parsed);
    at = end == std::string_view::npos ? text.size() : end;
  }
  if (entries.empty()) return bad_input("--schedule: no entries; write e.g. \"0:pass,1:drop,2:cut_response\"");
  return entries;
}

result<std::vector<scheduled_fault>> load_schedule(const std::string& argument) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(argument, ec)) return parse_schedule(argument);
  std::ifstream in(argument);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return failure(fmt::format("--schedule: cannot read {}", argument));
  auto entries = parse_schedule(text.str());
  if (!entries) return bad_input(fmt::format("{}: {}", argument, entries.error().message));
  return entries;
}

}  // namespace cmetrack::fault_proxy
