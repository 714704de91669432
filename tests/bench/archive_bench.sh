#!/usr/bin/env bash
# The provider's archive at congress size (BENCHMARKS.md, "The provider's
# archive"): called by tests/bench/run.sh archive, which builds BIN and makes
# the congress.
#
#   tests/bench/archive_bench.sh BIN CONGRESS --work DIR [--rounds N]
#
# Each round, side by side: the anchor, `cmetrack-central ingest` of the
# congress's scans.csv into a fresh central.db (SQLite, after an untimed
# init); then `cmetrack-central archive` of that central.db into a fresh
# database of a throwaway PostgreSQL 15 cluster (deploy/postgres-cluster.sh,
# switched to durable settings: fsync, full-page writes and synchronous
# commit on), and the same archive again (every row already there). Wall
# time and peak RSS of each; the medians and their ratios to the ingest.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:?BIN}
congress=${2:?CONGRESS}
shift 2
work= rounds=1
while (($#)); do
  case $1 in
    --work) work=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    *) echo "archive_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n $work ]] || { echo "archive_bench.sh: --work DIR is required" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work"
say() { printf '%s\n' "$*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

pg_dir=$(mktemp -d /tmp/cmetrack-bench-pg.XXXXXX)
trap 'deploy_stop=$("$root/deploy/postgres-cluster.sh" stop "$pg_dir" 2>&1) || echo "$deploy_stop" >&2' EXIT
admin=$("$root/deploy/postgres-cluster.sh" start "$pg_dir")
psql() { "/usr/lib/postgresql/15/bin/psql" "$@"; }
# A provider's database syncs what it commits.
psql "$admin" -X -q -v ON_ERROR_STOP=1 \
  -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET full_page_writes = on" \
  -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
url_of() { printf '%s' "$admin" | sed "s|:///postgres?|:///$1?|"; }

# Runs a command; appends "seconds peak_kib" to $1.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/last.txt" 2>"$work/last.err" ||
    { cat "$work/last.err" >&2; exit 1; }
  cat "$work/time.txt" >>"$out"
}

for ((r = 1; r <= rounds; r++)); do
  say "== round $r of $rounds"
  data=$work/data
  rm -rf "$data"
  "$bin/cmetrack-central" init --data "$data" --meeting "$congress/meeting.json" >/dev/null
  sync
  timed "$work/ingest.txt" "$bin/cmetrack-central" ingest --data "$data" "$congress/scans.csv"
  say "   ingest (SQLite):  $(tail -1 "$work/ingest.txt")"
  psql "$admin" -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS archive" -c "CREATE DATABASE archive"
  sync
  timed "$work/archive.txt" "$bin/cmetrack-central" archive --data "$data" --to "$(url_of archive)"
  say "   archive (first):  $(tail -1 "$work/archive.txt") $(cat "$work/last.txt")"
  timed "$work/again.txt" "$bin/cmetrack-central" archive --data "$data" --to "$(url_of archive)"
  say "   archive (again):  $(tail -1 "$work/again.txt") $(cat "$work/last.txt")"
done

ingest=$(cut -d' ' -f1 "$work/ingest.txt" | median)
archive=$(cut -d' ' -f1 "$work/archive.txt" | median)
again=$(cut -d' ' -f1 "$work/again.txt" | median)
rss() { cut -d' ' -f2 "$1" | sort -g | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'; }
scans=$(grep -c . "$congress/scans.csv")
{
  echo "the provider's archive, $((scans - 1)) scans, $rounds round(s), medians:"
  printf '  %-44s %8s s  peak %5s MiB\n' "ingest into central.db (SQLite, the anchor)" "$ingest" "$(rss "$work/ingest.txt")"
  printf '  %-44s %8s s  peak %5s MiB  ratio %s\n' "archive into PostgreSQL, first copy" "$archive" \
    "$(rss "$work/archive.txt")" "$(awk -v a="$archive" -v b="$ingest" 'BEGIN { printf "%.2f", a / b }')"
  printf '  %-44s %8s s  peak %5s MiB  ratio %s\n' "archive again (every row already there)" "$again" \
    "$(rss "$work/again.txt")" "$(awk -v a="$again" -v b="$ingest" 'BEGIN { printf "%.2f", a / b }')"
} | tee "$work/results.txt"
