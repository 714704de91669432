#pragma once
// The kiosk commands of cmetrack-central: enroll (a token bound to kiosk,
// room, door and mode, written with the central URL and CA certificate to
// kiosk.json), revoke (a lost kiosk's token stops working) and kiosks (what
// each kiosk's agent last reported, clock offset included).
#include <optional>
#include <string>
#include <vector>

#include "shared/error.h"

namespace cmetrack::central {

// Where enroll points a kiosk when neither --central-url nor a URL recorded
// by serve is at hand.
inline constexpr const char* default_central_url = "https://127.0.0.1:8443";

struct enroll_options {
  std::string data;
  std::string kiosk;
  std::string room;
  std::string door;
  std::string mode = "auto";
  std::string out;
  // --central-url, in order; none: serve's last URL, else default_central_url.
  // The first is kiosk.json's central_url; two or more are its central_urls too.
  std::vector<std::string> central_urls;
  std::optional<std::string> ca_cert;      // PEM file, copied into kiosk.json
};

struct revoke_options {
  std::string data;
  std::string kiosk;
};

struct kiosks_options {
  std::string data;
};

result<std::string> run_enroll(const enroll_options& o);
result<std::string> run_revoke(const revoke_options& o);
result<std::string> run_kiosks_json(const kiosks_options& o);

}  // namespace cmetrack::central
