#include "sync/agent/central_url.h"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include <charconv>

namespace cmetrack::agent {
namespace {

struct url_fault {
  std::string_view file, field, text;
  std::unexpected<error> operator()(std::string_view why) const {
    return bad_input(fmt::format("{}: field {} (\"{}\") {}", file, field, text, why));
  }
};

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

bool central_url::host_is_ip() const {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

std::string central_url::host_header() const {
  const bool default_port = (tls && port == 443) || (!tls && port == 80);
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return default_port ? h : fmt::format("{}:{}", h, port);
}

result<central_url> parse_central_url(std::string_view text, std::string_view file, std::string_view field) {
  const url_fault bad_url{file, field, text};
  central_url url;
  url.text = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    url.tls = true;
    url.port = 443;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    url.tls = false;
    url.port = 80;
    rest.remove_prefix(7);
  } else {
    return bad_url("must start with https:// (or http:// to a loopback address)");
  }

  const auto slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (path.find_first_of("?#") != std::string_view::npos) return bad_url("must not hold a query or fragment");
  if (authority.find('@') != std::string_view::npos) return bad_url("must not hold a user name");

  std::string_view port_text;
  bool has_port = false;
  if (authority.starts_with("[")) {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad_url("has an IPv6 address without its closing ]");
    url.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(":")) return bad_url("has something other than :PORT after the IPv6 address");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
  }
  if (url.host.empty()) return bad_url("has no host");
  if (url.host.find_first_of(" \t:") != std::string::npos && !url.host_is_ip())
    return bad_url("has a host that is neither a name nor an IP address");
  if (has_port) {
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535)
      return bad_url("has a port that is not a number from 1 to 65535");
    url.port = static_cast<std::uint16_t>(port);
  }
  while (path.ends_with("/")) path.remove_suffix(1);
  url.path = std::string(path);

  if (!url.tls && !is_loopback_host(url.host))
    return bad_url("is plain http to a host that is not loopback: use https (enroll writes it)");
  return url;
}

}  // namespace cmetrack::agent
