#!/usr/bin/env bash
# Runs cmetrack on the demo meeting (assets/demo): installs what is missing,
# builds cmetrack-central, loads the meeting, ingests a day of scans from its
# kiosks, and shows what staff and the registration desk would see: the
# room counts in the middle of the afternoon, and transcripts.
#
#   deploy/demo.sh [--data DIR]     (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."

data=""
case "${1:-}" in
  "") ;;
  --data) data=${2:?--data needs a directory} ;;
  *) echo "usage: deploy/demo.sh [--data DIR]" >&2; exit 2 ;;
esac
[[ -n $data ]] || data=$(mktemp -d -t cmetrack-demo-XXXXXX)

deploy/setup.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-release -j"$(nproc)" --target cmetrack-central >/dev/null
central=build-release/bin/cmetrack-central

step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Load the demo meeting (rooms, sessions, roster)" \
  "$central" init --data "$data" --meeting assets/demo/meeting.json
step "Ingest the kiosks' scans (a second run would store none: scan ids are unique)" \
  "$central" ingest --data "$data" assets/demo/scans.csv
step "Room counts at 14:30 on the first day, against capacity" \
  "$central" rooms --data "$data" --json --now 2026-04-24T14:30:00-04:00
step "Transcript of badge 112345 at the end of the meeting" \
  "$central" transcript --data "$data" --badge 112345 --json --now 2026-04-26T00:00:00-04:00
step "Transcript of badge 160616, as the desk would look it up by scanning the badge" \
  "$central" transcript --data "$data" --badge DEMO26-160616 --json --now 2026-04-26T00:00:00-04:00
step "Every scan back out as a scans file" \
  "$central" export --data "$data" --scans --out "$data/scans-export.csv"

printf '\nThe demo data is in %s; try:\n  %s transcript --data %s --all --json\n' "$data" "$central" "$data"
