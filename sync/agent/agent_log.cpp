#include "sync/agent/agent_log.h"

#include <unistd.h>

#include <chrono>

#include "shared/time.h"

namespace cmetrack::agent {
namespace {
std::string& kiosk_name() {
  static std::string name;
  return name;
}
}  // namespace

void set_log_kiosk(std::string kiosk) { kiosk_name() = std::move(kiosk); }

void log_line(std::string_view text) {
  const auto now = now_ms();
  const std::string line = kiosk_name().empty()
                               ? fmt::format("{} cmetrack-sync: {}\n", format_iso8601_utc(now), text)
                               : fmt::format("{} cmetrack-sync[{}]: {}\n", format_iso8601_utc(now), kiosk_name(), text);
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) return;  // nowhere to log: go on without
    done += static_cast<std::size_t>(n);
  }
}

std::string say_delay(std::int64_t ms) {
  if (ms < 1000) return fmt::format("{} ms", ms);
  return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
}

}  // namespace cmetrack::agent
