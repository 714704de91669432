#!/usr/bin/env bash
# The central node at congress size (BENCHMARKS.md, "The central node at congress size"):
#
#   tests/bench/serve_bench.sh BIN_DIR CONGRESS_DIR [--before BIN] [--seconds N] [--rate N]
#                              [--kiosks N] [--export-scans N] [--rounds N] [--work DIR]
#                              [--commit-every N]
#
# CONGRESS_DIR holds meeting.json and scans.csv (cmetrack-bench-congress). Once:
# init + ingest of scans.csv, --kiosks kiosks enrolled (spread over the rooms),
# a staff user. Then, for each binary (BIN_DIR's cmetrack-central, and --before's
# when given, alternating which goes first, --rounds times), on a copy of that store:
#   serve on plain HTTP (loopback) with the clock set by libfaketime to 30 s before
#   the busiest block end of day 2 (cmetrack-bench-serve plan), so stays end by
#   time alone during the run; the load (cmetrack-bench-serve load: one-scan
#   batches from every kiosk at --rate a second, 5 staff streams, the desk reading
#   two transcripts a second) for --seconds; 20 s in, another process ingests a
#   dead kiosk's export of --export-scans scans (in one transaction, or with
#   `ingest --commit-every N`, which --before's binary may not know).
# Prints `LABEL.name value unit` lines (LABEL: after, before) to standard output,
# progress to standard error.
set -euo pipefail
export LC_ALL=C

bin=${1:?usage: serve_bench.sh BIN_DIR CONGRESS_DIR [options]}
congress=${2:?usage: serve_bench.sh BIN_DIR CONGRESS_DIR [options]}
shift 2
before="" seconds=60 rate=150 kiosks=200 export_scans=20000 rounds=1 work="" commit_every=""
while (($#)); do
  case $1 in
    --before | --seconds | --rate | --kiosks | --export-scans | --rounds | --work | --commit-every)
      (($# >= 2)) || { echo "serve_bench.sh: $1 needs a value" >&2; exit 2; }
      v=${1#--}; printf -v "${v//-/_}" '%s' "$2"; shift 2 ;;
    *) echo "serve_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
faketime_lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
[[ -f $faketime_lib ]] || { echo "serve_bench.sh: $faketime_lib is missing (deploy/setup.sh installs faketime)" >&2; exit 1; }
work=${work:-$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-serve-bench.XXXXXX")}
mkdir -p "$work"
meeting=$congress/meeting.json
say() { printf '%s\n' "$*" >&2; }

serve_pid="" ingest_pid=""
cleanup() {
  [[ -n $ingest_pid ]] && kill "$ingest_pid" 2>/dev/null || true
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null || true
}
trap cleanup EXIT

# The store, once: the congress ingested, the kiosks enrolled, a staff token.
base=$work/base
if [[ ! -f $base/ready ]]; then
  rm -rf "$base"
  say "== the congress ingested into $base"
  "$bin/cmetrack-central" init --data "$base" --meeting "$meeting" >/dev/null
  "$bin/cmetrack-central" ingest --data "$base" "$congress/scans.csv" >&2
  mapfile -t rooms < <("$bin/cmetrack-bench-serve" rooms --meeting "$meeting")
  say "== $kiosks kiosks enrolled over ${#rooms[@]} rooms"
  : >"$base/kiosks.txt"
  for ((k = 0; k < kiosks; k++)); do
    room=${rooms[k % ${#rooms[@]}]}
    id=$(printf 'LOAD%03d' "$k")
    "$bin/cmetrack-central" enroll --data "$base" --kiosk "$id" --room "$room" --door D1 --out "$base/$id.json" \
      --central-url http://127.0.0.1:8443 >/dev/null
    token=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' "$base/$id.json")
    [[ -n $token ]] || { say "serve_bench.sh: no token in $base/$id.json"; exit 1; }
    echo "$id $token $room D1" >>"$base/kiosks.txt"
    rm "$base/$id.json"
  done
  "$bin/cmetrack-central" staff --data "$base" --user bench 2>/dev/null >"$base/staff.token"
  touch "$base/ready"
fi
staff_token=$(tr -d '\n' <"$base/staff.token")
at=$("$bin/cmetrack-bench-serve" plan --meeting "$meeting")
"$bin/cmetrack-bench-serve" export --meeting "$meeting" --at "$(((at + 50) * 1000))" --scans "$export_scans" \
  --out "$work/dead-kiosk.csv"

# One run: $1 the label, $2 the cmetrack-central to serve with.
run_one() {
  local label=$1 central=$2 data=$work/run-$1
  say "== $label: $central"
  rm -rf "$data"
  cp -r "$base" "$data"
  sync  # the copy written back first: serve does not start beside 0.9 GiB of writeback
  # The clock 5 s before the plan when serve starts: its first picture is built by then.
  local offset=$((at - 5 - $(date +%s)))
  local clock=(env LD_PRELOAD="$faketime_lib" FAKETIME="$(printf '%+d' "$offset")" FAKETIME_DONT_FAKE_MONOTONIC=1
    DONT_FAKE_MONOTONIC=1 FAKETIME_NO_CACHE=1)
  rm -f "$data/serve.out"
  "${clock[@]}" "$central" serve --data "$data" --listen 127.0.0.1:0 --idle-timeout-ms 600000 \
    >"$data/serve.out" 2>"$data/serve.log" &
  serve_pid=$!
  local port=""
  for ((i = 0; i < 1500; i++)); do
    port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$data/serve.out" 2>/dev/null)
    [[ -n $port ]] && break
    sleep 0.02
  done
  [[ -n $port ]] || { say "serve_bench.sh: serve did not start"; cat "$data/serve.log" >&2; exit 1; }
  ( sleep 20
    "${clock[@]}" "$central" ingest --data "$data" ${commit_every:+--commit-every "$commit_every"} \
      "$work/dead-kiosk.csv" >"$data/ingest.out" 2>&1
    echo "ingest.exit $?" >>"$data/ingest.out" ) &
  ingest_pid=$!
  # The load's own clock is not moved (Asio's timers stall under libfaketime):
  # it adds the offset to the scans' times instead.
  "$bin/cmetrack-bench-serve" load --url "http://127.0.0.1:$port" --meeting "$meeting" \
    --kiosks "$data/kiosks.txt" --staff-token "$staff_token" --rate "$rate" --seconds "$seconds" \
    --server-pid "$serve_pid" --clock-offset-ms "$((offset * 1000))" >"$data/load.txt" 2>"$data/load.err" ||
    { cat "$data/load.err" >&2; exit 1; }
  wait "$ingest_pid" || true
  ingest_pid=""
  kill -TERM "$serve_pid"
  wait "$serve_pid" || true
  serve_pid=""
  cat "$data/load.err" >&2
  say "   ingest: $(tr '\n' ' ' <"$data/ingest.out")"
  sed "s/^/$label./" "$data/load.txt"
  echo "$label.ingest_exit $(sed -n 's/^ingest.exit //p' "$data/ingest.out") code"
  mv "$data/serve.log" "$work/serve-$label.log"  # kept: each request's time, the rebuilds
  rm -rf "$data"
}

for ((r = 1; r <= rounds; r++)); do
  if [[ -z $before ]]; then
    run_one after "$bin/cmetrack-central"
  elif ((r % 2)); then
    run_one before "$before"; run_one after "$bin/cmetrack-central"
  else
    run_one after "$bin/cmetrack-central"; run_one before "$before"
  fi
done
