#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, CI and the demo: made in a
# directory of its own, listening only on a unix socket there, set up for
# speed over durability (fsync off), and removed with everything in it.
#
#   deploy/postgres-cluster.sh start DIR   makes and starts it; prints one line,
#                                          the libpq URL of its `postgres` database:
#                                          postgresql:///postgres?host=%2Fthe%2Fdir&user=USER
#   deploy/postgres-cluster.sh stop DIR    stops it and removes DIR (exit 0 when it
#                                          was not running)
#
#   url=$(deploy/postgres-cluster.sh start "$(mktemp -d /tmp/pg.XXXXXX)")
#   psql "$url" -c 'SELECT 1'
#
# DIR must not exist or be empty. The data go to DIR/data, the server's log
# to DIR/server.log. PostgreSQL does not run as root: run as root, the
# cluster's files belong to the `postgres` system user (made by Debian's
# postgresql-15 package), which must be able to reach DIR (its parents
# searchable by others, as /tmp is: `mktemp -d /tmp/...` is right) and the
# database superuser is `postgres`; run as another user, it is that user.
# Needs postgresql-15 (deploy/setup.sh).
set -euo pipefail

me=postgres-cluster.sh
usage() { echo "usage: deploy/$me start DIR | stop DIR" >&2; exit 2; }
fail() { echo "$me: $*" >&2; exit 1; }

(($# == 2)) || usage
command=$1
[[ -n $2 ]] || usage
dir=$(realpath -m -- "$2")
data=$dir/data
log=$dir/server.log
marker=$dir/.postgres-cluster  # says DIR is ours to remove
cd /  # the postgres user may not be able to read the caller's directory

# The server's binaries: Debian's, else the first on PATH.
bindir=/usr/lib/postgresql/15/bin
if [[ ! -x $bindir/initdb ]]; then
  initdb_path=$(command -v initdb || true)
  [[ -n $initdb_path ]] || fail "initdb not found (in $bindir or on PATH): run deploy/setup.sh (it installs postgresql-15)"
  bindir=$(dirname "$initdb_path")
fi

as_owner=()
if (($(id -u) == 0)); then
  id -u postgres >/dev/null 2>&1 ||
    fail "no \`postgres\` system user, which runs the server when this runs as root: run deploy/setup.sh (it installs postgresql-15)"
  command -v runuser >/dev/null || fail "runuser not found (util-linux): needed to run the server as \`postgres\` when run as root"
  as_owner=(runuser -u postgres --)
  db_user=postgres
else
  db_user=$(id -un)
fi

# Percent-encodes everything but unreserved characters (RFC 3986).
url_encode() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [a-zA-Z0-9.~_-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

# The PIDs of processes working in the data directory (the server and its children).
cluster_pids() {
  local pattern cwd
  pattern=$(printf '%s' "$data" | sed 's/[][*?\\]/\\&/g')  # find's -lname takes a glob
  find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$pattern" 2>/dev/null | while read -r cwd; do
    cwd=${cwd#/proc/}
    echo "${cwd%/cwd}"
  done
}

# Whether the cluster's server is running: the PID in postmaster.pid is a
# live process working in the data directory (not a killed server's PID,
# nor another process's that reuses it).
running() {
  local pid pids
  pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null) || return 1
  pids=$(cluster_pids)
  [[ $pid =~ ^[0-9]+$ ]] && grep -qx "$pid" <<<"$pids"
}

log_tail() { [[ -f $log ]] && { echo "--- the last lines of $log:"; tail -n 30 "$log"; } >&2; return 0; }

start() {
  if [[ -e $dir ]]; then
    [[ -d $dir ]] || fail "$dir exists and is not a directory: give a new or empty directory"
    [[ -z $(ls -A -- "$dir") ]] || fail "$dir is not empty: give a new or empty directory"
  else
    mkdir -p -- "$dir" || fail "cannot make $dir"
  fi
  # The socket's path, DIR/.s.PGSQL.5432, must fit in 107 bytes.
  ((${#dir} <= 90)) || fail "$dir is too long for a unix socket's path (at most 90 characters): choose a shorter DIR"
  touch "$marker"
  chmod 700 "$dir"  # trust authentication: only its owner may reach the socket
  if ((${#as_owner[@]})); then
    chown postgres: "$dir" "$marker"
    "${as_owner[@]}" test -w "$dir" ||
      fail "the postgres user cannot reach $dir: choose DIR under /tmp (or let others search its parent directories: chmod o+x)"
  fi

  local out
  out=$("${as_owner[@]}" "$bindir/initdb" -D "$data" -U "$db_user" --auth=trust --encoding=UTF8 --locale=C \
    --no-sync --no-instructions 2>&1) || { echo "$out" >&2; fail "initdb failed (above); remove the directory with: deploy/$me stop $dir"; }
  # Settings for a test machine: nothing survives a crash, nothing needs to.
  local quoted=${dir//\'/\'\'}
  "${as_owner[@]}" tee -a "$data/postgresql.conf" >/dev/null <<EOF

# deploy/postgres-cluster.sh: a throwaway cluster on a unix socket only
listen_addresses = ''
unix_socket_directories = '$quoted'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
EOF
  "${as_owner[@]}" "$bindir/pg_ctl" start -D "$data" -l "$log" -W >/dev/null ||
    { log_tail; fail "pg_ctl start failed (the log above); remove the directory with: deploy/$me stop $dir"; }

  # Ready when it accepts connections; a server that died says so in its log.
  local deadline=$((SECONDS + 30))
  until "$bindir/pg_isready" -q -h "$dir" -U "$db_user" -d postgres; do
    if ((SECONDS >= deadline)); then
      "${as_owner[@]}" "$bindir/pg_ctl" stop -D "$data" -m immediate >/dev/null 2>&1 || true
      log_tail
      fail "the server in $data did not accept connections within 30 s (the log above); remove the directory with: deploy/$me stop $dir"
    fi
    if [[ -f $log ]] && grep -qE '(FATAL|PANIC):' "$log" && ! running; then
      log_tail
      fail "the server in $data did not start (the log above); remove the directory with: deploy/$me stop $dir"
    fi
    sleep 0.1
  done
  echo "postgresql:///postgres?host=$(url_encode "$dir")&user=$(url_encode "$db_user")"
}

stop() {
  [[ -e $dir ]] || exit 0
  [[ -d $dir ]] || fail "$dir is not a directory"
  if [[ ! -e $marker ]]; then
    [[ -z $(ls -A -- "$dir") ]] || fail "$dir was not made by \`deploy/$me start\` (no $marker): not removing it"
    rmdir -- "$dir"
    exit 0
  fi
  if running; then
    "${as_owner[@]}" "$bindir/pg_ctl" stop -D "$data" -m fast -t 30 >/dev/null 2>&1 ||
      "${as_owner[@]}" "$bindir/pg_ctl" stop -D "$data" -m immediate -t 10 >/dev/null 2>&1 ||
      echo "$me: pg_ctl stop failed; killing the server's processes" >&2
  fi
  # What is left (a server that was killed leaves its children a moment; one
  # that would not stop): up to 5 s to exit, then SIGKILL.
  local deadline=$((SECONDS + 5)) pids
  while pids=$(cluster_pids) && [[ -n $pids ]]; do
    if ((SECONDS >= deadline)); then
      # shellcheck disable=SC2086  # one PID a word
      kill -KILL $pids 2>/dev/null || true
      sleep 0.2
      [[ -z $(cluster_pids) ]] || fail "cannot end the server's processes ($(cluster_pids | tr '\n' ' ')): $dir left in place"
      break
    fi
    sleep 0.1
  done
  rm -rf -- "$dir" || fail "cannot remove $dir"
}

case $command in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
