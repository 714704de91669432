#include "shared/sync_wire.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "shared/bounds.h"

namespace cmetrack {
namespace {

using json = nlohmann::json;

// The scan's field `name` as a string, or why not.
const json* field(const json& obj, std::string_view name) {
  const auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    default: return "a number";
  }
}

// Whether the JSON integer `v` is from `min` to `max` (JSON keeps
// non-negative integers unsigned, which may be past any int64).
bool within(const json& v, std::int64_t min, std::int64_t max) {
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) return false;
  const auto n = v.get<std::int64_t>();
  return n >= min && n <= max;
}

// Empty string where `s` is valid; otherwise the reason, naming the field.
std::string read_scan(const json& s, std::string_view where, wire_scan& out) {
  const auto text = [&](std::string_view name, std::string& into, bool required) -> std::string {
    const json* v = field(s, name);
    if (!v || v->is_null()) return required ? fmt::format("{}.{}: missing", where, name) : std::string();
    if (!v->is_string()) return fmt::format("{}.{}: must be a string, not {}", where, name, describe(*v));
    into = v->get<std::string>();
    if (required && into.empty()) return fmt::format("{}.{}: must not be empty", where, name);
    return {};
  };
  for (auto [name, into, required, max] :
       {std::tuple{"badge", &out.badge, true, bounds::payload}, std::tuple{"room", &out.room, true, bounds::id},
        std::tuple{"door", &out.door, true, bounds::id}, std::tuple{"source", &out.source, false, bounds::source}}) {
    if (auto e = text(name, *into, required); !e.empty()) return e;
    if (auto e = bounds::check_text(fmt::format("{}.{}", where, name), *into, max)) return *e;
  }

  const json* seq = field(s, "seq");
  if (!seq) return fmt::format("{}.seq: missing", where);
  if (!seq->is_number_integer()) return fmt::format("{}.seq: must be an integer, not {}", where, describe(*seq));
  if (!within(*seq, 1, bounds::seq)) return fmt::format("{}.seq: {} is not from 1 to {}", where, seq->dump(), bounds::seq);
  out.seq = seq->get<std::int64_t>();

  std::string dir;
  if (auto e = text("direction", dir, true); !e.empty()) return e;
  const auto d = parse_direction(dir);
  if (!d) return fmt::format("{}.direction: \"{}\" is not in, out or auto", where, dir);
  out.dir = *d;

  std::string at;
  if (auto e = text("at", at, true); !e.empty()) return e;
  if (auto e = bounds::check_text(fmt::format("{}.at", where), at, bounds::title)) return *e;
  const auto t = parse_iso8601(at);
  if (!t) return fmt::format("{}.at: \"{}\" is not an ISO-8601 time with an offset", where, at);
  if (*t < bounds::earliest || *t >= bounds::latest)
    return fmt::format("{}.at: \"{}\" is not between 1970 and 2200", where, at);
  out.at = *t;
  return {};
}

// An optional whole number from `min` to `max`; 400 naming the field and the bounds otherwise.
result<std::optional<std::int64_t>> optional_integer(const json& doc, std::string_view name, std::int64_t min,
                                                     std::int64_t max) {
  const json* v = field(doc, name);
  if (!v || v->is_null()) return std::optional<std::int64_t>();
  if (!v->is_number_integer()) return bad_input(fmt::format("{}: must be an integer, not {}", name, describe(*v)));
  if (!within(*v, min, max)) return bad_input(fmt::format("{}: {} is not from {} to {}", name, v->dump(), min, max));
  return std::optional<std::int64_t>(v->get<std::int64_t>());
}

}  // namespace

std::string encode_batch(const scan_batch& batch) {
  json scans = json::array();
  for (const auto& s : batch.scans)
    scans.push_back({{"id", s.id}, {"seq", s.seq}, {"badge", s.badge}, {"room", s.room}, {"door", s.door},
                     {"direction", to_string(s.dir)}, {"at", format_iso8601_utc(s.at)}, {"source", s.source}});
  json doc = {{"kiosk", batch.kiosk}, {"sent_at", format_iso8601_utc(batch.sent_at)}, {"scans", std::move(scans)}};
  if (batch.clock_offset_ms) doc["clock_offset_ms"] = *batch.clock_offset_ms;
  if (batch.backlog) doc["backlog"] = *batch.backlog;
  return doc.dump();
}

result<decoded_batch> decode_batch(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return bad_input("the body is not JSON");
  if (!doc.is_object()) return bad_input(fmt::format("the body must be a JSON object, not {}", describe(doc)));

  decoded_batch out;
  const json* kiosk = field(doc, "kiosk");
  if (!kiosk || !kiosk->is_string() || kiosk->get_ref<const std::string&>().empty())
    return bad_input("kiosk: missing, or not a non-empty string");
  if (auto e = bounds::check_text("kiosk", kiosk->get_ref<const std::string&>(), bounds::id)) return bad_input(*e);
  out.batch.kiosk = kiosk->get<std::string>();

  const json* sent_at = field(doc, "sent_at");
  if (!sent_at || !sent_at->is_string()) return bad_input("sent_at: missing, or not a string");
  const auto sent = parse_iso8601(sent_at->get_ref<const std::string&>());
  if (!sent) return bad_input(fmt::format("sent_at: \"{}\" is not an ISO-8601 time with an offset",
                                          sent_at->get_ref<const std::string&>()));
  out.batch.sent_at = *sent;

  auto offset = optional_integer(doc, "clock_offset_ms", -bounds::clock_offset, bounds::clock_offset);
  if (!offset) return std::unexpected(offset.error());
  out.batch.clock_offset_ms = *offset;
  auto backlog = optional_integer(doc, "backlog", 0, bounds::backlog);
  if (!backlog) return std::unexpected(backlog.error());
  out.batch.backlog = *backlog;

  const json* scans = field(doc, "scans");
  if (!scans || !scans->is_array()) return bad_input("scans: missing, or not an array");
  out.batch.scans.reserve(scans->size());
  std::size_t i = 0;
  for (const json& s : *scans) {
    const std::string where = fmt::format("scans[{}]", i++);
    if (!s.is_object()) return bad_input(fmt::format("{}: must be an object, not {}", where, describe(s)));
    const json* id = field(s, "id");
    if (!id || !id->is_string() || id->get_ref<const std::string&>().empty())
      return bad_input(fmt::format("{}.id: missing, or not a non-empty string", where));
    if (auto e = bounds::check_text(where + ".id", id->get_ref<const std::string&>(), bounds::scan_id))
      return bad_input(*e);
    wire_scan w;
    w.id = id->get<std::string>();
    if (auto reason = read_scan(s, where, w); !reason.empty())
      out.rejected.push_back({std::move(w.id), std::move(reason), s.dump()});
    else
      out.batch.scans.push_back(std::move(w));
  }
  return out;
}

std::string encode_ack(const batch_ack& ack) {
  return json{{"acked", ack.acked}, {"server_time", format_iso8601_utc(ack.server_time)}}.dump();
}

result<batch_ack> decode_ack(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return bad_input("the answer is not a JSON object");
  const json* acked = field(doc, "acked");
  const json* server_time = field(doc, "server_time");
  if (!acked || !acked->is_array()) return bad_input("acked: missing, or not an array");
  if (!server_time || !server_time->is_string()) return bad_input("server_time: missing, or not a string");
  batch_ack out;
  for (const json& id : *acked) {
    if (!id.is_string()) return bad_input("acked: holds something other than a string");
    out.acked.push_back(id.get<std::string>());
  }
  const auto t = parse_iso8601(server_time->get_ref<const std::string&>());
  if (!t) return bad_input("server_time: not an ISO-8601 time with an offset");
  out.server_time = *t;
  return out;
}

}  // namespace cmetrack
