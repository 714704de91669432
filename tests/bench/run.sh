#!/usr/bin/env bash
# The performance benchmark of BENCHMARKS.md, in one command:
#
#   tests/bench/run.sh [--scans N] [--attendees N] [--rooms N] [--sessions N] [--days N]
#                      [--seed N] [--rounds N] [--badges N] [--cold N] [--work DIR]
#   tests/bench/run.sh sync [sync_bench.sh's options: --scans N --one-by-one N ...]
#   tests/bench/run.sh kiosk [kiosk_bench.sh's options: --rounds N --seconds N --frames N]
#   tests/bench/run.sh pdf [pdf_bench.sh's options: --attendees N --scans N --cold N --rounds N ...]
#   tests/bench/run.sh dashboard
#   tests/bench/run.sh overload
#   tests/bench/run.sh congress-serve [--scans N] [--attendees N] [--seed N]
#                      [serve_bench.sh's options: --before BIN --seconds N --rate N ...]
#   tests/bench/run.sh archive [--scans N] [--attendees N] [--seed N] [--rounds N]
#
# `sync` runs only the sync path's section (tests/bench/sync_bench.sh: catch-up,
# ingest over HTTP against bare SQLite, memory with 200 kiosks, delivery latency)
# after building what it needs into build-bench/; the full run ends with it.
# `kiosk` runs only the kiosk's section (tests/bench/kiosk_bench.sh: camera decode
# against ZBar, the window's idle CPU and memory under Xvfb); it builds into
# $CMETRACK_BENCH_BUILD (default build-bench/).
# `pdf` runs only the transcripts-as-PDF section (tests/bench/pdf_bench.sh: one
# transcript PDF warm and from a cold process, all 5,000 of a meeting in one PDF
# against the same as JSON); it builds into $CMETRACK_BENCH_BUILD too.
# `overload` runs the overload test in Release (into $CMETRACK_BENCH_BUILD): honest
# kiosk and staff latency alone, then beside 500 idle/slowloris connections and a
# flood of bad requests; it prints both and their ratio (BENCHMARKS.md, "Overload").
# `congress-serve` runs serve on the congress (generated as below, or reused) under
# a meeting's load (tests/bench/serve_bench.sh): 200 kiosks' one-scan batches at
# 150 a second, 5 staff streams, the desk, a dead kiosk's export ingested 20 s in;
# --before BIN runs an older cmetrack-central beside it (BENCHMARKS.md).
# `archive` copies the congress's central.db into a throwaway PostgreSQL (first
# copy and again) beside its ingest into SQLite (tests/bench/archive_bench.sh).
#
# Defaults: the requirement's congress (4,000,000 scans, 50,000 attendees, 30 rooms,
# 300 sessions, 4 days, seed 1), 3 rounds, 2000 in-process transcripts, 100 cold ones.
#
# 1. Builds Release into build-bench/ (only the three executables it runs).
# 2. Generates the congress into --work (default $TMPDIR/cmetrack-bench/SIZES), or
#    reuses the one there when the same generator made it.
# 3. Side by side, alternating which goes first, --rounds times each: the sqlite3
#    shell's `.import` of scans.csv into a table keyed by the scan id (the anchor),
#    and `cmetrack-central ingest` of the same file into a fresh store (after an
#    untimed `init`). Wall time and peak RSS of each; the medians and their ratio.
# 4. cmetrack-bench-engine: the full recompute and in-process transcripts.
# 5. Cold processes: `cmetrack-central transcript --json` for --cold random roster
#    badges, a fresh process each, with the store in the OS page cache and (where
#    the kernel honours the hint) with it evicted first.
# Prints a summary table and keeps it, with the raw figures, in WORK/results.txt.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The sync path's section, alone.
run_sync_section() {
  local build=$root/build-bench log
  log=$(mktemp "${TMPDIR:-/tmp}/cmetrack-sync-build.XXXXXX")
  printf '== building Release into %s (sync tools)\n' "$build" >&2
  { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON &&
    cmake --build "$build" -j"$(nproc)" --target cmetrack-central cmetrack-sync cmetrack-kiosk cmetrack-bench-sync; } \
    >"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
  bash "$root/tests/bench/sync_bench.sh" "$build/bin" "$@"
}
# The kiosk's section, alone.
if [[ ${1:-} == kiosk ]]; then
  shift
  build=${CMETRACK_BENCH_BUILD:-$root/build-bench}
  log=$(mktemp "${TMPDIR:-/tmp}/cmetrack-kiosk-build.XXXXXX")
  printf '== building Release into %s (kiosk tools)\n' "$build" >&2
  { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON &&
    cmake --build "$build" -j"$(nproc)" --target cmetrack-kiosk cmetrack-bench-camera; } \
    >"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
  exec bash "$root/tests/bench/kiosk_bench.sh" "$build/bin" "$@"
fi
# The transcripts-as-PDF section, alone.
if [[ ${1:-} == pdf ]]; then
  shift
  build=${CMETRACK_BENCH_BUILD:-$root/build-bench}
  log=$(mktemp "${TMPDIR:-/tmp}/cmetrack-pdf-build.XXXXXX")
  printf '== building Release into %s (PDF tools)\n' "$build" >&2
  { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON &&
    cmake --build "$build" -j"$(nproc)" --target cmetrack-central cmetrack-bench-congress cmetrack-bench-pdf; } \
    >"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
  exec bash "$root/tests/bench/pdf_bench.sh" "$build/bin" "$@"
fi
# The dashboard's latency, alone: a logged-in dashboard in headless Chromium
# and a bare event-stream client, side by side (tests/browser/dashboard_bench.cpp).
if [[ ${1:-} == dashboard ]]; then
  shift
  build=${CMETRACK_BENCH_BUILD:-$root/build-bench}
  log=$(mktemp "${TMPDIR:-/tmp}/cmetrack-dashboard-build.XXXXXX")
  printf '== building Release into %s (dashboard tools)\n' "$build" >&2
  { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON &&
    cmake --build "$build" -j"$(nproc)" --target cmetrack-central web_pages_test; } \
    >"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
  exec "$build/bin/web_pages_test" "[.bench]"
fi
# Overload, alone: the overload test in Release (tests/sync/central/overload_test.cpp),
# which prints honest latency alone and under attack, measured in the same run.
if [[ ${1:-} == overload ]]; then
  shift
  build=${CMETRACK_BENCH_BUILD:-$root/build-bench}
  log=$(mktemp "${TMPDIR:-/tmp}/cmetrack-overload-build.XXXXXX")
  printf '== building Release into %s (overload test)\n' "$build" >&2
  { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON &&
    cmake --build "$build" -j"$(nproc)" --target cmetrack-central central_overload_test; } \
    >"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
  exec "$build/bin/central_overload_test" "[overload]"
fi
# The congress's generation, shared by the full run and congress-serve: into
# $congress, reused when the same generator made it at the same sizes.
make_congress() {
  local stamp
  stamp="$(sha256sum "$root/tests/bench/generate_congress.cpp" | cut -c1-16) $sizes"
  if [[ -f $congress/stamp && $(<"$congress/stamp") == "$stamp" ]]; then
    printf '== reusing the congress in %s\n' "$congress" >&2
  else
    printf '== generating the congress into %s\n' "$congress" >&2
    rm -rf "$congress"
    "$bin/cmetrack-bench-congress" --out "$congress" --attendees "$attendees" --rooms "$rooms" \
      --sessions "$sessions" --days "$days" --scans "$scans" --seed "$seed" >&2
    echo "$stamp" >"$congress/stamp"
  fi
}
scans=4000000 attendees=50000 rooms=30 sessions=300 days=4 seed=1
# The central node at congress size (congress-serve: serve_bench.sh) or the
# provider's archive (archive: archive_bench.sh), alone, on the congress.
if [[ ${1:-} == congress-serve || ${1:-} == archive ]]; then
  section=$1
  shift
  rest=()
  while (($#)); do
    case $1 in
      --scans | --attendees | --seed) printf -v "${1#--}" '%s' "${2:?$1 needs a value}"; shift 2 ;;
      *) rest+=("$1"); shift ;;
    esac
  done
  if [[ $section == archive ]]; then
    name=archive script=archive_bench.sh targets=(cmetrack-central cmetrack-bench-congress)
  else
    name=serve script=serve_bench.sh targets=(cmetrack-central cmetrack-bench-congress cmetrack-bench-serve)
  fi
  build=${CMETRACK_BENCH_BUILD:-$root/build-bench}
  work=${TMPDIR:-/tmp}/cmetrack-bench/${attendees}a-${rooms}r-${sessions}s-${days}d-${scans}scans-seed${seed}
  sizes=${work##*/} congress=$work/congress bin=$build/bin
  mkdir -p "$work"
  printf '== building Release into %s (%s tools)\n' "$build" "$name" >&2
  { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON &&
    cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"; } \
    >"$work/$name-build.log" 2>&1 || { tail -30 "$work/$name-build.log" >&2; exit 1; }
  make_congress
  exec bash "$root/tests/bench/$script" "$bin" "$congress" --work "$work/$name" "${rest[@]}"
fi
if [[ ${1:-} == sync ]]; then
  shift
  run_sync_section "$@"
  exit
fi
rounds=3 badges=2000 cold=100 work=""
while (($#)); do
  case $1 in
    --scans | --attendees | --rooms | --sessions | --days | --seed | --rounds | --badges | --cold | --work)
      (($# >= 2)) || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      printf -v "${1#--}" '%s' "$2"
      shift 2 ;;
    -h | --help) sed -n '2,/^set -e/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in sqlite3 /usr/bin/time cmake; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (deploy/setup.sh installs it)" >&2; exit 1; }
done
sizes="${attendees}a-${rooms}r-${sessions}s-${days}d-${scans}scans-seed${seed}"
work=${work:-${TMPDIR:-/tmp}/cmetrack-bench/$sizes}
mkdir -p "$work"
# Long after the last session (at most 14 days from 2026-04-24): every stay is closed.
now=2026-06-01T00:00:00Z

say() { printf '%s\n' "$*" >&2; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Nearest-rank percentile of a file of sorted numbers.
percentile() { awk -v p="$2" '{ v[NR] = $1 } END { r = int(p * NR + 0.999999); if (r < 1) r = 1; print v[r] }' "$1"; }

# 1. Build.
build=$root/build-bench
say "== building Release into $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >"$work/build.log"
cmake --build "$build" -j"$(nproc)" --target cmetrack-central cmetrack-bench-congress cmetrack-bench-engine >>"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log" >&2; exit 1; }
bin=$build/bin

# 2. The congress. The stamp names the generator's source, so a changed
# generator makes a new congress.
congress=$work/congress
make_congress
csv=$congress/scans.csv

# 3. Ingest against the anchor, alternating.
anchor=$work/anchor.db data=$work/data
: >"$work/sqlite.times"; : >"$work/ingest.times"
import_with_sqlite3() {
  rm -f "$anchor" "$anchor-journal"
  sync
  local t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$work/rss" sqlite3 "$anchor" <<EOF
CREATE TABLE scans(id TEXT PRIMARY KEY, kiosk, seq, badge, room, door, direction, at, source);
.mode csv
.import --skip 1 $csv scans
EOF
  local t1=$EPOCHREALTIME
  echo "$(ms_between "$t0" "$t1") $(<"$work/rss")" >>"$work/sqlite.times"
  say "   sqlite3 .import          $(ms_between "$t0" "$t1") ms, peak RSS $(<"$work/rss") KiB"
}
ingest_with_cmetrack() {
  rm -rf "$data"
  "$bin/cmetrack-central" init --data "$data" --meeting "$congress/meeting.json" >/dev/null
  sync
  local t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$work/rss" "$bin/cmetrack-central" ingest --data "$data" "$csv" >"$work/ingest.out"
  local t1=$EPOCHREALTIME
  grep -q "$scans scans read, $scans stored" "$work/ingest.out" || { cat "$work/ingest.out" >&2; exit 1; }
  echo "$(ms_between "$t0" "$t1") $(<"$work/rss")" >>"$work/ingest.times"
  say "   cmetrack-central ingest  $(ms_between "$t0" "$t1") ms, peak RSS $(<"$work/rss") KiB"
}
say "== ingest vs sqlite3 .import, $rounds rounds, alternating"
for ((r = 1; r <= rounds; r++)); do
  say " round $r"
  if ((r % 2)); then import_with_sqlite3; ingest_with_cmetrack; else ingest_with_cmetrack; import_with_sqlite3; fi
  if ((r == 1)); then
    imported=$(sqlite3 "$anchor" "SELECT count(*) FROM scans")
    [[ $imported == "$scans" ]] || { say "run.sh: sqlite3 imported $imported rows, not $scans"; exit 1; }
  fi
done
rm -f "$anchor"
sqlite_ms=$(cut -d' ' -f1 "$work/sqlite.times" | median)
ingest_ms=$(cut -d' ' -f1 "$work/ingest.times" | median)
sqlite_rss=$(cut -d' ' -f2 "$work/sqlite.times" | sort -n | tail -1)
ingest_rss=$(cut -d' ' -f2 "$work/ingest.times" | sort -n | tail -1)
ratio=$(awk -v a="$ingest_ms" -v b="$sqlite_ms" 'BEGIN { printf "%.2f", a / b }')
cat "$work/ingest.out" >&2

# 4. The engine, in process.
say "== cmetrack-bench-engine"
/usr/bin/time -f %M -o "$work/rss" "$bin/cmetrack-bench-engine" --data "$data" --badges "$badges" --now "$now" \
  --seed "$seed" >"$work/engine.txt"
engine_rss=$(<"$work/rss")
cat "$work/engine.txt" >&2
figure() { awk -v n="$1" '$1 == n { print $2 }' "$work/engine.txt"; }

# 5. Cold processes. Badges drawn with bash's RANDOM, seeded.
say "== cold-process transcripts, $cold badges"
mapfile -t roster < <(sqlite3 "$data/central.db" "SELECT badge FROM attendees ORDER BY badge")
RANDOM=$seed
picked=()
for ((i = 0; i < cold; i++)); do picked+=("${roster[(RANDOM * 32768 + RANDOM) % ${#roster[@]}]}"); done
time_processes() {  # $1: file for sorted ms; $2: evict the store from the page cache first
  local t0 t1
  for b in "${picked[@]}"; do
    if [[ $2 == evict ]]; then dd if="$data/central.db" iflag=nocache count=0 status=none; fi
    t0=$EPOCHREALTIME
    "$bin/cmetrack-central" transcript --data "$data" --badge "$b" --json --now "$now" >/dev/null
    t1=$EPOCHREALTIME
    ms_between "$t0" "$t1"; echo
  done | sort -g >"$1"
}
"$bin/cmetrack-central" transcript --data "$data" --badge "${picked[0]}" --json --now "$now" >/dev/null  # warms the binary
time_processes "$work/cold.ms" keep
time_processes "$work/cold_evicted.ms" evict
for ((i = 0; i < 20; i++)); do
  t0=$EPOCHREALTIME; "$bin/cmetrack-central" --version >/dev/null; t1=$EPOCHREALTIME
  ms_between "$t0" "$t1"; echo
done | sort -g >"$work/version.ms"

# Summary.
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t ? "met" : "MISSED") }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
{
  echo "cmetrack benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) CPUs, $cpu, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM; $(uname -sr)"
  echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1); g++ $(g++ -dumpfullversion); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" status --porcelain 2>/dev/null | grep -q . && echo ' (working tree differs)')"
  echo "congress: $attendees attendees, $rooms rooms, $sessions sessions, $days days, $scans scans, seed $seed; scans.csv $(($(stat -c %s "$csv") / 1048576)) MiB; central.db $(($(stat -c %s "$data/central.db") / 1048576)) MiB"
  echo
  printf '%-44s %14s %16s %s\n' figure measured target verdict
  printf '%-44s %11s ms %16s\n' "sqlite3 .import (anchor), median of $rounds" "$sqlite_ms" ""
  printf '%-44s %11s ms %16s\n' "cmetrack-central ingest, median of $rounds" "$ingest_ms" ""
  printf '%-44s %13sx %16s %s\n' "ingest / anchor" "$ratio" "< 2x" "$(verdict "$ratio" 2)"
  total=$(figure recompute.total)
  printf '%-44s %11s ms %16s %s\n' "full recompute: load_all_scans" "$(figure recompute.load_all_scans)" "" ""
  printf '%-44s %11s ms %16s %s\n' "full recompute: attend + credit" "$(figure recompute.attend_credit)" "" ""
  printf '%-44s %11s ms %16s %s\n' "full recompute: total (one core)" "$total" "< 3000 ms" "$(verdict "$total" 3000)"
  printf '%-44s %11s ms %16s %s\n' "  (+ JSON of every transcript, apart)" "$(figure recompute.transcript_json)" "" ""
  p99=$(figure transcript.p99)
  printf '%-44s %11s ms %16s\n' "one transcript in process: p50" "$(figure transcript.p50)" ""
  printf '%-44s %11s ms %16s %s\n' "one transcript in process: p99 ($badges)" "$p99" "< 5 ms" "$(verdict "$p99" 5)"
  printf '%-44s %11s ms %16s\n' "one transcript in process: max" "$(figure transcript.max)" ""
  cold_p50=$(percentile "$work/cold.ms" 0.5) cold_p99=$(percentile "$work/cold.ms" 0.99)
  printf '%-44s %11s ms %16s\n' "cold process ($cold): p50" "$cold_p50" ""
  printf '%-44s %11s ms %16s %s\n' "cold process ($cold): p99" "$cold_p99" "< 50 ms" "$(verdict "$cold_p99" 50)"
  printf '%-44s %11s ms %16s\n' "cold process, store evicted first: p50" "$(percentile "$work/cold_evicted.ms" 0.5)" ""
  printf '%-44s %11s ms %16s\n' "cold process, store evicted first: p99" "$(percentile "$work/cold_evicted.ms" 0.99)" ""
  printf '%-44s %11s ms %16s\n' "  (process start alone: --version, p50)" "$(percentile "$work/version.ms" 0.5)" ""
  printf '%-44s %10s MiB %16s %s\n' "peak RSS: ingest (max of rounds)" "$(mib "$ingest_rss")" "< 1024 MiB" "$(verdict "$ingest_rss" 1048576)"
  printf '%-44s %10s MiB %16s %s\n' "peak RSS: engine bench (recompute + 1-by-1)" "$(mib "$engine_rss")" "< 1024 MiB" "$(verdict "$engine_rss" 1048576)"
  printf '%-44s %10s MiB %16s\n' "peak RSS: sqlite3 .import (max of rounds)" "$(mib "$sqlite_rss")" ""
  echo
  echo "raw: ingest ms,KiB per round: $(tr '\n' ' ' <"$work/ingest.times")"
  echo "raw: sqlite3 ms,KiB per round: $(tr '\n' ' ' <"$work/sqlite.times")"
} | tee "$work/results.txt"
say "(kept in $work/results.txt; engine figures in $work/engine.txt)"

# 6. The sync path (its own summary lines).
say "== the sync path (tests/bench/sync_bench.sh)"
run_sync_section --work "$work/sync" | tee "$work/sync.txt"
