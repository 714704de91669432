#!/usr/bin/env bash
# cmetrack-crowd, as deploy/demo.sh uses it: the meeting it writes is one the
# central node loads (4 rooms, 40 sessions, 300 attendees, a badge image
# each), the same seed writes the same meeting and the same crowd, and the
# crowd's lines, fed to real headless kiosks, are recorded with every kind
# of result a meeting sees: check-ins, check-outs, double scans, badges not
# on the roster and misread ones; the guide checks in and out of each
# session of the first room.
# Usage: crowd_test.sh BIN_DIR
set -euo pipefail
bin=${1:?usage: crowd_test.sh BIN_DIR}
dir=$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-crowd-test.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "crowd test: $*" >&2; exit 1; }

# A meeting that has happened (two days, starting three days ago), so that
# the replay reaches its end by itself.
start=$(date -u -d '3 days ago' +%Y-%m-%dT08:00:00Z)
for n in 1 2; do
  "$bin/cmetrack-crowd" meeting --out "$dir/m$n" --start "$start" --timezone America/New_York \
    >"$dir/meeting$n.out" || fail "meeting $n: $(cat "$dir/meeting$n.out")"
done
cmp -s "$dir/m1/meeting.json" "$dir/m2/meeting.json" || fail "the same seed wrote two different meetings"
grep -q '"timezone": "America/New_York"' "$dir/m1/meeting.json" || fail "the time zone is not the one asked for"
grep -qE '"start": "[0-9-]{10}T0[34]:00:00-0[45]:00"' "$dir/m1/meeting.json" ||
  fail "the first session is not 08:00Z in New York's offset: $(grep -m1 '"start"' "$dir/m1/meeting.json")"
badges=$(find "$dir/m1/badges" -name '[0-9][0-9][0-9][0-9][0-9][0-9].png' | wc -l)
((badges == 300)) || fail "$badges badge images, not 300"
guide=$(sed -n 's/^guide badge: \([^ ]*\).*/\1/p' "$dir/meeting1.out")
[[ $guide =~ ^DEMO-[0-9]{6}$ ]] || fail "no guide badge: $(cat "$dir/meeting1.out")"

out=$("$bin/cmetrack-central" init --data "$dir/central" --meeting "$dir/m1/meeting.json") || fail "init: $out"
[[ $out == *"4 rooms, 40 sessions, 300 attendees"* ]] || fail "init said: $out"

# The crowd, twice, into plain files: the same lines both times.
for n in 1 2; do
  kiosks=()
  for k in 1 2 3 4; do
    : >"$dir/K$k.$n.in"
    kiosks+=(--kiosk "K$k=R$k=$dir/K$k.$n.in")
  done
  timeout 60 "$bin/cmetrack-crowd" replay --meeting "$dir/m1/meeting.json" "${kiosks[@]}" --speed 100000 \
    >"$dir/replay$n.out" || fail "replay $n ended with status $?: $(cat "$dir/replay$n.out")"
  grep -q 'every scan sent' "$dir/replay$n.out" || fail "replay $n did not reach the end: $(cat "$dir/replay$n.out")"
done
for k in 1 2 3 4; do
  cmp -s "$dir/K$k.1.in" "$dir/K$k.2.in" || fail "the same seed made two different crowds at K$k"
  [[ -s $dir/K$k.1.in ]] || fail "no scans at K$k"
done

# The guide: an entry before and an exit after each of the 10 sessions of R1.
guide_lines=$(grep -c " $guide\$" "$dir/K1.1.in" || true)
((guide_lines == 20)) || fail "the guide scanned $guide_lines times at K1, not 20"

# Real headless kiosks record the lines: every result but error appears.
for k in 1 2 3 4; do
  "$bin/cmetrack-central" enroll --data "$dir/central" --kiosk "K$k" --room "R$k" --door main \
    --out "$dir/K$k.json" >/dev/null 2>&1 || fail "enroll K$k"
  "$bin/cmetrack-kiosk" --config "$dir/K$k.json" --db "$dir/K$k.db" --load-meeting "$dir/m1/meeting.json" \
    >/dev/null || fail "load the meeting into K$k"
  "$bin/cmetrack-kiosk" --config "$dir/K$k.json" --db "$dir/K$k.db" --headless --simulated-clock \
    <"$dir/K$k.1.in" >>"$dir/results" 2>"$dir/K$k.log" || fail "kiosk K$k: $(cat "$dir/K$k.log")"
done
lines=$(cat "$dir"/K?.1.in | wc -l)
results=$(wc -l <"$dir/results")
((results == lines)) || fail "$lines lines fed, $results results"
for r in checked_in checked_out duplicate unknown_badge invalid_badge; do
  grep -q "\"result\": *\"$r\"" "$dir/results" || fail "no scan was $r"
done
! grep -q '"result": *"error"' "$dir/results" || fail "kiosks refused lines: $(grep -m3 error "$dir/results")"
echo "crowd test: ok ($lines scans, $badges badges)"
