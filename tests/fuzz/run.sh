#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang-14, -DCMETRACK_FUZZ=ON) and runs each
# for a while over a copy of its seed corpus (tests/fuzz/corpus/<harness>;
# the repo's corpus is never written to). Exit 1, naming the harness and the
# crash file, where any run crashes; crash files are kept under
# $BUILD_DIR/crashes/<harness>/.
#
#   tests/fuzz/run.sh                       each harness 20 s (CI)
#   tests/fuzz/run.sh --seconds 3600        a long run (README.md)
#   tests/fuzz/run.sh --seconds 600 --jobs 2 --only fuzz_http_request
#   tests/fuzz/run.sh --build-only
#
# BUILD_DIR (default: build-fuzz beside this repo's sources) is a build
# directory of its own: Clang, sanitizers and fuzzer coverage everywhere.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
build_dir=${BUILD_DIR:-$source_dir/build-fuzz}
seconds=20
jobs=1
only=""
build_only=0
harnesses=(fuzz_meeting_import fuzz_scans_csv fuzz_badge_payload fuzz_sync_batch fuzz_http_request)

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    --only) only=${2:?--only needs a harness name}; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument \"$1\"" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "run.sh: --seconds must be a positive whole number, not \"$seconds\"" >&2; exit 2; }
[[ $jobs =~ ^[0-9]+$ && $jobs -gt 0 ]] || { echo "run.sh: --jobs must be a positive whole number, not \"$jobs\"" >&2; exit 2; }
if [[ -n $only ]]; then
  [[ " ${harnesses[*]} " == *" $only "* ]] || { echo "run.sh: no harness \"$only\"; the harnesses are: ${harnesses[*]}" >&2; exit 2; }
  harnesses=("$only")
fi
for tool in clang-14 clang++-14; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing; run deploy/setup.sh (clang-14, libclang-rt-14-dev)" >&2; exit 1; }
done

# The longest input each harness gets: room for a meeting file or a batch
# of some scans, a payload, a few requests.
max_len() {
  case $1 in
    fuzz_meeting_import) echo 16384 ;;
    fuzz_scans_csv) echo 8192 ;;
    fuzz_badge_payload) echo 512 ;;
    fuzz_sync_batch) echo 16384 ;;
    fuzz_http_request) echo 16384 ;;
  esac
}

echo "run.sh: building the harnesses in $build_dir"
CC=clang-14 CXX=clang++-14 cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" -DCMETRACK_FUZZ=ON -DBUILD_TESTING=OFF -DCMETRACK_WARNINGS_AS_ERRORS=OFF >"$build_dir.configure.log" 2>&1 ||
  { cat "$build_dir.configure.log" >&2; echo "run.sh: configuring $build_dir failed" >&2; exit 1; }
rm -f "$build_dir.configure.log"
cmake --build "$build_dir" --target cmetrack_fuzzers -j"${BUILD_JOBS:-2}"
((build_only)) && exit 0

# The HTTP harness's central.db lives in memory where it can (no fsync per batch).
tmp_base=/dev/shm
[[ -d $tmp_base && -w $tmp_base ]] || tmp_base=${TMPDIR:-/tmp}
work=$(mktemp -d "$tmp_base/cmetrack-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

failed=()
for h in "${harnesses[@]}"; do
  corpus=$work/corpus/$h
  crashes=$build_dir/crashes/$h
  mkdir -p "$corpus" "$crashes" "$work/tmp/$h"
  cp "$here/corpus/$h/"* "$corpus/"
  log=$build_dir/crashes/$h.log
  echo "run.sh: $h for ${seconds} s (max_len $(max_len "$h"), jobs $jobs); log $log"
  args=(-max_total_time="$seconds" -max_len="$(max_len "$h")" -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$crashes/" -print_final_stats=1)
  ((jobs > 1)) && args+=(-jobs="$jobs" -workers="$jobs")
  touch "$work/start-$h"
  set +e
  # In $work: with -jobs, libFuzzer writes its workers' logs (fuzz-N.log) to the current directory.
  (cd "$work" && CMETRACK_FUZZ_TMP=$work/tmp/$h ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$build_dir/bin/$h" "${args[@]}" "$corpus" >"$log" 2>&1)
  rc=$?
  set -e
  if ((jobs > 1)); then cat "$work"/fuzz-*.log >>"$log" 2>/dev/null || true; rm -f "$work"/fuzz-*.log; fi
  stats=$(grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$log" | tr '\n' ' ' || true)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  found=$(find "$crashes" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) -newer "$work/start-$h" 2>/dev/null | head -5)
  if ((rc != 0)) || [[ -n $found ]]; then
    echo "run.sh: FAILED $h (exit $rc): ${found:-see $log}" >&2
    grep -E 'ERROR: |SUMMARY: |property failed|runtime error' "$log" | head -5 >&2 || true
    failed+=("$h")
  else
    echo "run.sh: ok $h: $cov $stats"
  fi
done

if ((${#failed[@]})); then
  echo "run.sh: ${#failed[@]} harness(es) crashed: ${failed[*]}; reproduce with $build_dir/bin/HARNESS CRASH_FILE" >&2
  exit 1
fi
echo "run.sh: all ${#harnesses[@]} harnesses ran ${seconds} s each without a crash"
