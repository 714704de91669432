#!/usr/bin/env bash
# The kiosk window's idle cost (BENCHMARKS.md, "The kiosk"): CPU time and
# resident memory of cmetrack-kiosk left alone on its scan screen under Xvfb.
#
#   tests/bench/kiosk_idle.sh BIN_DIR [--seconds N] [--frames-dir DIR] [--smaps]
#
# Starts Xvfb (1920x1080x24) and cmetrack-kiosk (a 1920x1080 window, kiosk
# K-A1 of room A with the worked example cached by --load-meeting), waits for
# its window and 3 s more, then reads utime+stime from /proc/PID/stat at the
# start and the end of --seconds (default 30): CPU as a share of one core.
# Then VmRSS and VmHWM from /proc/PID/status, and with --smaps the largest
# mappings by resident size (/proc/PID/smaps), to see what holds the memory.
# With --frames-dir, the kiosk reads DIR's images as camera frames (20 a
# second) and the window is the time those frames last (at most --seconds):
# the camera worker's cost on frames without a code.
# Environment such as LP_NUM_THREADS or GALLIUM_DRIVER passes to the kiosk.
# Prints one result a line: `name value unit`.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:?usage: kiosk_idle.sh BIN_DIR [--seconds N] [--frames-dir DIR] [--smaps]}
shift
seconds=30 frames_dir="" smaps=0
while (($#)); do
  case $1 in
    --seconds) seconds=${2:?}; shift 2 ;;
    --frames-dir) frames_dir=${2:?}; shift 2 ;;
    --smaps) smaps=1; shift ;;
    *) echo "kiosk_idle.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in Xvfb xdotool; do
  command -v "$tool" >/dev/null || { echo "kiosk_idle.sh: $tool is missing (deploy/setup.sh installs it)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-kiosk-idle.XXXXXX")
xvfb_pid="" kiosk_pid=""
cleanup() {
  [[ -n $kiosk_pid ]] && kill "$kiosk_pid" 2>/dev/null && wait "$kiosk_pid" 2>/dev/null
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Xvfb picks its display number and writes it to fd 3.
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
for ((i = 0; i < 100; i++)); do [[ -s $work/display ]] && break; sleep 0.1; done
[[ -s $work/display ]] || { echo "kiosk_idle.sh: Xvfb did not start in 10 s" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -1 "$work/display")"

echo '{"kiosk": "K-A1", "room": "A", "door": "A1", "mode": "auto"}' >"$work/kiosk.json"
"$bin/cmetrack-kiosk" --config "$work/kiosk.json" --db "$work/kiosk.db" \
  --load-meeting "$root/tests/data/worked_example.json" >/dev/null
args=(--config "$work/kiosk.json" --db "$work/kiosk.db")
[[ -n $frames_dir ]] && args+=(--frames "$frames_dir")
"$bin/cmetrack-kiosk" "${args[@]}" >"$work/kiosk.out" 2>"$work/kiosk.err" &
kiosk_pid=$!
timeout 20 xdotool search --sync --name '^cmetrack-kiosk' >/dev/null ||
  { echo "kiosk_idle.sh: no kiosk window in 20 s" >&2; cat "$work/kiosk.err" >&2; exit 1; }
sleep 3  # past the first frames and the font atlas upload

if [[ -n $frames_dir ]]; then
  count=$(find "$frames_dir" -maxdepth 1 -type f \( -name '*.png' -o -name '*.jpg' \) | wc -l)
  # The frames started with the window; 3.5 s of them are gone. Leave 0.5 s at the end.
  span=$(awk -v n="$count" -v s="$seconds" 'BEGIN { t = n * 0.05 - 4; if (t > s) t = s; printf "%.1f", t }')
  awk -v t="$span" 'BEGIN { exit !(t >= 1) }' || { echo "kiosk_idle.sh: too few frames in $frames_dir" >&2; exit 2; }
  seconds=$span
fi

ticks() { awk '{ print $14 + $15 }' "/proc/$kiosk_pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$EPOCHREALTIME c0=$(ticks)
sleep "$seconds"
c1=$(ticks) t1=$EPOCHREALTIME
kill -0 "$kiosk_pid" 2>/dev/null || { echo "kiosk_idle.sh: the kiosk exited" >&2; cat "$work/kiosk.err" >&2; exit 1; }

status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$kiosk_pid/status"; }
echo "idle.window $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
echo "idle.cpu $(awk -v c="$((c1 - c0))" -v hz="$hz" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", 100 * c / hz / (b - a) }') %"
echo "idle.threads $(status Threads)"
echo "idle.rss $(awk -v k="$(status VmRSS)" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
echo "idle.hwm $(awk -v k="$(status VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
# Anonymous (heap, stacks, Mesa's buffers) vs file-backed (code of the
# libraries, mapped fonts).
awk '/^(Rss|Anonymous|Pss_File|Pss_Anon):/ { printf "idle.smaps.%s %.1f MiB\n", tolower(substr($1, 1, length($1) - 1)), $2 / 1024 }' \
  "/proc/$kiosk_pid/smaps_rollup"
if ((smaps)); then
  # The largest mappings, summed by what they map ([heap], a library, anon).
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6 ? $6 : "[anon]") }
       /^Rss:/ { rss[name] += $2 }
       END { for (n in rss) if (rss[n] >= 1024) printf "idle.map %.1f MiB %s\n", rss[n] / 1024, n }' \
    "/proc/$kiosk_pid/smaps" | sort -k2 -g -r | head -15
fi
