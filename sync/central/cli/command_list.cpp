#include "sync/central/cli/command_list.h"

#include <fmt/format.h>

#include <cstdio>

namespace cmetrack::central {

int finish(const result<std::string>& r) {
  if (r) {
    std::fputs(r->c_str(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  fmt::print(stderr, "cmetrack-central: {}\n", r.error().message);
  return exit_status(r.error());
}

int usage_fault(const std::string& message) {
  fmt::print(stderr, "cmetrack-central: {}\n", message);
  return 2;
}

}  // namespace cmetrack::central
