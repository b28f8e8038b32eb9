#!/usr/bin/env bash
# What local versions and team records cost: builds 10,000 plain playbooks, and 10,000 playbooks
# of which 2,000 are local versions with 200 teams recording progress (8,000 + 2,000 local
# versions + progress/), on the real disk and on tmpfs in the same run; prints the median wall
# and CPU time, the peak memory and the ratio (the target is within 15%).
#
#   bash bench/local-versions.sh                # 3 runs each
#   bash bench/local-versions.sh --runs 1
set -euo pipefail
runs=3
work="${TMPDIR:-/tmp}/playbook-bench-local"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
cargo build --release --quiet --bin playbook --example gen_corpus
bin="$repo/target/release/playbook"
mkdir -p "$work"
./target/release/examples/gen_corpus --playbooks 10000 --guides 0 --out "$work/plain"
./target/release/examples/gen_corpus --playbooks 8000 --guides 0 --local-versions 2000 --teams 200 --out "$work/local"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for medium in disk tmpfs; do
  case "$medium" in
    disk) out="$work/out" ;;
    tmpfs) out="/dev/shm/playbook-bench-local" ;;
  esac
  for corpus in plain local; do
    walls=""; cpus=""; peaks=""
    for _ in $(seq "$runs"); do
      rm -rf "$out"; sync
      /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" build --root "$work/$corpus" --output "$out" >/dev/null 2>&1 || true
      read -r wall user sys peak < "$work/time"
      walls="$walls $wall"; cpus="$cpus $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"; peaks="$peaks $peak"
    done
    w=$(echo $walls | tr ' ' '\n' | median); c=$(echo $cpus | tr ' ' '\n' | median); p=$(echo $peaks | tr ' ' '\n' | median)
    echo "$medium $corpus: median ${w} s wall (runs:${walls}), ${c} s CPU, peak $((${p%.*} / 1024)) MB"
    eval "w_${medium}_${corpus}=$w; c_${medium}_${corpus}=$c"
  done
  eval "echo \"$medium: with local versions and teams / plain = \$(awk -v a=\$w_${medium}_local -v b=\$w_${medium}_plain 'BEGIN {printf \"%.2f\", a / b}')x wall, \$(awk -v a=\$c_${medium}_local -v b=\$c_${medium}_plain 'BEGIN {printf \"%.2f\", a / b}')x CPU\""
  rm -rf "$out"
done
