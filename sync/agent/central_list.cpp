#include "sync/agent/central_list.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace cmetrack::agent {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The same scheme, host (names in any case), port and path: "https://C1"
// and "https://c1:443/" are one node.
bool same_node(const central_url& a, const central_url& b) {
  return a.tls == b.tls && a.port == b.port && a.path == b.path &&
         std::equal(a.host.begin(), a.host.end(), b.host.begin(), b.host.end(),
                    [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

result<std::vector<central_url>> read_central_urls(const kiosk::kiosk_config& config, std::string_view file) {
  std::vector<central_url> urls;
  const auto add = [&urls](central_url url) {
    if (std::none_of(urls.begin(), urls.end(), [&url](const central_url& u) { return same_node(u, url); }))
      urls.push_back(std::move(url));
  };
  if (config.central_url && !config.central_url->empty()) {
    auto url = parse_central_url(*config.central_url, file);
    if (!url) return std::unexpected(url.error());
    add(std::move(*url));
  }
  for (std::size_t i = 0; i < config.central_urls.size(); ++i) {
    auto url = parse_central_url(config.central_urls[i], file, fmt::format("\"central_urls\"[{}]", i));
    if (!url) return std::unexpected(url.error());
    add(std::move(*url));
  }
  if (urls.empty())
    return bad_input(fmt::format("{}: field \"central_url\" is missing; `cmetrack-central enroll --kiosk {} ...` "
                                 "writes a kiosk.json that has it",
                                 file, config.kiosk));
  return urls;
}

bool node_unavailable(unsigned status) { return status == 502 || status == 503 || status == 504; }

central_list::central_list(std::vector<central_url> urls) : urls_(std::move(urls)) {}

bool central_list::failed() {
  at_ = (at_ + 1) % urls_.size();
  ++failures_;
  return failures_ % urls_.size() == 0;
}

}  // namespace cmetrack::agent
