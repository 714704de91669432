#include "kiosk/store/kiosk_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "shared/bounds.h"

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

// An optional array of 1 to bounds::central_urls strings: absent or null is
// none. Only the shape is checked here: the URLs are the sync agent's.
result<std::vector<std::string>> optional_url_list(const json& doc, std::string_view file, const char* field) {
  const auto it = doc.find(field);
  if (it == doc.end() || it->is_null()) return std::vector<std::string>{};
  if (!it->is_array() || it->empty() || it->size() > bounds::central_urls)
    return bad_input(fmt::format("{}: field \"{}\" must be an array of 1 to {} URLs (strings)", file, field,
                                 bounds::central_urls));
  std::vector<std::string> urls;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& url = (*it)[i];
    if (!url.is_string()) return bad_input(fmt::format("{}: field \"{}\"[{}] must be a string", file, field, i));
    urls.push_back(url.get<std::string>());
  }
  return urls;
}

}  // namespace

result<kiosk_config> parse_kiosk_config(std::string_view json_text, std::string_view file) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    return bad_input(fmt::format("{}: not valid JSON at byte {}: {}", file, e.byte, e.what()));
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    return bad_input(fmt::format("{}: not valid JSON: {}", file, e.what()));
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
  auto urls = optional_url_list(doc, file, "central_urls");
  if (!urls) return std::unexpected(urls.error());
  c.central_urls = std::move(*urls);
  auto token = optional_text(doc, file, "token");
  if (!token) return std::unexpected(token.error());
  c.token = std::move(*token);
  auto ca = optional_text(doc, file, "ca_cert");
  if (!ca) return std::unexpected(ca.error());
  c.ca_cert = std::move(*ca);

  auto pin = optional_text(doc, file, "staff_pin");
  if (!pin) return std::unexpected(pin.error());
  if (*pin) {
    const std::string& p = **pin;
    const bool digits = std::all_of(p.begin(), p.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits || p.size() < 4 || p.size() > 8)
      return bad_input(fmt::format("{}: field \"staff_pin\" must be 4 to 8 digits (the staff types it on the "
                                   "kiosk's keypad); remove it to disable staff mode", file));
  }
  c.staff_pin = std::move(*pin);
  return c;
}

result<kiosk_config> read_kiosk_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad_input(fmt::format("{}: cannot read the kiosk configuration", path));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_kiosk_config(text.str(), path);
}

bool staff_pin_matches(const kiosk_config& config, std::string_view entered) {
  if (!config.staff_pin) return false;
  const std::string& pin = *config.staff_pin;
  unsigned diff = pin.size() == entered.size() ? 0u : 1u;
  for (std::size_t i = 0; i < pin.size(); ++i) {
    const char e = i < entered.size() ? entered[i] : '\0';
    diff |= static_cast<unsigned>(static_cast<unsigned char>(pin[i]) ^ static_cast<unsigned char>(e));
  }
  return diff == 0;
}

}  // namespace cmetrack::kiosk
