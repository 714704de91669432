#pragma once
// kiosk.json's central_url, taken apart: scheme, host, port and the path the
// API lives under. https is the rule; plain http only to a loopback host
// (docs/formats.md, "kiosk.json": plain http:// only to a loopback host).
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/error.h"

namespace cmetrack::agent {

struct central_url {
  bool tls = true;           // https
  std::string host;          // "central.local", "10.0.0.5", "::1" (no brackets)
  std::uint16_t port = 443;  // 443 for https, 80 for http where none is given
  std::string path;          // the prefix before /api/v1/..., without a trailing slash ("" or "/cme")
  std::string text;          // as written in kiosk.json, for messages

  bool host_is_ip() const;
  // "host:port", with brackets around an IPv6 address: the Host header.
  std::string host_header() const;
  // The request target of an API path: path + "/api/v1/scans".
  std::string target(std::string_view api_path) const { return path + std::string(api_path); }
};

// Bad input naming the file and the field where the text is not an http(s)
// URL, or is plain http to a host other than loopback. `field` is as the
// message writes it: "\"central_url\"", or "\"central_urls\"[1]" for an entry
// of the list.
result<central_url> parse_central_url(std::string_view text, std::string_view file = "kiosk.json",
                                      std::string_view field = "\"central_url\"");

// 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

}  // namespace cmetrack::agent
