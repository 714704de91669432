#pragma once
// A small HTTP/1.1 client for tests (Boost.Beast): https:// with the test
// CA as the only trust anchor and the host checked, or http://. One
// keep-alive connection, opened on the first request; every step has a
// deadline. Throws std::runtime_error where the request cannot be made.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cmetrack::test {

struct http_reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct client_options {
  std::string ca_file;           // for https://
  int max_tls_version = 0;       // e.g. TLS1_1_VERSION to offer no more; 0: any
  int timeout_ms = 10'000;
  std::string source_address;    // connect from this address (e.g. 127.0.0.2); empty: any
};

class http_client {
 public:
  explicit http_client(const std::string& base_url, client_options options = {});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // METHOD base_url+target with `body`; headers as (name, value).
  http_reply request(const std::string& method, const std::string& target, const std::string& body = "",
                     const std::vector<std::pair<std::string, std::string>>& headers = {});

  // Connects (and does the TLS handshake) without sending a request.
  void connect();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Authorization: Bearer TOKEN
inline std::pair<std::string, std::string> bearer(const std::string& token) {
  return {"Authorization", "Bearer " + token};
}

}  // namespace cmetrack::test
