#!/usr/bin/env bash
# Build speed, measured side by side: generates seeded corpora with examples/gen_corpus.rs, builds
# each several times with `playbook build` (and the same guide bodies with Hugo, when installed),
# and prints the median wall time, the peak memory (`/usr/bin/time -v`) and the ratios.
#
#   bash bench/run.sh                                   # the full run (about 10 minutes on 2 cores)
#   bash bench/run.sh --guides 1000 --playbooks 1000 --runs 3     # a quick one
#
# Options: --runs N (default 5), --guides "SIZES" (default "1000 10000"), --playbooks "SIZES"
# (default "1000 10000 50000"), --work DIR for the corpora (default /tmp/playbook-bench),
# --out-dir DIR for the built sites (default /dev/shm when it exists, so both tools are measured
# rather than the disk: on this machine's ext4 deleting and re-creating thousands of files costs
# seconds of I/O wait), --no-hugo, --no-build (use target/release as it is), --install
# (apt-get install hugo and time if missing).
set -euo pipefail

runs=5
guide_sizes="1000 10000"
playbook_sizes="1000 10000 50000"
work="${TMPDIR:-/tmp}/playbook-bench"
out_dir=""
use_hugo=1
build=1
install=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --guides) guide_sizes="$2"; shift 2 ;;
    --playbooks) playbook_sizes="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --out-dir) out_dir="$2"; shift 2 ;;
    --no-hugo) use_hugo=0; shift ;;
    --no-build) build=0; shift ;;
    --install) install=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

if [ "$install" = 1 ]; then
  missing=""
  [ -x /usr/bin/time ] || missing="$missing time"
  [ "$use_hugo" = 0 ] || command -v hugo >/dev/null || missing="$missing hugo"
  if [ -n "$missing" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
fi
if [ ! -x /usr/bin/time ]; then
  echo "error: /usr/bin/time is missing: apt-get install time (or run with --install)" >&2
  exit 1
fi
if [ "$use_hugo" = 1 ] && ! command -v hugo >/dev/null; then
  echo "note: hugo is not installed (apt-get install hugo, or --install): measuring playbook alone" >&2
  use_hugo=0
fi

if [ "$build" = 1 ]; then
  cargo build --release --quiet --bin playbook --example gen_corpus
fi
playbook="$repo/target/release/playbook"
gen="$repo/target/release/examples/gen_corpus"
mkdir -p "$work"
if [ -z "$out_dir" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then out_dir=/dev/shm/playbook-bench; else out_dir="$work"; fi
fi
mkdir -p "$out_dir"
out="$out_dir/out"
# Review dates in the corpus are all after this day, so the builds have no warnings.
export PLAYBOOK_TODAY=2026-06-01

# Zola 0.22 on this machine class, from the issue (not installable here): seconds by page count.
zola_seconds() {
  case "$1" in
    1000) echo 0.51 ;;
    10000) echo 13.8 ;;
    *) echo "" ;;
  esac
}

# measure NAME COMMAND...: runs COMMAND $runs times after clearing $out, sets $median_s and
# $peak_mb (the largest maximum resident set size of the runs).
measure() {
  local name="$1"; shift
  local times=() peak_kb=0 i log="$work/time.log"
  for ((i = 1; i <= runs; i++)); do
    rm -rf "$out"
    sync
    if ! /usr/bin/time -v -o "$log" "$@" >"$work/run.out" 2>&1; then
      echo "error: $name failed:" >&2
      tail -20 "$work/run.out" >&2
      exit 1
    fi
    local wall kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; print s }' "$log")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    times+=("$(printf "%.2f" "$wall")")
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  done
  median_s=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {
    if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  peak_mb=$((peak_kb / 1024))
  printf '  %-34s runs: %s  median %7.2f s  peak %5d MB\n' "$name" "$(printf '%s ' "${times[@]}")" \
    "$median_s" "$peak_mb" >&2
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

echo "playbook build benchmark: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB," \
  "$runs runs each, median wall time and peak memory" >&2
echo "load before: $(uptime)" >&2
echo "corpora in $work, built sites in $out_dir" >&2
[ "$use_hugo" = 1 ] && echo "hugo: $(hugo version 2>/dev/null | head -1)" >&2

rows=()
declare -A hugo_time
for n in $guide_sizes; do
  echo "guides: $n pages" >&2
  site="$work/guides-$n"
  hugo_site="$work/hugo-$n"
  "$gen" --playbooks 0 --guides "$n" --out "$site" --hugo "$hugo_site" 2>/dev/null
  measure "playbook, $n guides" "$playbook" build --root "$site" --output "$out"
  pb_s=$median_s pb_mb=$peak_mb
  pages=$(find "$out" -name '*.html' | wc -l)
  hugo_s="" hugo_mb=""
  if [ "$use_hugo" = 1 ]; then
    measure "hugo, $n pages" hugo --quiet --source "$hugo_site" --destination "$out"
    hugo_s=$median_s hugo_mb=$peak_mb
    hugo_time[$n]=$hugo_s
  fi
  zola_s=$(zola_seconds "$n")
  rows+=("$(printf '%-26s %9s %8s %6s | %9s %8s %7s | %9s %7s' "$n guides ($pages html)" \
    "$pb_s" "$pb_mb" "" "${hugo_s:--}" "${hugo_mb:--}" \
    "$( [ -n "$hugo_s" ] && echo "$(ratio "$hugo_s" "$pb_s")x" || echo -)" \
    "${zola_s:--}" "$( [ -n "$zola_s" ] && echo "$(ratio "$zola_s" "$pb_s")x" || echo -)")")
done

pb_rows=()
first_n="" first_s=""
for n in $playbook_sizes; do
  echo "playbooks: $n" >&2
  site="$work/playbooks-$n"
  "$gen" --playbooks "$n" --guides 0 --out "$site" 2>/dev/null
  measure "playbook, $n playbooks" "$playbook" build --root "$site" --output "$out"
  pages=$(find "$out" -name '*.html' | wc -l)
  per_k=$(awk -v s="$median_s" -v n="$n" 'BEGIN { printf "%.3f", s * 1000 / n }')
  if [ -z "$first_n" ]; then first_n=$n first_s=$median_s; fi
  scale=$(awk -v s="$median_s" -v n="$n" -v s0="$first_s" -v n0="$first_n" \
    'BEGIN { printf "%.2f", (s / s0) / (n / n0) }')
  vs_hugo="-"
  if [ -n "${hugo_time[$n]:-}" ]; then
    vs_hugo="$(ratio "${hugo_time[$n]}" "$median_s")x"
  fi
  pb_rows+=("$(printf '%-29s %9s %8s %11s %14s %18s' "$n playbooks ($pages html)" "$median_s" \
    "$peak_mb" "$per_k" "$scale" "$vs_hugo")")
done
rm -rf "$out"

echo
echo "load after: $(uptime)"
echo "machine: $(nproc) cores, built sites written to $out_dir"
echo
echo "Plain guides: playbook against Hugo (measured now) and Zola 0.22 (the issue's figures)"
printf '%-26s %9s %8s %6s | %9s %8s %7s | %9s %7s\n' "corpus" "playbook" "peak MB" "" \
  "hugo s" "peak MB" "faster" "zola s" "faster"
for row in "${rows[@]}"; do echo "$row"; done
echo
echo "Full playbooks (checklists, diagrams, list pages, taxonomies): time against size"
printf '%-29s %9s %8s %11s %14s %18s\n' "corpus" "seconds" "peak MB" "s per 1000" \
  "vs linear" "hugo plain / this"
for row in "${pb_rows[@]}"; do echo "$row"; done
echo
echo "'faster' is the other tool's median over playbook's; 'vs linear' is time per page relative"
echo "to the smallest size (1.00 = exactly linear); 'hugo plain / this' compares with Hugo building"
echo "the same number of plain pages (above 1 means the playbooks built faster)."
