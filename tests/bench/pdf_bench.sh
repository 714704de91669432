#!/usr/bin/env bash
# Transcripts as PDF (BENCHMARKS.md, "Transcripts as PDF"), run by `run.sh pdf`:
#
#   tests/bench/pdf_bench.sh BIN_DIR [--attendees N] [--scans N] [--rooms N] [--sessions N]
#                            [--days N] [--seed N] [--badges N] [--cold N] [--rounds N] [--work DIR]
#
# Defaults: a meeting of 5,000 attendees (10 rooms, 100 sessions, 4 days,
# 400,000 scans: the requirement's congress scaled down, 80 scans an
# attendee), made by cmetrack-bench-congress, init and ingest (reused where
# the same generator and sizes made it); 200 warm and 50 cold badges; 3 rounds.
# 1. cmetrack-bench-pdf: write_transcript_pdf of one attendee in a warm
#    process (and the engine's part apart), then `--all` by phase: engine,
#    JSON, PDF.
# 2. Cold processes: `transcript --badge X --pdf FILE` for --cold random roster
#    badges, a fresh process each; `transcript --badge X --json` of the same
#    badges as the anchor.
# 3. `transcript --all --pdf` against `transcript --all --json` of the same
#    store (the same engine work without drawing), alternating, --rounds each:
#    wall time and peak RSS, medians, ratio.
# Prints `name value unit` lines and a summary; keeps them in WORK/results.txt.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:?usage: pdf_bench.sh BIN_DIR [options]}
shift
attendees=5000 scans=400000 rooms=10 sessions=100 days=4 seed=1 badges=200 cold=50 rounds=3 work=""
while (($#)); do
  case $1 in
    --attendees | --scans | --rooms | --sessions | --days | --seed | --badges | --cold | --rounds | --work)
      (($# >= 2)) || { echo "pdf_bench.sh: $1 needs a value" >&2; exit 2; }
      printf -v "${1#--}" '%s' "$2"
      shift 2 ;;
    *) echo "pdf_bench.sh: unknown option $1 (see the comment at its top)" >&2; exit 2 ;;
  esac
done
for tool in sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "pdf_bench.sh: $tool is missing (deploy/setup.sh installs it)" >&2; exit 1; }
done
sizes="${attendees}a-${rooms}r-${sessions}s-${days}d-${scans}scans-seed${seed}"
work=${work:-${TMPDIR:-/tmp}/cmetrack-bench/pdf-$sizes}
mkdir -p "$work/out"
now=2026-06-01T00:00:00Z
say() { printf '%s\n' "$*" >&2; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
percentile() { awk -v p="$2" '{ v[NR] = $1 } END { r = int(p * NR + 0.999999); if (r < 1) r = 1; print v[r] }' "$1"; }

# The meeting and its store, reused when the same generator made them.
stamp="$(sha256sum "$here/generate_congress.cpp" | cut -c1-16) $sizes"
data=$work/data
if [[ -f $work/stamp && $(<"$work/stamp") == "$stamp" && -f $data/central.db ]]; then
  say "== reusing the meeting and store in $work"
else
  say "== generating the meeting ($sizes) into $work"
  rm -rf "$work/congress" "$data" "$work/stamp"
  "$bin/cmetrack-bench-congress" --out "$work/congress" --attendees "$attendees" --rooms "$rooms" \
    --sessions "$sessions" --days "$days" --scans "$scans" --seed "$seed" >&2
  "$bin/cmetrack-central" init --data "$data" --meeting "$work/congress/meeting.json" >/dev/null
  "$bin/cmetrack-central" ingest --data "$data" "$work/congress/scans.csv" >&2
  echo "$stamp" >"$work/stamp"
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
{
  # 1. In process.
  say "== cmetrack-bench-pdf ($badges warm badges, then every attendee by phase)"
  "$bin/cmetrack-bench-pdf" --data "$data" --out "$work/out" --badges "$badges" --seed "$seed" --now "$now" |
    tee "$work/inprocess.txt"

  # 2. Cold processes, badges drawn with bash's RANDOM, seeded.
  say "== cold processes, $cold badges: --pdf, then --json of the same badges"
  mapfile -t roster < <(sqlite3 "$data/central.db" "SELECT badge FROM attendees ORDER BY badge")
  RANDOM=$seed
  picked=()
  for ((i = 0; i < cold; i++)); do picked+=("${roster[(RANDOM * 32768 + RANDOM) % ${#roster[@]}]}"); done
  "$bin/cmetrack-central" transcript --data "$data" --badge "${picked[0]}" --pdf "$work/out/warmup.pdf" --now "$now" >/dev/null
  for form in pdf json; do
    for b in "${picked[@]}"; do
      t0=$EPOCHREALTIME
      if [[ $form == pdf ]]; then
        "$bin/cmetrack-central" transcript --data "$data" --badge "$b" --pdf "$work/out/cold.pdf" --now "$now" >/dev/null
      else
        "$bin/cmetrack-central" transcript --data "$data" --badge "$b" --json --now "$now" >/dev/null
      fi
      t1=$EPOCHREALTIME
      ms_between "$t0" "$t1"; echo
    done | sort -g >"$work/cold_$form.ms"
    echo "cold.$form.p50 $(percentile "$work/cold_$form.ms" 0.5) ms"
    echo "cold.$form.p99 $(percentile "$work/cold_$form.ms" 0.99) ms"
  done

  # 3. Every attendee: --pdf against --json, alternating.
  say "== transcript --all: --pdf against --json, $rounds rounds, alternating"
  : >"$work/all_pdf.times"; : >"$work/all_json.times"
  all_pdf() {
    local t0 t1
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%M %U %S" -o "$work/rss" "$bin/cmetrack-central" transcript --data "$data" --all --pdf "$work/out/all.pdf" \
      --now "$now" >"$work/all_pdf.out"
    t1=$EPOCHREALTIME
    read -r kib user sys <"$work/rss"
    echo "$(ms_between "$t0" "$t1") $kib $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", (u + s) * 1000 }')" >>"$work/all_pdf.times"
    say "   --all --pdf   $(ms_between "$t0" "$t1") ms (CPU ${user}+${sys} s), peak RSS $kib KiB: $(<"$work/all_pdf.out")"
  }
  all_json() {
    local t0 t1
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%M %U %S" -o "$work/rss" "$bin/cmetrack-central" transcript --data "$data" --all --json --now "$now" \
      >"$work/out/all.json"
    t1=$EPOCHREALTIME
    read -r kib user sys <"$work/rss"
    echo "$(ms_between "$t0" "$t1") $kib $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", (u + s) * 1000 }')" >>"$work/all_json.times"
    say "   --all --json  $(ms_between "$t0" "$t1") ms (CPU ${user}+${sys} s), peak RSS $kib KiB"
  }
  for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then all_pdf; all_json; else all_json; all_pdf; fi
  done
  pdf_ms=$(cut -d' ' -f1 "$work/all_pdf.times" | median)
  json_ms=$(cut -d' ' -f1 "$work/all_json.times" | median)
  echo "all.cli.pdf $pdf_ms ms"
  echo "all.cli.json $json_ms ms"
  echo "all.cli.pdf_over_json $(awk -v a="$pdf_ms" -v b="$json_ms" 'BEGIN { printf "%.2f", a / b }') x"
  pdf_cpu=$(cut -d' ' -f3 "$work/all_pdf.times" | median)
  json_cpu=$(cut -d' ' -f3 "$work/all_json.times" | median)
  echo "all.cli.pdf_cpu $pdf_cpu ms"
  echo "all.cli.json_cpu $json_cpu ms"
  echo "all.cli.pdf_over_json_cpu $(awk -v a="$pdf_cpu" -v b="$json_cpu" 'BEGIN { printf "%.2f", a / b }') x"
  echo "all.cli.pdf_rss $(cut -d' ' -f2 "$work/all_pdf.times" | sort -n | tail -1) KiB"
  echo "all.cli.json_rss $(cut -d' ' -f2 "$work/all_json.times" | sort -n | tail -1) KiB"
  echo "all.cli.pdf_pages $(sed -n 's/.* \([0-9]*\) page(s).*/\1/p' "$work/all_pdf.out")"
  echo "all.cli.raw_pdf $(tr '\n' ' ' <"$work/all_pdf.times")"
  echo "all.cli.raw_json $(tr '\n' ' ' <"$work/all_json.times")"
} >"$work/figures.txt"

figure() { awk -v n="$1" '$1 == n { print $2 }' "$work/figures.txt"; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t ? "met" : "MISSED") }'; }
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
  echo "cmetrack transcripts as PDF, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) CPUs, $cpu; $(uname -sr); cairo $(pkg-config --modversion cairo 2>/dev/null || echo '?')"
  echo "load average at the start and the end: $load_before; $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine)"
  echo "meeting: $attendees attendees, $rooms rooms, $sessions sessions, $days days, $scans scans, seed $seed"
  echo
  printf '%-52s %12s %10s %s\n' figure measured target verdict
  printf '%-52s %9s ms %10s %s\n' "one PDF, warm process: write_transcript_pdf p50" "$(figure one.pdf.p50)" "" ""
  printf '%-52s %9s ms %10s %s\n' "one PDF, warm process: write_transcript_pdf p99" "$(figure one.pdf.p99)" "< 50 ms" "$(verdict "$(figure one.pdf.p99)" 50)"
  printf '%-52s %9s ms %10s %s\n' "  (the process's first PDF: fonts loaded)" "$(figure one.first_pdf)" "" ""
  printf '%-52s %9s ms %10s %s\n' "  (engine for that attendee, p50)" "$(figure one.engine.p50)" "" ""
  printf '%-52s %9s ms %10s %s\n' "cold process --badge X --pdf: p50" "$(figure cold.pdf.p50)" "" ""
  printf '%-52s %9s ms %10s %s\n' "cold process --badge X --pdf: p99 ($cold)" "$(figure cold.pdf.p99)" "< 50 ms" "$(verdict "$(figure cold.pdf.p99)" 50)"
  printf '%-52s %9s ms %10s %s\n' "cold process --badge X --json (anchor): p50" "$(figure cold.json.p50)" "" ""
  printf '%-52s %9s ms %10s %s\n' "transcript --all --pdf, median of $rounds" "$(figure all.cli.pdf)" "< 30000 ms" "$(verdict "$(figure all.cli.pdf)" 30000)"
  printf '%-52s %9s ms %10s %s\n' "transcript --all --json (anchor), median of $rounds" "$(figure all.cli.json)" "" ""
  printf '%-52s %10s x %10s %s\n' "--pdf / --json (wall)" "$(figure all.cli.pdf_over_json)" "" ""
  printf '%-52s %9s ms %10s %s\n' "CPU time (user + sys): --all --pdf" "$(figure all.cli.pdf_cpu)" "" ""
  printf '%-52s %9s ms %10s %s\n' "CPU time (user + sys): --all --json" "$(figure all.cli.json_cpu)" "" ""
  printf '%-52s %10s x %10s %s\n' "--pdf / --json (CPU)" "$(figure all.cli.pdf_over_json_cpu)" "" ""
  printf '%-52s %9s ms %10s %s\n' "  in process: every_attendee_credit" "$(figure all.engine)" "" ""
  printf '%-52s %9s ms %10s %s\n' "  in process: JSON of all" "$(figure all.json)" "" ""
  printf '%-52s %9s ms %10s %s\n' "  in process: write_transcript_pdf of all" "$(figure all.pdf)" "" ""
  printf '%-52s %12s %10s %s\n' "pages; PDF bytes" "$(figure all.pages); $(figure all.pdf_bytes)" "" ""
  printf '%-52s %8s KiB %10s %s\n' "peak RSS: --all --pdf / --all --json" "$(figure all.cli.pdf_rss) / $(figure all.cli.json_rss)" "" ""
  echo
  cat "$work/figures.txt"
} | tee "$work/results.txt"
say "(kept in $work/results.txt)"
