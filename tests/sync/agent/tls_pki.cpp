#include "tests/sync/agent/tls_pki.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace cmetrack::test {
namespace {

using key_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using cert_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("test certificates: ") + what + " failed");
}

key_ptr new_key() {
  key_ptr k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);  // EVP_EC_gen, without its cast
  if (!k) throw std::runtime_error("test certificates: EC key generation failed");
  return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) throw std::runtime_error(std::string("test certificates: extension ") + value);
  check(X509_add_ext(cert, ext, -1), "X509_add_ext");
  X509_EXTENSION_free(ext);
}

cert_ptr new_cert(EVP_PKEY* key, const std::string& cn, long serial) {
  cert_ptr c(X509_new(), X509_free);
  check(X509_set_version(c.get(), 2), "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial), "serial");
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), 7 * 24 * 3600);
  check(X509_set_pubkey(c.get(), key), "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(c.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                                   -1, 0),
        "subject");
  return c;
}

std::string pem_of(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_X509(bio, cert), "PEM_write_bio_X509");
  char* data = nullptr;
  const long n = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data
  std::string text(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return text;
}

std::string pem_of(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr), "PEM_write_bio_PrivateKey");
  char* data = nullptr;
  const long n = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data
  std::string text(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return text;
}

}  // namespace

tls_pki make_tls_pki(const std::string& name, const std::string& subject_alt_names) {
  static long serial = 1000;
  const key_ptr ca_key = new_key();
  const cert_ptr ca = new_cert(ca_key.get(), name, ++serial);
  check(X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())), "issuer");
  add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(ca.get(), ca_key.get(), EVP_sha256()) > 0 ? 1 : 0, "X509_sign (CA)");

  const key_ptr key = new_key();
  const cert_ptr server = new_cert(key.get(), "cmetrack central (test)", ++serial);
  check(X509_set_issuer_name(server.get(), X509_get_subject_name(ca.get())), "issuer");
  add_ext(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
  add_ext(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  add_ext(server.get(), ca.get(), NID_subject_alt_name, subject_alt_names.c_str());
  add_ext(server.get(), ca.get(), NID_authority_key_identifier, "keyid");
  check(X509_sign(server.get(), ca_key.get(), EVP_sha256()) > 0 ? 1 : 0, "X509_sign (server)");

  return {pem_of(ca.get()), pem_of(server.get()), pem_of(key.get())};
}

}  // namespace cmetrack::test
