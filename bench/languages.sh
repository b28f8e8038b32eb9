#!/usr/bin/env bash
# What a second language costs: builds the same generated corpus in English only and with a
# Welsh translation of every page (`gen_corpus --welsh`), on the real disk and on tmpfs in the
# same run, and prints the median wall time, peak memory and the ratio (the target is under 2.2x).
#
#   bash bench/languages.sh                     # 10,000 playbooks, 3 runs each
#   bash bench/languages.sh --playbooks 1000 --runs 1
set -euo pipefail
playbooks=10000
runs=3
work="${TMPDIR:-/tmp}/playbook-bench-languages"
while [ $# -gt 0 ]; do
  case "$1" in
    --playbooks) playbooks="$2"; shift 2 ;;
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
./target/release/examples/gen_corpus --playbooks "$playbooks" --guides 0 --out "$work/en"
./target/release/examples/gen_corpus --playbooks "$playbooks" --guides 0 --out "$work/cy" --welsh

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for medium in disk tmpfs; do
  case "$medium" in
    disk) out="$work/out" ;;
    tmpfs) out="/dev/shm/playbook-bench-languages" ;;
  esac
  for corpus in en cy; do
    times=""; peaks=""
    for _ in $(seq "$runs"); do
      rm -rf "$out"; sync
      /usr/bin/time -f "%e %M" -o "$work/time" "$bin" build --root "$work/$corpus" --output "$out" >/dev/null 2>&1 || true
      read -r wall peak < "$work/time"
      times="$times $wall"; peaks="$peaks $peak"
    done
    t=$(echo $times | tr ' ' '\n' | median)
    p=$(echo $peaks | tr ' ' '\n' | median)
    pages=$(find "$out" -name '*.html' | wc -l)
    echo "$medium $corpus: median ${t} s (runs:${times}), peak $((${p%.*} / 1024)) MB, ${pages} HTML pages"
    eval "t_${medium}_${corpus}=$t"
  done
  eval "ratio=\$(awk -v a=\$t_${medium}_cy -v b=\$t_${medium}_en 'BEGIN {printf \"%.2f\", a / b}')"
  echo "$medium: English and Welsh / English only = ${ratio}x"
  rm -rf "$out"
done
