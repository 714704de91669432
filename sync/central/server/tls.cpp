#include "sync/central/server/tls.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <filesystem>

namespace cmetrack::central {
namespace {

// OpenSSL's reason for the last fault, for a message.
std::string openssl_reason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown reason";
  char text[256];
  ERR_error_string_n(e, text, sizeof text);
  return text;
}

bool readable(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace

result<boost::asio::ssl::context> make_server_tls(const std::string& cert_file, const std::string& key_file) {
  namespace ssl = boost::asio::ssl;
  if (!readable(cert_file))
    return bad_input(fmt::format("--tls-cert: {}: no such file; give the server's certificate chain (PEM)", cert_file));
  if (!readable(key_file))
    return bad_input(fmt::format("--tls-key: {}: no such file; give the server's private key (PEM)", key_file));
  ssl::context ctx(ssl::context::tls_server);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX* native = ctx.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
    return failure(fmt::format("cannot require TLS 1.2 or newer: {}", openssl_reason()));
  // An encrypted key fails instead of asking for a passphrase on the terminal.
  SSL_CTX_set_default_passwd_cb(native, [](char*, int, int, void*) { return 0; });
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1)
    return bad_input(fmt::format("--tls-cert: {}: not a PEM certificate chain OpenSSL can load: {}", cert_file,
                                 openssl_reason()));
  if (SSL_CTX_use_PrivateKey_file(native, key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return bad_input(fmt::format("--tls-key: {}: not a PEM private key OpenSSL can load (an encrypted key is not "
                                 "supported): {}",
                                 key_file, openssl_reason()));
  if (SSL_CTX_check_private_key(native) != 1)
    return bad_input(fmt::format("--tls-key: {} is not the key of the certificate in {}: {}", key_file, cert_file,
                                 openssl_reason()));
  return ctx;
}

}  // namespace cmetrack::central
