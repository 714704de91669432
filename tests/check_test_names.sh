#!/usr/bin/env bash
# ctest splits a test's name at ';' and Catch reads a name that starts with
# '-' as an option: such a test "passes" without running. Refuse both.
# Usage: check_test_names.sh TEST_BINARY...
set -uo pipefail
bad=0
for binary in "$@"; do
  while IFS= read -r name; do
    if [[ $name == *";"* || $name == -* ]]; then
      echo "$(basename "$binary"): test name would never run under ctest: \"$name\" (no ';', no leading '-')"
      bad=1
    fi
  done < <("$binary" --list-test-names-only)
done
exit $bad
