#include "kiosk/core/kiosk_config.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cmetrack::kiosk {
namespace {

using json = nlohmann::json;

// A required, non-empty string field.
result<std::string> required_text(const json& doc, std::string_view file, const char* field) {
  const auto it = doc.find(field);
  if (it == doc.end()) return bad_input(fmt::format("{}: field \"{}\" is missing", file, field));
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    return bad_input(fmt::format("{}: field \"{}\" must be a non-empty string", file, field));
  return it->get<std::string>();
}

// An optional string field: absent or null is nothing; anything but a
// string is an error.
result<std::optional<std::string>> optional_text(const json& doc, std::string_view file, const char* field) {
  const auto it = doc.find(field);
  if (it == doc.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return bad_input(fmt::format("{}: field \"{}\" must be a string", file, field));
  return std::optional<std::string>(it->get<std::string>());
}

}  // namespace

result<kiosk_config> parse_kiosk_config(std::string_view json_text, std::string_view file) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    return bad_input(fmt::format("{}: not valid JSON at byte {}: {}", file, e.byte, e.what()));
  }
  if (!doc.is_object()) return bad_input(fmt::format("{}: must hold a JSON object", file));

  kiosk_config c;
  auto kiosk = required_text(doc, file, "kiosk");
  if (!kiosk) return std::unexpected(kiosk.error());
  c.kiosk = std::move(*kiosk);
  auto room = required_text(doc, file, "room");
  if (!room) return std::unexpected(room.error());
  c.room = std::move(*room);
  auto door = required_text(doc, file, "door");
  if (!door) return std::unexpected(door.error());
  c.door = std::move(*door);

  auto mode = optional_text(doc, file, "mode");
  if (!mode) return std::unexpected(mode.error());
  if (*mode) {
    if (**mode == "entry") c.mode = kiosk_mode::entry;
    else if (**mode == "exit") c.mode = kiosk_mode::exit;
    else if (**mode == "auto") c.mode = kiosk_mode::automatic;
    else
      return bad_input(fmt::format("{}: field \"mode\" must be \"entry\", \"exit\" or \"auto\", not \"{}\"", file, **mode));
  }

  auto url = optional_text(doc, file, "central_url");
  if (!url) return std::unexpected(url.error());
  c.central_url = std::move(*url);
  auto token = optional_text(doc, file, "token");
  if (!token) return std::unexpected(token.error());
  c.token = std::move(*token);
  auto ca = optional_text(doc, file, "ca_cert");
  if (!ca) return std::unexpected(ca.error());
  c.ca_cert = std::move(*ca);
  return c;
}

result<kiosk_config> read_kiosk_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad_input(fmt::format("{}: cannot read the kiosk configuration", path));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_kiosk_config(text.str(), path);
}

}  // namespace cmetrack::kiosk
