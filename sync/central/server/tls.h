#pragma once
// The central node's TLS: a server context that speaks TLS 1.2 or newer,
// with the certificate chain and key of --tls-cert and --tls-key. Every
// fault names the file.
#include <boost/asio/ssl/context.hpp>

#include <string>

#include "shared/error.h"

namespace cmetrack::central {

result<boost::asio::ssl::context> make_server_tls(const std::string& cert_file, const std::string& key_file);

}  // namespace cmetrack::central
