#!/usr/bin/env bash
# The demo meeting (assets/demo) as deploy/demo.sh runs it, with this
# build's cmetrack-central: it loads, every scan is stored, the rooms fill
# in the afternoon and the attendees deploy/demo.sh shows have credit.
# Usage: demo_meeting.sh BIN_DIR ASSETS_DEMO_DIR
set -euo pipefail
central=${1:?usage: demo_meeting.sh BIN_DIR ASSETS_DEMO_DIR}/cmetrack-central
demo=${2:?usage: demo_meeting.sh BIN_DIR ASSETS_DEMO_DIR}
data=$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-demo-test.XXXXXX")
trap 'rm -rf "$data"' EXIT
fail() { echo "demo meeting: $*" >&2; exit 1; }

"$central" init --data "$data" --meeting "$demo/meeting.json" | grep -q "300 attendees" || fail "init"
out=$("$central" ingest --data "$data" "$demo/scans.csv")
[[ $out == *"9000 scans read, 9000 stored"* ]] || fail "ingest said: $out"

rooms=$("$central" rooms --data "$data" --json --now 2026-04-24T14:30:00-04:00)
present=$(grep -o '"present": [0-9]*' <<<"$rooms" | awk '{ s += $2 } END { print s + 0 }')
((present > 20)) || fail "only $present people in the rooms at 14:30: $rooms"

for badge in 112345 DEMO26-160616; do
  t=$("$central" transcript --data "$data" --badge "$badge" --json --now 2026-04-26T00:00:00-04:00)
  grep -q '"total_credits": [1-9]' <<<"$t" || fail "badge $badge has no credit: $t"
done
echo "demo meeting: ok ($present present at 14:30)"
