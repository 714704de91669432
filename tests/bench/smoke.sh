#!/usr/bin/env bash
# The benchmark tools on a tiny congress, so that they never rot: generate
# (twice, to check it is deterministic), init, ingest, engine bench; then the
# sync path's benchmark (sync_bench.sh) on a thousand scans, a few seconds.
# Usage: smoke.sh BIN_DIR
set -euo pipefail
bin=${1:?usage: smoke.sh BIN_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-bench-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

sizes=(--attendees 200 --rooms 5 --sessions 20 --days 2 --scans 20000 --seed 7)
"$bin/cmetrack-bench-congress" --out "$work/congress" "${sizes[@]}"
"$bin/cmetrack-bench-congress" --out "$work/again" "${sizes[@]}" >/dev/null
cmp "$work/congress/scans.csv" "$work/again/scans.csv"
cmp "$work/congress/meeting.json" "$work/again/meeting.json"
rows=$(($(wc -l <"$work/congress/scans.csv") - 1))
[[ $rows == 20000 ]] || { echo "smoke: scans.csv holds $rows scans, not 20000" >&2; exit 1; }

"$bin/cmetrack-central" init --data "$work/data" --meeting "$work/congress/meeting.json"
"$bin/cmetrack-central" ingest --data "$work/data" "$work/congress/scans.csv" | tee "$work/ingest.txt"
grep -q "20000 scans read, 20000 stored" "$work/ingest.txt"
grep -q "quarantined" "$work/ingest.txt"

"$bin/cmetrack-bench-engine" --data "$work/data" --badges 50 --rounds 1 | tee "$work/engine.txt"
for name in recompute.total transcript.p99 data.attendees_flagged.missing_exit; do
  grep -q "^$name " "$work/engine.txt" || { echo "smoke: no $name in the engine bench's output" >&2; exit 1; }
done
sync_sizes=(--scans 1000 --one-by-one 40 --kiosks 5 --latency-scans 10 --rate 50 --rounds 1 --work "$work/sync")
bash "$(dirname "${BASH_SOURCE[0]}")/sync_bench.sh" "$bin" "${sync_sizes[@]}" 2>"$work/sync.log" | tee "$work/sync.txt" ||
  { cat "$work/sync.log" >&2; exit 1; }
for name in catchup.scans_per_s onebyone.scans_per_s ingest.http_over_anchor hold.rss latency.p95; do
  grep -q "^$name " "$work/sync.txt" || { echo "smoke: no $name in the sync bench's output" >&2; exit 1; }
done
echo "smoke: ok"
