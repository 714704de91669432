#include "tests/support/fault_proxy/endpoint.h"

#include <fmt/format.h>

#include <string>

#include "tests/support/fault_proxy/fault.h"

namespace cmetrack::fault_proxy {

namespace asio = boost::asio;

result<asio::ip::tcp::endpoint> parse_loopback_endpoint(std::string_view text, std::string_view option,
                                                        bool allow_any_port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return bad_input(fmt::format("{} \"{}\": write HOST:PORT, e.g. 127.0.0.1:8443", option, text));
  std::string host(text.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return bad_input(fmt::format("{} \"{}\": \"{}\" is not an IP address; use 127.0.0.1", option, text, host));
  if (!address.is_loopback())
    return bad_input(fmt::format("{} \"{}\": {} is not a loopback address; the fault proxy only listens on and "
                                 "connects to this machine (127.0.0.0/8 or ::1)",
                                 option, text, host));
  auto port = parse_count(text.substr(colon + 1), fmt::format("{} \"{}\" port", option, text));
  if (!port) return std::unexpected(port.error());
  if (*port > 65535 || (*port == 0 && !allow_any_port))
    return bad_input(fmt::format("{} \"{}\": port {} is out of range (1-65535)", option, text, *port));
  return asio::ip::tcp::endpoint(address, static_cast<unsigned short>(*port));
}

std::string to_string(const asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  if (address.is_v6()) return fmt::format("[{}]:{}", address.to_string(), endpoint.port());
  return fmt::format("{}:{}", address.to_string(), endpoint.port());
}

}  // namespace cmetrack::fault_proxy
