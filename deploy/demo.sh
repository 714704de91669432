#!/usr/bin/env bash
# Runs a whole cmetrack meeting on this machine, with one command:
#  - installs what is missing (deploy/setup.sh) and makes a Release build
#    (build-release/), unless --bin-dir names built binaries;
#  - writes a demo meeting relative to now (4 rooms, 2 days, 40 sessions,
#    300 attendees; day 1 began about 3 hours ago, day 2 is tomorrow) and a
#    QR Code image of each attendee's badge (cmetrack-crowd meeting);
#  - makes a local certificate authority and the central node's certificate
#    (openssl; 127.0.0.1 and localhost), a staff user with a random password,
#    and starts the central node over HTTPS;
#  - enrolls four kiosks K1..K4, one a room, and starts their sync agents and
#    the kiosks: windows where a display is available, else headless kiosks
#    fed by the crowd simulator (cmetrack-crowd replay), which replays the
#    meeting from its start at --speed until it catches up with the real
#    clock, then goes on in real time. K4 goes offline for an hour (meeting
#    time) on the way: its agent is stopped while the kiosk keeps recording.
# It prints the dashboard's URL and the staff login; Ctrl-C (or --duration)
# stops every process it started, waits for them and prints a summary.
#
#   deploy/demo.sh [--headless] [--simulate] [--speed N] [--duration SECONDS]
#                  [--bin-dir DIR] [--no-setup] [--data DIR] [--port N] [--seed N]
#
# --simulate    headless kiosks fed by the crowd even where a display is
#               available (windows read a keyboard-wedge scanner or a camera,
#               which the simulator cannot type into). Without a display, or
#               with --headless, the kiosks are headless and the crowd always
#               feeds them.
# --speed N     meeting seconds a real second while catching up (default 60)
# --port N      the central node's port on 127.0.0.1 (default 8443; 0: a free one)
# --data DIR    where everything goes (default: a new temporary directory); a
#               directory a previous demo left is cleared first
#
# The data directory afterwards: meeting/ (meeting.json, badges/BADGE.png),
# pki/ (ca.pem, server.pem, server.key), central/ (central.db), kiosks/
# (K1.json, K1.db, K1.in: the FIFO the crowd writes to), logs/ (one log a
# process: central.log, K1-kiosk.log, K1-kiosk.out (one JSON line a scan),
# K1-sync.log, crowd.log), and demo.env: shell variables for scripts and
# tests (DEMO_URL, DEMO_PORT, DEMO_CA, DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN,
# DEMO_GUIDE_BADGE, DEMO_PIDS), written once the central node answers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  sed -n '/^#   deploy\/demo.sh/,/^#  *directory a previous/p' "$0" | sed 's/^# \{0,1\}//' >&"$((${1:-2} == 0 ? 1 : 2))"
  exit "${1:-2}"
}
die() { echo "demo: $*" >&2; exit 2; }
number() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 needs a whole number, got \"$2\""; }

headless=0 simulate=0 speed=60 duration=0 bin_dir="" setup=1 data="" port=8443 seed=26
while (($#)); do
  case $1 in
    --headless) headless=1 ;;
    --simulate) simulate=1 ;;
    --speed) speed=${2:?--speed needs a number}; number --speed "$speed"; shift ;;
    --duration) duration=${2:?--duration needs seconds}; number --duration "$duration"; shift ;;
    --bin-dir) bin_dir=${2:?--bin-dir needs a directory}; shift ;;
    --no-setup) setup=0 ;;
    --data) data=${2:?--data needs a directory}; shift ;;
    --port) port=${2:?--port needs a number}; number --port "$port"; shift ;;
    --seed) seed=${2:?--seed needs a number}; number --seed "$seed"; shift ;;
    -h|--help) usage 0 ;;
    *) echo "demo: unknown option \"$1\"" >&2; usage ;;
  esac
  shift
done
((speed >= 1)) || die "--speed must be at least 1"
((port <= 65535)) || die "--port must be at most 65535"

# Where the demo lives: a new directory, or one a previous demo left.
if [[ -z $data ]]; then
  data=$(mktemp -d -t cmetrack-demo-XXXXXX)
elif [[ -e $data/demo.env || -d $data/central ]]; then
  rm -rf "${data:?}"/{meeting,pki,central,kiosks,logs,demo.env}
elif [[ -d $data && -n $(ls -A "$data") ]]; then
  die "--data $data is not empty and not a previous demo's directory; name a new one"
fi
mkdir -p "$data"/{meeting,pki,central,kiosks,logs}
data=$(cd "$data" && pwd)
logs=$data/logs

# The binaries: given, or a Release build of the four the demo runs.
if [[ -z $bin_dir ]]; then
  ((setup == 0)) || "$root/deploy/setup.sh"
  echo "demo: building (Release, in build-release/; the first time takes a few minutes)"
  cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >"$logs/build.log" ||
    { cat "$logs/build.log" >&2; exit 1; }
  cmake --build "$root/build-release" -j"$(nproc)" \
    --target cmetrack-central cmetrack-kiosk cmetrack-sync cmetrack-crowd >>"$logs/build.log" 2>&1 ||
    { tail -40 "$logs/build.log" >&2; echo "demo: the build failed; see $logs/build.log" >&2; exit 1; }
  bin_dir=$root/build-release/bin
fi
for b in cmetrack-central cmetrack-kiosk cmetrack-sync cmetrack-crowd; do
  [[ -x $bin_dir/$b ]] || die "$bin_dir/$b is missing; build it (cmake --build ... --target $b) or drop --bin-dir"
done
central=$bin_dir/cmetrack-central kiosk=$bin_dir/cmetrack-kiosk sync=$bin_dir/cmetrack-sync crowd=$bin_dir/cmetrack-crowd

# Windows where a display is, unless asked otherwise; headless kiosks are
# always fed by the crowd.
windows=0
[[ -n ${DISPLAY:-} && $headless -eq 0 && $simulate -eq 0 ]] && windows=1

# Everything started from here on is stopped on the way out, in order. Job
# control puts each process in its own process group, so that the
# terminal's Ctrl-C reaches only this script, which stops the others.
set -m
pids=() names=() started=$(date +%s) stopping=0 failed="" crowd_done=0
start() {  # start NAME LOG COMMAND...: in the background, standard error to LOG
  local name=$1 log=$2
  shift 2
  "$@" </dev/null 2>>"$log" &
  pids+=("$!") names+=("$name")
}
alive() {  # PID still runs (a zombie does not)
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}
timeout_wait() {  # PID SECONDS: until PID ends, at most SECONDS
  local deadline=$((SECONDS + $2))
  while alive "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
stop_all() {  # [STATUS]: stop everything started, print a summary, exit
  ((stopping == 0)) || return 0
  stopping=1
  trap '' INT TERM HUP
  local i status
  # The crowd first (it lets a stopped agent go on), then the kiosks, the
  # agents (which may be stopped: SIGCONT), the central node last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -CONT "${pids[i]}" 2>/dev/null || true
    kill -TERM "${pids[i]}" 2>/dev/null || true
    if ! timeout_wait "${pids[i]}" 15; then
      kill -KILL "${pids[i]}" 2>/dev/null || true
      failed+=" ${names[i]}(killed: did not stop within 15 s)"
    fi
    status=0
    wait "${pids[i]}" 2>/dev/null || status=$?
    # 0, or ended by the SIGTERM sent here or the terminal's SIGINT
    [[ $status -eq 0 || $status -eq 143 || $status -eq 130 ]] || failed+=" ${names[i]}(exit $status)"
  done
  local kiosk_scans stored="?"
  kiosk_scans=$(cat "$data"/logs/K*-kiosk.out 2>/dev/null | grep -vc '"result": *"error"' || true)
  if "$central" export --data "$data/central" --scans --out "$data/scans-export.csv" >/dev/null 2>&1; then
    stored=$(($(wc -l <"$data/scans-export.csv") - 1))
  fi
  if [[ -n $failed ]]; then
    echo "demo: stopped after $(($(date +%s) - started)) s; these did not end cleanly:$failed; logs in $logs" >&2
    exit 1
  fi
  echo "demo: stopped after $(($(date +%s) - started)) s: ${#pids[@]} processes ended cleanly; the kiosks recorded" \
    "$kiosk_scans scans, the central node stored $stored; everything is in $data"
  exit "${1:-0}"
}
trap stop_all INT TERM HUP
trap 'status=$?; ((stopping || ${#pids[@]} == 0)) || { echo "demo: failed; stopping what was started" >&2; stop_all "$status"; }; exit $status' EXIT

# The meeting, relative to now, and its badges.
"$crowd" meeting --out "$data/meeting" --seed "$seed" | tee "$logs/meeting.out"
guide=$(sed -n 's/^guide badge: \([^ ]*\).*/\1/p' "$logs/meeting.out")
meeting=$data/meeting/meeting.json

# A certificate authority and the central node's certificate (2 days).
pki=$data/pki
(
  cd "$pki"
  ec=ec_paramgen_curve:P-256
  openssl req -x509 -newkey ec -pkeyopt "$ec" -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj "/CN=cmetrack demo CA" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign
  openssl req -new -newkey ec -pkeyopt "$ec" -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext
  chmod 600 ca.key server.key
) >"$logs/pki.log" 2>&1 || { cat "$logs/pki.log" >&2; echo "demo: openssl could not make the certificates" >&2; exit 1; }

# The central node's store, a staff user, and the node itself.
"$central" init --data "$data/central" --meeting "$meeting" >"$logs/init.out"
password=$(openssl rand -hex 6)
token=$(printf '%s\n' "$password" | "$central" staff --data "$data/central" --user desk --password-stdin 2>>"$logs/init.out")
started=$(date +%s)  # --duration counts from here
start central "$logs/central.log" "$central" serve --data "$data/central" --listen "127.0.0.1:$port" \
  --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" >"$logs/central.out"
url=""
for ((i = 0; i < 300; i++)); do
  url=$(sed -n 's/^listening on \(https:[^ ]*\).*/\1/p' "$logs/central.out")
  [[ -n $url ]] && break
  alive "${pids[0]}" || { tail -5 "$logs/central.log" >&2; echo "demo: the central node did not start; see $logs/central.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n $url ]] || { echo "demo: the central node did not say where it listens within 30 s; see $logs/central.log" >&2; exit 1; }
port=${url##*:}
port=${port%%/*}

# Four kiosks, one a room, and their agents.
kiosks=(K1 K2 K3 K4) rooms=(R1 R2 R3 R4) feed=()
for k in 0 1 2 3; do
  id=${kiosks[k]} cfg=$data/kiosks/${kiosks[k]}.json db=$data/kiosks/${kiosks[k]}.db
  "$central" enroll --data "$data/central" --kiosk "$id" --room "${rooms[k]}" --door main \
    --central-url "https://127.0.0.1:$port" --ca-cert "$pki/ca.pem" --out "$cfg" >>"$logs/enroll.out"
  "$kiosk" --config "$cfg" --db "$db" --load-meeting "$meeting" >>"$logs/enroll.out"
  start "$id-sync" "$logs/$id-sync.log" "$sync" --config "$cfg" --db "$db"
  agent_pid=${pids[-1]}
  if ((windows)); then
    start "$id-kiosk" "$logs/$id-kiosk.log" "$kiosk" --config "$cfg" --db "$db" >"$logs/$id-kiosk.out"
  else
    # Its standard input is a FIFO the crowd writes to; opened in the
    # background job, and held open here too, so that the kiosk sees no end
    # of input when the crowd is done.
    mkfifo "$data/kiosks/$id.in"
    "$kiosk" --config "$cfg" --db "$db" --headless --simulated-clock \
      <"$data/kiosks/$id.in" >"$logs/$id-kiosk.out" 2>>"$logs/$id-kiosk.log" &
    pids+=("$!") names+=("$id-kiosk")
    exec {hold}<>"$data/kiosks/$id.in"
    feed+=(--kiosk "$id=${rooms[k]}=$data/kiosks/$id.in")
  fi
done
if ((!windows)); then
  start crowd "$logs/crowd.log" "$crowd" replay --meeting "$meeting" "${feed[@]}" --speed "$speed" \
    --seed "$seed" --offline "K4=$agent_pid" >>"$logs/crowd.log"
fi

# The attendees' claim codes (what the provider mails), and the guide's.
"$central" export --data "$data/central" --claim-codes --url "$url" --out "$data/claim-codes.csv" >>"$logs/init.out"
guide_code=$(awk -F, -v b="${guide#DEMO-}" '$1 == b { print $3 }' "$data/claim-codes.csv")

cat >"$data/demo.env.tmp" <<EOF
DEMO_URL=$url
DEMO_PORT=$port
DEMO_CA=$pki/ca.pem
DEMO_USER=desk
DEMO_PASSWORD=$password
DEMO_TOKEN=$token
DEMO_GUIDE_BADGE=$guide
DEMO_GUIDE_CODE=$guide_code
DEMO_PIDS="${pids[*]}"
EOF
mv "$data/demo.env.tmp" "$data/demo.env"

cat <<EOF

Dashboard: $url/  login: desk / $password
CA certificate: $pki/ca.pem (import it into the browser to trust the page, or accept the warning)
API: curl --cacert $pki/ca.pem -H "Authorization: Bearer $token" $url/api/v1/rooms
Transcript of the guide, who attends every session of Ballroom A: $url/api/v1/attendees/${guide#DEMO-}/transcript
Attendee page: $url/me  the guide signs in with badge ${guide#DEMO-} and claim code $guide_code
  (every attendee's code and personal URL: $data/claim-codes.csv)
EOF
if ((windows)); then
  echo "Kiosks: four windows (K1-K4); scan a badge image from $data/meeting/badges with a camera or scanner,"
  echo "  or type a badge (e.g. $guide) and Enter."
else
  echo "Kiosks: headless K1-K4, fed by the crowd from the meeting's start at ${speed}x until it catches up with now"
  echo "  (K4 goes offline for an hour of meeting time on the way); progress in $logs/crowd.log"
fi
echo "Badge images: $data/meeting/badges; logs: $logs"
if ((duration > 0)); then echo "Stops by itself after $duration s, or on Ctrl-C."; else echo "Ctrl-C stops everything."; fi

# Until Ctrl-C, --duration, or a process ending on its own (the crowd may
# finish the meeting).
while :; do
  if ((duration > 0 && $(date +%s) - started >= duration)); then stop_all; fi
  for i in "${!pids[@]}"; do
    alive "${pids[i]}" && continue
    if [[ ${names[i]} == crowd ]]; then
      ((crowd_done)) || echo "demo: the crowd has finished ($(tail -1 "$logs/crowd.log")); Ctrl-C stops the rest"
      crowd_done=1
      continue
    fi
    echo "demo: ${names[i]} ended on its own; see $logs" >&2
    failed+=" ${names[i]}(ended early)"
    stop_all 1
  done
  sleep 1 &
  wait $! || true
done
