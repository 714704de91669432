#!/usr/bin/env bash
# Passes the tests on a fresh Debian 12 machine: installs what is missing
# (deploy/setup.sh), builds, runs every test with ctest and prints the result.
#
#   deploy/test.sh              the plain Release build (CMake's -O3), in build/
#   deploy/test.sh --sanitize   everything under AddressSanitizer and
#                               UndefinedBehaviorSanitizer, in build-sanitize/
#
# Neither build carries full debug information: it more than doubles the
# compile time of the Asio/Beast code. The sanitizer build is a Debug build
# (assertions on) at -O0 with line tables (-g1), so its reports name file and
# line: UndefinedBehaviorSanitizer's checks double the compile time of
# optimised code, and -O0 halves it again (measured per file; BENCHMARKS.md,
# "CI").
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
# CMake's own Release flags, as an operator's `cmake -DCMAKE_BUILD_TYPE=Release`
# gets them (-U drops a value an older build directory cached).
options=(-DCMAKE_BUILD_TYPE=Release -UCMAKE_CXX_FLAGS_RELEASE -DBUILD_TESTING=ON)
case "${1:-}" in
  "") ;;
  --sanitize)
    build=build-sanitize
    options=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g1" -DBUILD_TESTING=ON -DCMETRACK_SANITIZE=ON) ;;
  *) echo "usage: deploy/test.sh [--sanitize]" >&2; exit 2 ;;
esac

deploy/setup.sh
jobs=$(nproc)
cmake -S . -B "$build" "${options[@]}" >/dev/null
cmake --build "$build" -j"$jobs"

start=$(date +%s)
if ctest --test-dir "$build" --output-on-failure -j"$jobs"; then
  echo "cmetrack: every test passed ($build, $(( $(date +%s) - start )) s)"
else
  echo "cmetrack: TESTS FAILED ($build); see the output above" >&2
  exit 1
fi
