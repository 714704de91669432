#pragma once
// Reading the proxy's --listen and --upstream addresses. Only loopback
// addresses are accepted: tests must send traffic to this machine alone.
#include <boost/asio/ip/tcp.hpp>

#include <string>
#include <string_view>

#include "shared/error.h"

namespace cmetrack::fault_proxy {

// "127.0.0.1:8443", "[::1]:8443" or "localhost:8443" (127.0.0.1). Port 0
// only where `allow_any_port` (listen: the system picks one). `option`
// names the option in the message.
result<boost::asio::ip::tcp::endpoint> parse_loopback_endpoint(std::string_view text, std::string_view option,
                                                               bool allow_any_port);

std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace cmetrack::fault_proxy
