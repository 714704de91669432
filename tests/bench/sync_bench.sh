#!/usr/bin/env bash
# The sync path's benchmark (BENCHMARKS.md, "The sync path"), on loopback over TLS:
#
#   tests/bench/sync_bench.sh BIN_DIR [--scans N] [--one-by-one N] [--kiosks N]
#                             [--latency-scans N] [--rate N] [--rounds N] [--work DIR]
#
# Defaults: 100,000 queued scans, a 10,000-scan subset sent one request per scan,
# 200 kiosk connections, 600 live scans at 20/s, 2 rounds of ingest vs anchor.
# a) catch-up: N scans queued in a kiosk.db (sqlite3, a recursive CTE) while the
#    central node is up; `cmetrack-sync --once` times the whole delivery. Then the
#    one-by-one subset, --batch-size 1, against a batched run of the same size.
# b) ingest over HTTP (cmetrack-bench-sync post: batches of 500 over one TLS
#    connection, nothing marked at the kiosk) against a bare SQLite insert of the
#    same rows (cmetrack-bench-sync anchor), alternating, a fresh store each.
# c) the central node's VmRSS/VmHWM while N TLS keep-alive connections are held,
#    each having fetched its kiosk config (cmetrack-bench-sync hold).
# d) delivery latency: a headless kiosk (real clock) fed at --rate scans/s, its
#    agent running, serve; central's received_ms - the kiosk's at_ms per scan.
# Prints `name value unit` lines to standard output, progress to standard error.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:?usage: sync_bench.sh BIN_DIR [options]}
shift
scans=100000 one_by_one=10000 kiosks=200 latency_scans=600 rate=20 rounds=2 work=""
while (($#)); do
  case $1 in
    --scans | --one-by-one | --kiosks | --latency-scans | --rate | --rounds | --work)
      (($# >= 2)) || { echo "sync_bench.sh: $1 needs a value" >&2; exit 2; }
      v=${1#--}; printf -v "${v//-/_}" '%s' "$2"; shift 2 ;;
    *) echo "sync_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
work=${work:-$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-sync-bench.XXXXXX")}
mkdir -p "$work"
meeting=$root/assets/demo/meeting.json
say() { printf '%s\n' "$*" >&2; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
per_s() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }
figure() { awk -v n="$2" '$1 == n { print $2 }' "$1"; }
percentile() { awk -v p="$2" '{ v[NR] = $1 } END { r = int(p * NR + 0.999999); if (r < 1) r = 1; print v[r] }' "$1"; }

serve_pid=""
agent_pid=""
cleanup() {
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null || true
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null || true
}
trap cleanup EXIT

# Certificates as tests/e2e/system.cpp makes them.
if [[ ! -f $work/central.pem ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=cmetrack bench CA" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 \
    -keyout "$work/central.key" -out "$work/central.csr" 2>/dev/null
  echo "subjectAltName=IP:127.0.0.1" >"$work/san.ext"
  openssl x509 -req -in "$work/central.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/san.ext" -out "$work/central.pem" 2>/dev/null
fi

# A fresh central node in $work/$1 (init, serve, one kiosk K1 enrolled for R01
# with a loaded kiosk.db): sets serve_pid and port.
start_central() {
  local name=$1
  [[ -n $serve_pid ]] && stop_central
  rm -rf "${work:?}/$name"
  mkdir -p "$work/$name"
  "$bin/cmetrack-central" init --data "$work/$name/central" --meeting "$meeting" >/dev/null
  "$bin/cmetrack-central" serve --data "$work/$name/central" --listen 127.0.0.1:0 --tls-cert "$work/central.pem" \
    --tls-key "$work/central.key" --idle-timeout-ms 600000 >"$work/$name/serve.out" 2>"$work/$name/serve.log" &
  serve_pid=$!
  for ((i = 0; i < 300; i++)); do
    grep -q listening "$work/$name/serve.out" 2>/dev/null && break
    sleep 0.02
  done
  port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/$name/serve.out")
  [[ -n $port ]] || { cat "$work/$name/serve.log" >&2; exit 1; }
  "$bin/cmetrack-central" enroll --data "$work/$name/central" --kiosk K1 --room R01 --door R01-main \
    --out "$work/$name/kiosk.json" --central-url "https://127.0.0.1:$port" --ca-cert "$work/ca.pem" >/dev/null
  "$bin/cmetrack-kiosk" --config "$work/$name/kiosk.json" --db "$work/$name/kiosk.db" --load-meeting "$meeting" \
    >/dev/null
}
stop_central() {
  kill -TERM "$serve_pid"
  wait "$serve_pid" || true
  serve_pid=""
}

# N scans queued in $work/$1/kiosk.db as the kiosk stores them: version 4 UUIDs,
# seq 1..N, the roster's badges as scanned (DEMO26-nnnnnn, some bare), the day's
# times from 07:45 New York a few hundred ms apart.
fill_outbox() {
  sqlite3 "$work/$1/kiosk.db" <<EOF
PRAGMA synchronous = FULL;
CREATE TEMP TABLE b AS SELECT row_number() OVER (ORDER BY badge) - 1 AS k, badge FROM roster;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO scans (id, seq, payload, badge, room, door, direction, at_ms, source, result)
SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)
         || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(lower(hex(randomblob(2))), 2) || '-'
         || lower(hex(randomblob(6))),
       i, CASE WHEN i % 5 = 0 THEN b.badge ELSE 'DEMO26-' || b.badge END, b.badge, 'R01', 'R01-main', 'auto',
       1777031100000 + i * 331, CASE WHEN i % 20 = 0 THEN 'camera' ELSE 'scanner' END,
       CASE WHEN i % 2 = 0 THEN 'checked_out' ELSE 'checked_in' END
FROM n JOIN b ON b.k = (i * 7919) % (SELECT count(*) FROM b);
EOF
  local queued
  queued=$(sqlite3 "$work/$1/kiosk.db" "SELECT count(*) FROM scans WHERE sent = 0")
  [[ $queued == "$2" ]] || { say "sync_bench.sh: $queued scans queued, not $2"; exit 1; }
}

stored() { sqlite3 "$work/$1/central/central.db" "SELECT count(*) FROM scans"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# Times `cmetrack-sync --once --batch-size B` over the queued outbox of $1.
catch_up() {
  local name=$1 n=$2 batch=$3 t0 t1
  t0=$EPOCHREALTIME
  "$bin/cmetrack-sync" --config "$work/$name/kiosk.json" --db "$work/$name/kiosk.db" --once --batch-size "$batch" \
    --timeout-ms 30000 2>"$work/$name/agent.log"
  t1=$EPOCHREALTIME
  local got
  got=$(stored "$name")
  [[ $got == "$n" ]] || { say "sync_bench.sh: central holds $got scans, not $n"; tail "$work/$name/agent.log" >&2; exit 1; }
  ms_between "$t0" "$t1"
}

# a) Catch-up.
say "== a) catch-up: $scans scans, batches of 500"
start_central catchup
fill_outbox catchup "$scans"
catchup_ms=$(catch_up catchup "$scans" 500)
say "   $catchup_ms ms"
echo "catchup.scans $scans scans"
echo "catchup.ms $catchup_ms ms"
echo "catchup.scans_per_s $(per_s "$scans" "$catchup_ms") scans/s"
echo "catchup.serve_rss_after $(rss_kib "$serve_pid") KiB"
echo "catchup.serve_hwm_after $(hwm_kib "$serve_pid") KiB"
awk '/POST \/api\/v1\/scans 200/ { sub("ms", "", $5); print $5 }' "$work/catchup/serve.log" | sort -g >"$work/batch.ms"
echo "catchup.server_batch_p50 $(percentile "$work/batch.ms" 0.5) ms"
echo "catchup.server_batch_max $(percentile "$work/batch.ms" 1) ms"

say "== a) $one_by_one scans: one request per scan, then batches of 500"
start_central onebyone
fill_outbox onebyone "$one_by_one"
single_ms=$(catch_up onebyone "$one_by_one" 1)
say "   one by one: $single_ms ms"
start_central subset
fill_outbox subset "$one_by_one"
subset_ms=$(catch_up subset "$one_by_one" 500)
say "   batches of 500: $subset_ms ms"
echo "onebyone.scans $one_by_one scans"
echo "onebyone.ms $single_ms ms"
echo "onebyone.scans_per_s $(per_s "$one_by_one" "$single_ms") scans/s"
echo "subset_batched.ms $subset_ms ms"
echo "subset_batched.scans_per_s $(per_s "$one_by_one" "$subset_ms") scans/s"
echo "batched_over_onebyone $(awk -v a="$single_ms" -v b="$subset_ms" 'BEGIN { printf "%.1f", a / b }') x"

# b) Ingest over HTTP against the bare SQLite insert, alternating.
say "== b) ingest over HTTP vs bare SQLite insert, $scans scans, $rounds rounds"
: >"$work/post.rates"; : >"$work/anchor.rates"
http_round() {
  start_central ingest
  fill_outbox ingest "$scans"
  sync
  "$bin/cmetrack-bench-sync" post --config "$work/ingest/kiosk.json" --db "$work/ingest/kiosk.db" >"$work/post.txt"
  [[ $(stored ingest) == "$scans" ]] || { say "sync_bench.sh: ingest stored $(stored ingest) scans"; exit 1; }
  figure "$work/post.txt" post.scans_per_s >>"$work/post.rates"
  say "   HTTP ingest   $(figure "$work/post.txt" post.scans_per_s) scans/s"
}
anchor_round() {
  sync
  "$bin/cmetrack-bench-sync" anchor --db "$work/ingest/kiosk.db" --out "$work/anchor.db" >"$work/anchor.txt"
  figure "$work/anchor.txt" anchor.scans_per_s >>"$work/anchor.rates"
  say "   bare SQLite   $(figure "$work/anchor.txt" anchor.scans_per_s) scans/s"
}
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then http_round; anchor_round; else stop_central; anchor_round; http_round; fi
done
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
post_rate=$(median <"$work/post.rates")
anchor_rate=$(median <"$work/anchor.rates")
echo "ingest.http_scans_per_s $post_rate scans/s"
echo "ingest.anchor_scans_per_s $anchor_rate scans/s"
echo "ingest.http_over_anchor $(awk -v a="$post_rate" -v b="$anchor_rate" 'BEGIN { printf "%.0f", 100 * a / b }') %"
echo "ingest.raw_http $(tr '\n' ' ' <"$work/post.rates")"
echo "ingest.raw_anchor $(tr '\n' ' ' <"$work/anchor.rates")"

# c) Memory with N kiosks connected (the store holds the ingest's scans).
say "== c) $kiosks kiosk connections held"
stop_central
# A fresh port: the old one may meanwhile be some client's ephemeral port.
# The old serve.out goes first: the background job truncates it only once
# it runs, and the loop below must not read the old port.
rm -f "$work/ingest/serve.out"
"$bin/cmetrack-central" serve --data "$work/ingest/central" --listen 127.0.0.1:0 --tls-cert "$work/central.pem" \
  --tls-key "$work/central.key" --idle-timeout-ms 600000 >"$work/ingest/serve.out" 2>"$work/ingest/serve-hold.log" &
serve_pid=$!
hold_port=""
for ((i = 0; i < 1500; i++)); do
  hold_port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/ingest/serve.out" 2>/dev/null)
  [[ -n $hold_port ]] && break
  sleep 0.02
done
[[ -n $hold_port ]] || { say "sync_bench.sh: serve did not start again"; cat "$work/ingest/serve-hold.log" >&2; exit 1; }
sed "s#\"central_url\": *\"[^\"]*\"#\"central_url\": \"https://127.0.0.1:$hold_port\"#" "$work/ingest/kiosk.json" \
  >"$work/ingest/kiosk-hold.json"
"$bin/cmetrack-bench-sync" hold --config "$work/ingest/kiosk-hold.json" --connections "$kiosks" --pid "$serve_pid" \
  >"$work/hold.txt" || { cat "$work/ingest/serve-hold.log" >&2; exit 1; }
cat "$work/hold.txt"
say "   VmRSS $(figure "$work/hold.txt" hold.rss) KiB with $kiosks connections"

# d) Delivery latency: a live kiosk at --rate scans/s, its agent running.
say "== d) delivery latency: $latency_scans scans at $rate/s"
start_central latency
"$bin/cmetrack-sync" --config "$work/latency/kiosk.json" --db "$work/latency/kiosk.db" 2>"$work/latency/agent.log" &
agent_pid=$!
mapfile -t badges < <(sqlite3 "$work/latency/kiosk.db" "SELECT badge FROM roster ORDER BY badge")
gap=$(awk -v r="$rate" 'BEGIN { printf "%.4f", 1 / r }')
for ((i = 0; i < latency_scans; i++)); do
  echo "DEMO26-${badges[(i * 7919) % ${#badges[@]}]}"
  sleep "$gap"
done | "$bin/cmetrack-kiosk" --config "$work/latency/kiosk.json" --db "$work/latency/kiosk.db" --headless \
  >"$work/latency/kiosk.out" 2>"$work/latency/kiosk.log" ||
  { say "sync_bench.sh: cmetrack-kiosk failed:"; cat "$work/latency/kiosk.log" >&2; exit 1; }
for ((i = 0; i < 500; i++)); do
  [[ $(stored latency) == "$latency_scans" ]] && break
  sleep 0.02
done
[[ $(stored latency) == "$latency_scans" ]] || { say "sync_bench.sh: central holds $(stored latency) of $latency_scans"; exit 1; }
kill -TERM "$agent_pid"; wait "$agent_pid" || true; agent_pid=""
sqlite3 "$work/latency/central/central.db" "SELECT received_ms - kiosk_at_ms FROM scans" | sort -g >"$work/latency.ms"
echo "latency.scans $(wc -l <"$work/latency.ms") scans"
echo "latency.p50 $(percentile "$work/latency.ms" 0.5) ms"
echo "latency.p95 $(percentile "$work/latency.ms" 0.95) ms"
echo "latency.max $(percentile "$work/latency.ms" 1) ms"
stop_central
say "(work files in $work)"
