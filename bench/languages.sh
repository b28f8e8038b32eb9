#!/usr/bin/env bash
# What a second language costs: builds the same generated corpus in English only and with a
# Welsh translation of every page (`gen_corpus --welsh`: each translation holds the title,
# summary, checklists' and training modules' text and the whole body; `--copy` makes each repeat
# its whole original instead, the worst case), on the real disk and on tmpfs in the same run,
# the two corpora alternating run by run, and prints the median wall time, peak memory and the
# ratio (the target is under 2.2x).
#
#   bash bench/languages.sh                     # 10,000 playbooks, 3 runs each
#   bash bench/languages.sh --playbooks 1000 --runs 1 [--copy]
set -euo pipefail
playbooks=10000
runs=3
welsh=--welsh
work="${TMPDIR:-/tmp}/playbook-bench-languages"
while [ $# -gt 0 ]; do
  case "$1" in
    --playbooks) playbooks="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --copy) welsh=--welsh-copy; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
cargo build --release --quiet --bin playbook --example gen_corpus
bin="$repo/target/release/playbook"
mkdir -p "$work"
./target/release/examples/gen_corpus --playbooks "$playbooks" --guides 0 --out "$work/en"
./target/release/examples/gen_corpus --playbooks "$playbooks" --guides 0 --out "$work/cy" "$welsh"

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for medium in disk tmpfs; do
  case "$medium" in
    disk) out="$work/out" ;;
    tmpfs) out="/dev/shm/playbook-bench-languages" ;;
  esac
  times_en=""; times_cy=""; peaks_en=""; peaks_cy=""
  for _ in $(seq "$runs"); do
    for corpus in en cy; do
      rm -rf "$out"; sync
      /usr/bin/time -f "%e %M" -o "$work/time" "$bin" build --root "$work/$corpus" --output "$out" >/dev/null 2>&1 || true
      read -r wall peak < "$work/time"
      eval "times_$corpus=\"\$times_$corpus $wall\"; peaks_$corpus=\"\$peaks_$corpus $peak\""
    done
  done
  for corpus in en cy; do
    eval "t=\$(echo \$times_$corpus | tr ' ' '\\n' | median); p=\$(echo \$peaks_$corpus | tr ' ' '\\n' | median); runs_list=\$times_$corpus"
    echo "$medium $corpus: median ${t} s (runs:${runs_list}), peak $((${p%.*} / 1024)) MB"
    eval "t_${medium}_${corpus}=$t"
  done
  eval "ratio=\$(awk -v a=\$t_${medium}_cy -v b=\$t_${medium}_en 'BEGIN {printf \"%.2f\", a / b}')"
  echo "$medium: English and Welsh / English only = ${ratio}x"
  rm -rf "$out"
done
