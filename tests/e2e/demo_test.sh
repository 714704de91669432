#!/usr/bin/env bash
# deploy/demo.sh --headless --simulate as a user runs it, with this build's
# binaries, bounded in time: the staff login it prints works, the dashboard
# API shows the rooms filling as the crowd catches up with now, the guide's
# transcript has credit, kiosk K4 went offline and came back, and Ctrl-C
# (SIGINT) stops everything cleanly: exit 0, a summary, no process left.
# Usage: demo_test.sh BIN_DIR SOURCE_DIR
set -euo pipefail
bin=${1:?usage: demo_test.sh BIN_DIR SOURCE_DIR}
src=${2:?usage: demo_test.sh BIN_DIR SOURCE_DIR}
data=$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-demo-e2e.XXXXXX")
out=$data.out
demo=""
# Processes whose command line names the data directory: the demo's.
left() {
  local f cmd
  for f in /proc/[0-9]*/cmdline; do
    [[ $f == "/proc/$$/cmdline" || $f == "/proc/$BASHPID/cmdline" ]] && continue
    cmd=$({ tr '\0' ' ' <"$f"; } 2>/dev/null) || continue
    [[ $cmd == *"$data"* ]] && echo "${f%/cmdline}: $cmd"
  done
  return 0
}
cleanup() {
  [[ -z $demo ]] || kill -INT "$demo" 2>/dev/null || true
  left | while read -r p _; do kill -KILL "${p//[^0-9]/}" 2>/dev/null || true; done
  rm -rf "$data" "$out"
}
trap cleanup EXIT
fail() {
  echo "demo test: $*" >&2
  echo "--- demo.sh said:" >&2
  cat "$out" >&2 || true
  for f in "$data"/logs/central.log "$data"/logs/crowd.log "$data"/logs/K4-sync.log; do
    [[ -f $f ]] && { echo "--- $f (end):" >&2; tail -5 "$f" >&2; }
  done
  exit 1
}

# Its own process group (job control), as from a terminal: a background job
# of a script without it would ignore SIGINT.
set -m
"$src/deploy/demo.sh" --headless --simulate --bin-dir "$bin" --no-setup --port 0 --speed 900 --duration 80 \
  --data "$data" >"$out" 2>&1 &
demo=$!

# It prints the dashboard and the login once everything runs, and writes demo.env.
deadline=$((SECONDS + 40))
until [[ -f $data/demo.env ]] && grep -q '^Dashboard: ' "$out"; do
  kill -0 "$demo" 2>/dev/null || fail "deploy/demo.sh ended before the central node ran"
  ((SECONDS < deadline)) || fail "no dashboard URL within 40 s"
  sleep 0.2
done
# shellcheck disable=SC1091
source "$data/demo.env"
line=$(grep '^Dashboard: ' "$out")
[[ $line == "Dashboard: $DEMO_URL/  login: desk / $DEMO_PASSWORD" ]] || fail "unexpected dashboard line: $line"
[[ $DEMO_URL =~ ^https://127\.0\.0\.1:[0-9]+$ ]] || fail "the URL is not HTTPS on 127.0.0.1: $DEMO_URL"

api() { curl -sS --fail-with-body --max-time 10 --cacert "$DEMO_CA" "$@"; }

# The printed login works (the certificate is the printed CA's).
login=$(api -H 'Content-Type: application/json' \
  -d "{\"user\": \"desk\", \"password\": \"$DEMO_PASSWORD\"}" "$DEMO_URL/api/v1/login") ||
  fail "login as desk with the printed password: $login"
grep -q '"token"' <<<"$login" || fail "login answered no token: $login"

# The rooms fill, and the guide earns credit, as the crowd catches up.
deadline=$((SECONDS + 50)) present=0 credit=""
while :; do
  kill -0 "$demo" 2>/dev/null || fail "deploy/demo.sh ended while the crowd was catching up"
  rooms=$(api -H "Authorization: Bearer $DEMO_TOKEN" "$DEMO_URL/api/v1/rooms") || fail "GET /api/v1/rooms: $rooms"
  present=$(grep -oE '"present": *[0-9]+' <<<"$rooms" | grep -oE '[0-9]+$' | awk '{ s += $1 } END { print s + 0 }')
  transcript=$(api -H "Authorization: Bearer $DEMO_TOKEN" \
    "$DEMO_URL/api/v1/attendees/${DEMO_GUIDE_BADGE#DEMO-}/transcript") || fail "GET transcript: $transcript"
  credit=$(grep -oE '"total_credits": *[0-9.]+' <<<"$transcript" | grep -oE '[0-9.]+$' || true)
  if ((present > 0)) && [[ -n $credit && $credit != 0 && $credit != 0.0 ]]; then break; fi
  ((SECONDS < deadline)) || fail "after 50 s: $present present in the rooms, the guide's credit \"$credit\": $rooms"
  sleep 1
done

# The guide claims their own credit on the attendee page's API, with the
# badge and code the demo printed: evaluation, claim, certificate.
guide=${DEMO_GUIDE_BADGE#DEMO-}
grep -qF "Attendee page: $DEMO_URL/me  the guide signs in with badge $guide and claim code $DEMO_GUIDE_CODE" "$out" ||
  fail "the demo did not print the guide's claim code: $(grep 'Attendee page' "$out")"
signed=$(api -H 'Content-Type: application/json' -d "{\"badge\": \"$guide\", \"code\": \"$DEMO_GUIDE_CODE\"}" \
  "$DEMO_URL/api/v1/attendee/login") || fail "the guide's sign-in with the printed code: $signed"
me=(-H "Authorization: Bearer $(jq -r .token <<<"$signed")")
form=$(api "${me[@]}" "$DEMO_URL/api/v1/me/evaluation") || fail "GET /api/v1/me/evaluation: $form"
[[ $(jq .complete <<<"$form") == false ]] || fail "the guide's evaluation is complete before any answer: $form"
claim=$(api "${me[@]}" "$DEMO_URL/api/v1/me/transcript" |
  jq -c '{sessions: [.sessions[] | select(.credits > 0) | {session, credits}], attestation: true}')
refused=$(curl -sS --max-time 10 --cacert "$DEMO_CA" -o /dev/null -w '%{http_code}' "${me[@]}" \
  -H 'Content-Type: application/json' -d "$claim" "$DEMO_URL/api/v1/me/claims")
[[ $refused == 409 ]] || fail "a claim before the evaluation was answered $refused, not 409"
answers=$(jq -c '{answers: ([.questions[] | select(.kind == "likert") | {session: null, question: .id, value: 4}]
  + [.sessions[] as $s | .session_questions[] | select(.kind == "likert") | {session: $s.session, question: .id, value: 5}])}' <<<"$form")
done_form=$(api "${me[@]}" -H 'Content-Type: application/json' -d "$answers" "$DEMO_URL/api/v1/me/evaluation") ||
  fail "POST /api/v1/me/evaluation: $done_form"
[[ $(jq .complete <<<"$done_form") == true ]] || fail "the evaluation is not complete after every answer: $done_form"
# Credit may grow as the crowd moves on; the claim is checked against the credit as it is received.
claimed=$(api "${me[@]}" -H 'Content-Type: application/json' -d "$claim" "$DEMO_URL/api/v1/me/claims") ||
  fail "POST /api/v1/me/claims $claim: $claimed"
total=$(jq -r '.claims.total_claimed' <<<"$claimed")
api "${me[@]}" -o "$data/certificate.pdf" "$DEMO_URL/api/v1/me/certificate.pdf" || fail "GET the certificate"
certificate=$(pdftotext -layout "$data/certificate.pdf" - | tr -s ' \n' ' ')
grep -qF "$(printf '%.2f' "$total") AMA PRA Category 1 Credit" <<<"$certificate" ||
  fail "the certificate does not award the $total credits claimed: $certificate"

# K4 went offline for an hour of meeting time and came back (the replay
# passes that time within ~15 s at 900x).
deadline=$((SECONDS + 30))
until grep -q 'K4 is back online' "$data/logs/crowd.log"; do
  ((SECONDS < deadline)) || fail "K4 did not come back online"
  sleep 0.5
done
grep -q 'K4 goes offline' "$data/logs/crowd.log" || fail "K4 never went offline"

# Ctrl-C: everything stops, cleanly, with a summary.
kill -INT "$demo"
status=0
deadline=$((SECONDS + 40))
while kill -0 "$demo" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "deploy/demo.sh did not stop within 40 s of SIGINT"
  sleep 0.2
done
wait "$demo" || status=$?
demo=""
((status == 0)) || fail "deploy/demo.sh exited $status after SIGINT"
grep -q '^demo: stopped after .* processes ended cleanly' "$out" || fail "no clean-stop summary"
remaining=$(left)
[[ -z $remaining ]] || fail "processes left: $remaining"
echo "demo test: ok ($present present, the guide has $credit credits; $(grep '^demo: stopped' "$out"))"
