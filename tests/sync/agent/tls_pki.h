#pragma once
// Certificates made in the test, with OpenSSL: a CA, and a server
// certificate it signs for 127.0.0.1 and localhost. Another call makes
// another CA, for the "wrong CA" tests.
#include <string>

namespace cmetrack::test {

struct tls_pki {
  std::string ca_cert;      // PEM: what kiosk.json's ca_cert holds
  std::string server_cert;  // PEM, signed by the CA; SAN IP:127.0.0.1, DNS:localhost
  std::string server_key;   // PEM
};

// `subject_alt_names` in OpenSSL's config syntax.
tls_pki make_tls_pki(const std::string& name = "cmetrack test CA",
                       const std::string& subject_alt_names = "IP:127.0.0.1,DNS:localhost");

}  // namespace cmetrack::test
