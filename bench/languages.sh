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

source "$repo/bench/compare.sh"
compare_corpora "English and Welsh / English only" "$runs" "$bin" "$work" en cy
