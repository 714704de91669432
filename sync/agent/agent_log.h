#pragma once
// The agent's log: one line a event on standard error, each starting with
// the UTC time and the kiosk, e.g.
//   2026-04-24T12:03:17.250Z cmetrack-sync[K-A1]: sent 500 scans in 34 ms ...
// Written whole with one write(2), so lines never interleave.
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace cmetrack::agent {

void set_log_kiosk(std::string kiosk);
void log_line(std::string_view text);

template <class... Args>
void log(fmt::format_string<Args...> format, Args&&... args) {
  log_line(fmt::format(format, std::forward<Args>(args)...));
}

// "4.2 s", "850 ms": a delay as a person reads it.
std::string say_delay(std::int64_t ms);

}  // namespace cmetrack::agent
