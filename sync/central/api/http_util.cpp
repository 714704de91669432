#include "sync/central/api/http_util.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace cmetrack::central {

http_response json_response(http::status status, std::string body, unsigned version) {
  http_response res{status, version};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response error_response(http::status status, const std::string& message, unsigned version) {
  // A message may quote the request (its path, a badge), which may be any
  // bytes: invalid UTF-8 becomes U+FFFD rather than an exception that would
  // end serve.
  return json_response(status,
                       nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                           "\n",
                       version);
}

http_response method_not_allowed(std::string_view path, std::string_view allow, unsigned version) {
  auto res = error_response(http::status::method_not_allowed, fmt::format("{} answers {} only", path, allow), version);
  res.set(http::field::allow, boost::beast::string_view(allow.data(), allow.size()));
  return res;
}

http_response unauthorized(const std::string& message, unsigned version) {
  auto res = error_response(http::status::unauthorized, message, version);
  res.set(http::field::www_authenticate, "Bearer");
  return res;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

std::optional<std::string_view> bearer_token(const http_request& req) {
  const auto header = trim(sv(req[http::field::authorization]));
  if (header.size() <= 7 || !iequals(header.substr(0, 7), "Bearer ")) return std::nullopt;
  const auto token = trim(header.substr(7));
  if (token.empty()) return std::nullopt;
  return token;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = digit(text[i + 1]), lo = digit(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string query_parameter(std::string_view target, std::string_view name) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return {};
  auto query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      if (eq == std::string_view::npos) return {};
      return percent_decode(pair.substr(eq + 1), true).value_or(std::string());
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

bool plain_chunked_or_none(const http_request& req) {
  const auto [first, last] = req.equal_range(http::field::transfer_encoding);
  if (first == last) return true;
  if (std::next(first) != last) return false;
  return iequals(trim(sv(first->value())), "chunked");
}

http_response pdf_response(std::string body, std::string_view filename, unsigned version) {
  http_response res{http::status::ok, version};
  res.set(http::field::content_type, "application/pdf");
  res.set(http::field::content_disposition, fmt::format("inline; filename=\"{}\"", filename));
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace cmetrack::central
