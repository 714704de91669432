#!/usr/bin/env bash
# The kiosk's section of BENCHMARKS.md ("The kiosk"), run by `run.sh kiosk`:
#
#   tests/bench/kiosk_bench.sh BIN_DIR [--rounds N] [--seconds N] [--frames N] [--work DIR]
#
# 1. cmetrack-bench-camera --rounds N (default 3): decode time (CPU time of
#    the one pinned thread) and read rate of 1280x720 frames, ours against
#    ZBar, side by side in one process.
# 2. kiosk_idle.sh: the window left alone under Xvfb for --seconds (default
#    30): CPU share of one core, VmRSS, VmHWM.
# 3. The same with --frames N (default 200; 0 skips it) cluttered 1280x720
#    frames without a code as the camera (20 a second: N/20 s of stream).
# Prints a summary and keeps it, with the raw output, in WORK (default
# $TMPDIR/cmetrack-bench/kiosk).
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:?usage: kiosk_bench.sh BIN_DIR [--rounds N] [--seconds N] [--frames N] [--work DIR]}
shift
rounds=3 seconds=30 frames=200 work=""
while (($#)); do
  case $1 in
    --rounds | --seconds | --frames | --work)
      (($# >= 2)) || { echo "kiosk_bench.sh: $1 needs a value" >&2; exit 2; }
      printf -v "${1#--}" '%s' "$2"
      shift 2 ;;
    *) echo "kiosk_bench.sh: unknown option $1 (see the comment at its top)" >&2; exit 2 ;;
  esac
done
work=${work:-${TMPDIR:-/tmp}/cmetrack-bench/kiosk}
mkdir -p "$work"

echo "== camera decode, ours against ZBar, $rounds rounds" >&2
"$bin/cmetrack-bench-camera" --rounds "$rounds" --per-variant >"$work/camera.txt"
echo "== the window idle for $seconds s" >&2
bash "$here/kiosk_idle.sh" "$bin" --seconds "$seconds" --smaps >"$work/idle.txt"
if ((frames > 0)); then
  echo "== the window with $frames camera frames without a code" >&2
  rm -rf "$work/frames"
  "$bin/cmetrack-bench-camera" --write-blank "$work/frames" --blank-count "$frames"
  bash "$here/kiosk_idle.sh" "$bin" --seconds "$seconds" --frames-dir "$work/frames" >"$work/idle_frames.txt"
  rm -rf "$work/frames"
fi

value() { awk -v n="$2" '$1 == n { print $2 }' "$work/$1"; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t ? "met" : "MISSED") }'; }
{
  echo "cmetrack kiosk benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); $(uname -sr)"
  echo "zbar $(pkg-config --modversion zbar 2>/dev/null || echo '?'); ZXing-cpp $(dpkg-query -W -f '${Version}' libzxing2 2>/dev/null || echo '?'); camera bench pinned to CPU $(value camera.txt camera.cpu)"
  echo
  printf '%-52s %12s %12s %s\n' figure measured target verdict
  for d in ours zbar ours_still; do
    for g in code none; do
      p50=$(value camera.txt "camera.$d.$g.p50")
      label="decode 1280x720, $d, $([[ $g == code ]] && echo 'with a code' || echo 'no code'): p50"
      if [[ $d == ours ]]; then
        printf '%-52s %9s ms %12s %s\n' "$label" "$p50" "< 10 ms" "$(verdict "$p50" 10)"
      else
        printf '%-52s %9s ms\n' "$label" "$p50"
      fi
      printf '%-52s %9s ms\n' "  p95 / mean" "$(value camera.txt "camera.$d.$g.p95") / $(value camera.txt "camera.$d.$g.mean")"
      printf '%-52s %12s\n' "  read correctly" "$(value camera.txt "camera.$d.$g.read")"
    done
  done
  printf '%-52s %11sx\n' "ours / ZBar, p50, frames with a code" "$(value camera.txt camera.ratio.code.p50)"
  printf '%-52s %11sx\n' "ours / ZBar, p50, frames without" "$(value camera.txt camera.ratio.none.p50)"
  cpu=$(value idle.txt idle.cpu) rss=$(value idle.txt idle.rss)
  printf '%-52s %10s %% %12s %s\n' "window idle, CPU of one core" "$cpu" "< 3 %" "$(verdict "$cpu" 3)"
  printf '%-52s %8s MiB %12s %s\n' "window idle, VmRSS (Xvfb, Mesa llvmpipe)" "$rss" "< 100 MiB" "$(verdict "$rss" 100)"
  printf '%-52s %8s MiB\n' "window idle, VmHWM" "$(value idle.txt idle.hwm)"
  if [[ -f $work/idle_frames.txt ]]; then
    printf '%-52s %10s %%\n' "with camera frames (--frames, PNG), CPU of one core" "$(value idle_frames.txt idle.cpu)"
    printf '%-52s %8s MiB\n' "with camera frames, VmRSS" "$(value idle_frames.txt idle.rss)"
  fi
  echo
  echo "raw: $work/camera.txt, $work/idle.txt"
  grep '^idle.map' "$work/idle.txt" | head -8
} | tee "$work/results.txt"
