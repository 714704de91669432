#pragma once
// The one way into the scan path for every input: the keyboard wedge and
// the on-screen keypad (UI thread) and the camera (its worker thread) post
// a payload here; the UI thread takes them all, in order, and records each.
//
//   camera worker --post()--+
//   wedge, keypad --post()--+--> [bounded queue, mutex] --take_all()--> UI thread
//                           +--> wake() (glfwPostEmptyEvent: the UI stops waiting)
//
// A payload is stamped when it is posted (the moment it was read), not when
// the UI thread gets to it.
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "shared/time.h"

namespace cmetrack::kiosk {

struct posted_scan {
  std::string payload;
  time_ms at = 0;
  std::string source;  // "wedge", "camera" or "manual"
};

class scan_inbox {
 public:
  // More scans than this waiting means the UI thread is stuck; a post is
  // then refused (and the caller says so), the queue never grows unbounded.
  static constexpr std::size_t capacity = 256;

  // `wake` is called (outside the lock) after each post; it must be safe to
  // call from any thread.
  explicit scan_inbox(std::function<void()> wake = {}) : wake_(std::move(wake)) {}

  // Any thread. False where the inbox is full (the scan is not taken).
  bool post(posted_scan scan);
  // The UI thread: everything posted so far, oldest first.
  std::vector<posted_scan> take_all();
  bool empty() const;

 private:
  mutable std::mutex mutex_;
  std::vector<posted_scan> queue_;
  std::function<void()> wake_;
};

}  // namespace cmetrack::kiosk
