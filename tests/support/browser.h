#pragma once
// Headless Chromium driven over the Chrome DevTools Protocol, for the tests
// of the staff pages (tests/browser): open a URL, run JavaScript in the
// page, wait for a condition, type and click, change the viewport, take a
// screenshot, and collect what the page logged as an error.
//
//   test --spawn--> chromium --headless=new --remote-debugging-port=0
//                   (own process group, own --user-data-dir, log to a file)
//        <--------- TMP/DevToolsActivePort: the port
//        --GET /json/list--> the page's webSocketDebuggerUrl
//        <==websocket==> {"id", "method", "params"} / {"id", "result"} and events
//
// Every wait has a deadline; a failure throws browser_error naming what was
// waited for and, where there is one, the JavaScript exception. The
// destructor kills the whole process group.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace cmetrack::test {

struct browser_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct browser_options {
  int width = 1280;
  int height = 800;
  std::chrono::milliseconds start_timeout{30'000};   // chromium up, page attached
  std::chrono::milliseconds command_timeout{15'000};  // one DevTools command, a page load
  std::string executable = "/usr/bin/chromium";
};

class browser {
 public:
  explicit browser(browser_options options = {});
  ~browser();
  browser(const browser&) = delete;
  browser& operator=(const browser&) = delete;

  // Loads url and waits for its load event; throws where it fails to load.
  void navigate(const std::string& url);

  // Runs `js` (an expression; a promise is awaited) in the page and returns
  // its value as JSON (undefined -> null). Throws with the exception text.
  nlohmann::json evaluate(const std::string& js);

  // Polls `js_condition` until it is truthy; throws after `timeout`, with the
  // condition and the last exception, if any. Exceptions while polling (the
  // page is between two documents) count as "not yet". Returns the time it
  // took.
  std::chrono::milliseconds wait_for(const std::string& js_condition,
                                     std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  // The element (CSS selector) must exist: focuses it and types `text` as
  // the keyboard would (Input.insertText: input events fire). clear: empty it first.
  void type(const std::string& selector, const std::string& text, bool clear = true);
  // element.click() on the element the selector finds; throws where none.
  void click(const std::string& selector);

  // Emulates a screen of width x height CSS pixels (mobile: a phone's
  // touch and meta viewport handling).
  void set_viewport(int width, int height, double scale = 1.0, bool mobile = false);

  // Writes a PNG of what the page shows now.
  void screenshot(const std::string& png_path);

  // Lets downloads (an <a download>) land in dir.
  void allow_downloads(const std::string& dir);

  // What the page logged as an error since the start (or the last clear):
  // console.error / console.assert, uncaught exceptions, and the browser's
  // own error entries (a failed load, a Content-Security-Policy refusal).
  std::vector<std::string> console_errors() const { return errors_; }
  void clear_console_errors() { errors_.clear(); }

  // Any DevTools command: its result, or browser_error with its error.
  nlohmann::json send(const std::string& method, const nlohmann::json& params = nlohmann::json::object());

  // chromium's own output (for a failure message).
  std::string log() const;

 private:
  struct connection;
  nlohmann::json next_message(std::chrono::steady_clock::time_point deadline, const std::string& waiting_for);
  void on_event(const nlohmann::json& message);
  void launch();
  std::string page_websocket_url(std::chrono::steady_clock::time_point deadline);

  browser_options options_;
  temp_dir dir_;
  pid_t pid_ = -1;
  std::unique_ptr<connection> ws_;
  std::int64_t next_id_ = 1;
  std::int64_t loads_ = 0;  // Page.loadEventFired seen so far
  std::vector<std::string> errors_;
};

// The text of a JavaScript string literal holding s (for building js).
std::string js_string(const std::string& s);

}  // namespace cmetrack::test
