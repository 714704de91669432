#pragma once
// The central nodes a kiosk delivers to, and the one the agent talks to now.
// kiosk.json's central_url comes first, then its central_urls in order,
// duplicates dropped. A failure another node could fix (no answer at all,
// or 502, 503, 504) moves to the next URL, wrapping around; the agent backs
// off only once a whole round of the list has failed since the last
// success, so with one URL it backs off after every such failure.
#include <cstddef>
#include <string_view>
#include <vector>

#include "kiosk/store/kiosk_config.h"
#include "shared/error.h"
#include "sync/agent/central_url.h"

namespace cmetrack::agent {

// Every URL of kiosk.json taken apart and checked as central_url is, a
// fault naming the file, the field and the index ("central_urls"[1]); bad
// input where there is none at all (central_url is missing).
result<std::vector<central_url>> read_central_urls(const kiosk::kiosk_config& config, std::string_view file);

// Whether an HTTP status says the node (or the proxy before it) cannot
// serve now, so that another node may: 502, 503, 504. Every other answer
// (401, 403, 413, 500, 507...) is the store's, the same on every node.
bool node_unavailable(unsigned status);

class central_list {
 public:
  explicit central_list(std::vector<central_url> urls);  // at least one

  const central_url& current() const { return urls_[at_]; }
  std::size_t position() const { return at_ + 1; }  // 1 to size(), for the log
  std::size_t size() const { return urls_.size(); }
  const std::vector<central_url>& urls() const { return urls_; }

  // The current node failed in a way another could fix: the next URL is
  // current from now on. True where this failure completes a round (every
  // URL failed since the last success): the caller waits its backoff.
  bool failed();
  // An exchange with the current node succeeded.
  void succeeded() { failures_ = 0; }

 private:
  std::vector<central_url> urls_;
  std::size_t at_ = 0;
  std::size_t failures_ = 0;  // node failures in a row since the last success
};

}  // namespace cmetrack::agent
