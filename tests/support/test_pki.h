#pragma once
// Certificates for TLS tests, made fresh in a test's directory with the
// openssl command: a CA, and a server certificate it signed for 127.0.0.1
// (subjectAltName IP:127.0.0.1 and DNS:localhost).
#include <string>

namespace cmetrack::test {

struct test_pki {
  std::string ca_cert;      // PEM
  std::string ca_key;
  std::string server_cert;  // PEM, signed by the CA
  std::string server_key;
};

// Writes the files into `dir`; throws where openssl fails.
test_pki make_test_pki(const std::string& dir);

}  // namespace cmetrack::test
