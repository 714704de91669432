#pragma once
// What a harness does when a property of the product fails: says which, on
// standard error, and traps, so libFuzzer keeps the input as a crash.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace cmetrack::fuzz {

[[noreturn]] inline void property_failed(std::string_view harness, std::string_view what) {
  std::fprintf(stderr, "%.*s: property failed: %.*s\n", static_cast<int>(harness.size()), harness.data(),
               static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  __builtin_trap();
}

}  // namespace cmetrack::fuzz

#define CMETRACK_FUZZ_CHECK(harness, cond, what) \
  do {                                            \
    if (!(cond)) ::cmetrack::fuzz::property_failed(harness, what); \
  } while (0)
