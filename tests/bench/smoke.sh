#!/usr/bin/env bash
# The benchmark tools on a tiny congress, so that they never rot: generate
# (twice, to check it is deterministic), init, ingest, engine bench, PDF bench. The sync
# path's tools are built with everything else; their whole run is
# tests/bench/run.sh sync (processes and timing: not a ctest).
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
"$bin/cmetrack-bench-pdf" --data "$work/data" --out "$work/pdf" --badges 5 | tee "$work/pdf.txt"
for name in one.pdf.p99 all.pdf all.pages; do
  grep -q "^$name " "$work/pdf.txt" || { echo "smoke: no $name in the PDF bench's output" >&2; exit 1; }
done
echo "smoke: ok"
