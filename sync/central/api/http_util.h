#pragma once
// What every route of cmetrack-central serve shares: the request and
// response types, JSON answers and errors, the bearer token of a request,
// percent-decoding and query parameters.
#include <boost/beast/http.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cmetrack::central {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

constexpr std::uint64_t max_body_bytes = 4 * 1024 * 1024;

http_response json_response(http::status status, std::string body, unsigned version);
// {"error": message}
http_response error_response(http::status status, const std::string& message, unsigned version);

// 200 with a PDF, shown in the browser, named `filename` when saved, never cached.
http_response pdf_response(std::string body, std::string_view filename, unsigned version);
// 405 with Allow.
http_response method_not_allowed(std::string_view path, std::string_view allow, unsigned version);
// 401 with WWW-Authenticate: Bearer.
http_response unauthorized(const std::string& message, unsigned version);

inline std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }
std::string_view trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// The token of `Authorization: Bearer TOKEN`; nullopt where there is none.
std::optional<std::string_view> bearer_token(const http_request& req);

// No Transfer-Encoding, or exactly one that is plain "chunked" (any case):
// the only coding serve reads. Anything else is answered 501 (RFC 9112, 6.1).
bool plain_chunked_or_none(const http_request& req);

// %XX and (in a query) '+' decoded; nullopt where a %XX is malformed.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// The decoded value of `name` in the request target's query; empty where absent.
std::string query_parameter(std::string_view target, std::string_view name);

}  // namespace cmetrack::central
