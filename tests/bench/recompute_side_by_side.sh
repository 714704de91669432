#!/usr/bin/env bash
# The full recompute of two builds side by side, on the same congress:
# e.g. the engine before and after a change of the rules (BENCHMARKS.md,
# "Full recompute").
#
#   tests/bench/recompute_side_by_side.sh BEFORE_BIN AFTER_BIN CONGRESS_DIR [ROUNDS]
#
# BEFORE_BIN and AFTER_BIN are build-bench/bin folders (cmetrack-central and
# cmetrack-bench-engine, Release) of the two checkouts; CONGRESS_DIR holds the
# meeting.json and scans.csv of cmetrack-bench-congress. BEFORE's
# cmetrack-central makes and fills the store once; AFTER reads a copy (its
# schema migration runs untimed, on the first round). Then ROUNDS (default 3)
# rounds, alternating which goes first, of each engine bench (3 recomputes a
# process, median), and the median of the rounds' figures for each, and
# their ratio. Prints `name before after ratio` lines.
set -euo pipefail
export LC_ALL=C
(($# >= 3)) || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
before=$1 after=$2 congress=$3 rounds=${4:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-side-by-side.XXXXXX")
trap 'rm -rf "$work"' EXIT
now=2026-06-01T00:00:00Z

"$before/cmetrack-central" init --data "$work/before" --meeting "$congress/meeting.json" >/dev/null 2>&1
"$before/cmetrack-central" ingest --data "$work/before" "$congress/scans.csv" >&2
cp -r "$work/before" "$work/after"

engine() {  # $1: before|after; appends `name value` lines to $work/$1.figures
  local bin=${!1}
  "$bin/cmetrack-bench-engine" --data "$work/$1" --badges 200 --now "$now" --rounds 3 >"$work/$1.out"
  awk '$1 ~ /^recompute\./ { print $1, $2 }' "$work/$1.out" >>"$work/$1.figures"
}
: >"$work/before.figures"; : >"$work/after.figures"
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then engine before; engine after; else engine after; engine before; fi
  printf 'round %d: before %s ms, after %s ms\n' "$r" \
    "$(awk '$1 == "recompute.total" { v = $2 } END { print v }' "$work/before.figures")" \
    "$(awk '$1 == "recompute.total" { v = $2 } END { print v }' "$work/after.figures")" >&2
done
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for name in $(awk '{ print $1 }' "$work/after.figures" | sort -u); do
  b=$(awk -v n="$name" '$1 == n { print $2 }' "$work/before.figures" | median)
  a=$(awk -v n="$name" '$1 == n { print $2 }' "$work/after.figures" | median)
  awk -v n="$name" -v b="$b" -v a="$a" 'BEGIN { printf "%-32s %10s %10s %6.2f\n", n, b, a, (b > 0 ? a / b : 0) }'
done
