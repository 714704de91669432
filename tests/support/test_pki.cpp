#include "tests/support/test_pki.h"

#include <stdexcept>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cmetrack::test {
namespace {

void openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  const auto r = run(args, "", 60);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args.at(1) + " failed: " + r.err);
}

}  // namespace

test_pki make_test_pki(const std::string& dir) {
  test_pki p{dir + "/ca.pem", dir + "/ca.key", dir + "/server.pem", dir + "/server.key"};
  const std::string ec = "ec_paramgen_curve:P-256";
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", p.ca_key, "-out", p.ca_cert, "-days",
           "2", "-subj", "/CN=cmetrack test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
           "keyUsage=critical,keyCertSign,cRLSign"});
  const std::string csr = dir + "/server.csr", ext = dir + "/server.ext";
  openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", p.server_key, "-out", csr, "-subj",
           "/CN=127.0.0.1"});
  write_file(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                  "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
  openssl({"x509", "-req", "-in", csr, "-CA", p.ca_cert, "-CAkey", p.ca_key, "-CAcreateserial", "-out", p.server_cert,
           "-days", "2", "-extfile", ext});
  return p;
}

}  // namespace cmetrack::test
