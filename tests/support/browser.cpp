#include "tests/support/browser.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>

#include <array>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

namespace cmetrack::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

std::chrono::milliseconds left(clock_type::time_point deadline) {
  return std::chrono::duration_cast<milliseconds>(deadline - clock_type::now());
}

std::string base64_decode(const std::string& in) {
  static const auto table = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < chars.size(); ++i) t[static_cast<unsigned char>(chars[i])] = static_cast<int>(i);
    return t;
  }();
  std::string out;
  out.reserve(in.size() / 4 * 3);
  unsigned bits = 0;
  int count = 0;
  for (const char c : in) {
    const int v = table[static_cast<unsigned char>(c)];
    if (v < 0) continue;  // '=' padding, line breaks
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

// The text of a Runtime exception, as the page's console would show it.
std::string exception_text(const nlohmann::json& details) {
  if (details.contains("exception")) {
    const auto& e = details["exception"];
    if (e.contains("description") && e["description"].is_string()) return e["description"].get<std::string>();
    if (e.contains("value")) return e["value"].dump();
  }
  return details.value("text", std::string("an exception"));
}

}  // namespace

// The websocket to the page, read and written asynchronously on one
// io_context that only the waiting calls run, so every wait has a deadline.
struct browser::connection {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  bool reading = false;
  beast::error_code read_error;
  std::deque<std::string> messages;

  // Runs handlers until done() or the deadline; false at the deadline.
  template <class Done>
  bool run_until(Done done, clock_type::time_point deadline) {
    while (!done()) {
      const auto rest = left(deadline);
      if (rest <= milliseconds(0)) return false;
      if (ioc.stopped()) ioc.restart();
      ioc.run_one_for(rest);
    }
    return true;
  }

  void start_read() {
    if (reading || read_error) return;
    reading = true;
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        read_error = ec;
        return;
      }
      messages.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
    });
  }

  void write(const std::string& text, clock_type::time_point deadline) {
    bool done = false;
    beast::error_code ec;
    ws.text(true);
    ws.async_write(asio::buffer(text), [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until([&] { return done; }, deadline))
      throw browser_error("DevTools: sending a command to chromium took too long");
    if (ec) throw browser_error("DevTools: cannot send a command to chromium: " + ec.message());
  }
};

std::string js_string(const std::string& s) { return nlohmann::json(s).dump(); }

browser::browser(browser_options options) : options_(std::move(options)) {
  launch();
  const auto deadline = clock_type::now() + options_.start_timeout;
  const auto url = page_websocket_url(deadline);
  // ws://127.0.0.1:PORT/devtools/page/ID
  const auto rest = url.substr(url.find("://") + 3);
  const auto slash = rest.find('/');
  const auto host_port = rest.substr(0, slash);
  const auto colon = host_port.rfind(':');
  ws_ = std::make_unique<connection>();
  auto& c = *ws_;
  tcp::resolver resolver(c.ioc);
  beast::error_code ec;
  const auto endpoints = resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1), ec);
  if (ec) throw browser_error("DevTools: cannot resolve " + host_port + ": " + ec.message());
  bool done = false;
  beast::get_lowest_layer(c.ws).expires_after(left(deadline));
  beast::get_lowest_layer(c.ws).async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    ec = e;
    done = true;
  });
  c.run_until([&] { return done; }, deadline + milliseconds(1000));
  if (!done || ec) throw browser_error("DevTools: cannot connect to " + url + ": " + (done ? ec.message() : "timeout"));
  done = false;
  c.ws.async_handshake(host_port, rest.substr(slash), [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  c.run_until([&] { return done; }, deadline + milliseconds(1000));
  if (!done || ec) throw browser_error("DevTools: websocket handshake with " + url + " failed: " + (done ? ec.message() : "timeout"));
  // From here each wait has its own deadline (run_until).
  beast::get_lowest_layer(c.ws).expires_never();
  c.ws.read_message_max(64 * 1024 * 1024);  // screenshots are large
  send("Page.enable");
  send("Runtime.enable");
  send("Log.enable");
}

browser::~browser() {
  ws_.reset();
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void browser::launch() {
  const auto profile = dir_ / "profile";
  std::filesystem::create_directories(profile);
  std::vector<std::string> args = {options_.executable,
                                   "--headless=new",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-dev-shm-usage",
                                   "--no-first-run",
                                   "--no-default-browser-check",
                                   "--disable-extensions",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--password-store=basic",
                                   "--mute-audio",
                                   "--remote-debugging-port=0",
                                   "--remote-debugging-address=127.0.0.1",
                                   "--user-data-dir=" + profile,
                                   fmt::format("--window-size={},{}", options_.width, options_.height),
                                   "about:blank"};
  const auto log_file = dir_ / "chromium.log";
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw browser_error("cannot fork to start chromium");
  if (pid == 0) {
    ::setpgid(0, 0);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    if (log_fd >= 0) {
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  pid_ = pid;
}

std::string browser::log() const { return read_file(dir_ / "chromium.log"); }

std::string browser::page_websocket_url(clock_type::time_point deadline) {
  const auto port_file = dir_ / "profile/DevToolsActivePort";
  std::string last_problem = "chromium wrote no " + port_file;
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw browser_error(fmt::format("chromium ({}) exited while starting (status {}); its output:\n{}",
                                      options_.executable, status, log()));
    }
    std::ifstream in(port_file);
    std::string port;
    if (in && std::getline(in, port) && !port.empty()) {
      try {
        asio::io_context ioc;
        beast::tcp_stream stream(ioc);
        tcp::resolver resolver(ioc);
        stream.expires_after(milliseconds(2000));
        stream.connect(resolver.resolve("127.0.0.1", port));
        http::request<http::empty_body> req{http::verb::get, "/json/list", 11};
        req.set(http::field::host, "127.0.0.1:" + port);
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        for (const auto& target : nlohmann::json::parse(res.body()))
          if (target.value("type", "") == "page" && target.contains("webSocketDebuggerUrl"))
            return target["webSocketDebuggerUrl"].get<std::string>();
        last_problem = "chromium lists no page yet: " + res.body();
      } catch (const std::exception& e) {
        last_problem = std::string("GET /json/list on port ") + port + ": " + e.what();
      }
    }
    if (clock_type::now() >= deadline)
      throw browser_error(fmt::format("chromium did not open its DevTools page within {} ms ({}); its output:\n{}",
                                      options_.start_timeout.count(), last_problem, log()));
    std::this_thread::sleep_for(milliseconds(25));  // polling a file chromium writes
  }
}

nlohmann::json browser::next_message(clock_type::time_point deadline, const std::string& waiting_for) {
  auto& c = *ws_;
  if (c.messages.empty()) {
    c.start_read();
    c.run_until([&] { return !c.messages.empty() || c.read_error; }, deadline);
  }
  if (!c.messages.empty()) {
    auto text = std::move(c.messages.front());
    c.messages.pop_front();
    return nlohmann::json::parse(text, nullptr, false);
  }
  if (c.read_error)
    throw browser_error(fmt::format("DevTools: the connection to chromium ended ({}) while waiting for {}",
                                    c.read_error.message(), waiting_for));
  throw browser_error("timed out waiting for " + waiting_for);
}

void browser::on_event(const nlohmann::json& m) {
  const auto method = m.value("method", std::string());
  const auto& p = m.contains("params") ? m["params"] : nlohmann::json::object();
  if (method == "Page.loadEventFired") {
    ++loads_;
  } else if (method == "Runtime.consoleAPICalled") {
    const auto type = p.value("type", std::string());
    if (type != "error" && type != "assert") return;
    std::string text = "console." + type + ":";
    for (const auto& a : p.value("args", nlohmann::json::array())) {
      if (a.contains("value")) text += " " + (a["value"].is_string() ? a["value"].get<std::string>() : a["value"].dump());
      else if (a.contains("description")) text += " " + a["description"].get<std::string>();
    }
    errors_.push_back(text);
  } else if (method == "Runtime.exceptionThrown") {
    errors_.push_back("uncaught: " + exception_text(p.value("exceptionDetails", nlohmann::json::object())));
  } else if (method == "Log.entryAdded") {
    const auto& e = p.value("entry", nlohmann::json::object());
    if (e.value("level", std::string()) == "error")
      errors_.push_back(fmt::format("{}: {} {}", e.value("source", std::string("browser")),
                                    e.value("text", std::string()), e.value("url", std::string())));
  }
}

nlohmann::json browser::send(const std::string& method, const nlohmann::json& params) {
  const auto id = next_id_++;
  const auto deadline = clock_type::now() + options_.command_timeout;
  ws_->write(nlohmann::json{{"id", id}, {"method", method}, {"params", params}}.dump(), deadline);
  for (;;) {
    auto m = next_message(deadline, "the answer to " + method);
    if (m.is_discarded()) continue;
    if (!m.contains("id")) {
      on_event(m);
      continue;
    }
    if (m["id"] != id) continue;  // the late answer to a command that timed out
    if (m.contains("error"))
      throw browser_error(fmt::format("DevTools {} failed: {}", method, m["error"].value("message", m["error"].dump())));
    return m.value("result", nlohmann::json::object());
  }
}

void browser::navigate(const std::string& url) {
  const auto before = loads_;
  auto r = send("Page.navigate", {{"url", url}});
  if (r.contains("errorText") && !r["errorText"].get<std::string>().empty())
    throw browser_error("cannot load " + url + ": " + r["errorText"].get<std::string>());
  const auto deadline = clock_type::now() + options_.command_timeout;
  while (loads_ == before) {
    auto m = next_message(deadline, "the load event of " + url);
    if (!m.is_discarded() && !m.contains("id")) on_event(m);
  }
}

nlohmann::json browser::evaluate(const std::string& js) {
  auto r = send("Runtime.evaluate", {{"expression", js},
                                     {"awaitPromise", true},
                                     {"returnByValue", true},
                                     {"userGesture", true}});
  if (r.contains("exceptionDetails"))
    throw browser_error("JavaScript `" + js + "` threw: " + exception_text(r["exceptionDetails"]));
  const auto& value = r.value("result", nlohmann::json::object());
  return value.contains("value") ? value["value"] : nlohmann::json(nullptr);
}

milliseconds browser::wait_for(const std::string& js_condition, milliseconds timeout) {
  const auto start = clock_type::now();
  const auto deadline = start + timeout;
  std::string last_error;
  for (;;) {
    try {
      if (evaluate("!!(" + js_condition + ")").get<bool>())
        return std::chrono::duration_cast<milliseconds>(clock_type::now() - start);
      last_error.clear();
    } catch (const browser_error& e) {
      last_error = e.what();
    }
    if (clock_type::now() >= deadline)
      throw browser_error(fmt::format("the page did not show `{}` within {} ms{}", js_condition, timeout.count(),
                                      last_error.empty() ? "" : " (last error: " + last_error + ")"));
    // The poll interval: take in the events (console errors, loads) that came in.
    auto& c = *ws_;
    c.start_read();
    const auto pause = std::min(deadline, clock_type::now() + milliseconds(10));
    c.run_until([&] { return !c.messages.empty() || c.read_error; }, pause);
    while (!c.messages.empty()) {
      auto m = nlohmann::json::parse(c.messages.front(), nullptr, false);
      c.messages.pop_front();
      if (!m.is_discarded() && !m.contains("id")) on_event(m);
    }
    if (c.read_error) throw browser_error("DevTools: the connection to chromium ended: " + c.read_error.message());
  }
}

void browser::type(const std::string& selector, const std::string& text, bool clear) {
  evaluate(fmt::format(
      "(() => {{ const e = document.querySelector({0}); if (!e) throw new Error('no element ' + {0}); e.focus();"
      " if ({1}) {{ e.value = ''; e.dispatchEvent(new Event('input', {{bubbles: true}})); }} return true; }})()",
      js_string(selector), clear ? "true" : "false"));
  send("Input.insertText", {{"text", text}});
}

void browser::click(const std::string& selector) {
  evaluate(fmt::format(
      "(() => {{ const e = document.querySelector({0}); if (!e) throw new Error('no element ' + {0});"
      " e.scrollIntoView({{block: 'center'}}); e.click(); return true; }})()",
      js_string(selector)));
}

void browser::set_viewport(int width, int height, double scale, bool mobile) {
  send("Emulation.setDeviceMetricsOverride",
       {{"width", width}, {"height", height}, {"deviceScaleFactor", scale}, {"mobile", mobile}});
  send("Emulation.setTouchEmulationEnabled", {{"enabled", mobile}});
}

void browser::screenshot(const std::string& png_path) {
  auto r = send("Page.captureScreenshot", {{"format", "png"}});
  const auto png = base64_decode(r.at("data").get<std::string>());
  const auto parent = std::filesystem::path(png_path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  write_file(png_path, png);
}

void browser::allow_downloads(const std::string& dir) {
  std::filesystem::create_directories(dir);
  send("Browser.setDownloadBehavior", {{"behavior", "allow"}, {"downloadPath", dir}});
}

}  // namespace cmetrack::test
