#!/usr/bin/env bash
# What local versions and team records cost: builds 10,000 plain playbooks, and 10,000 playbooks
# of which 2,000 are local versions with 200 teams recording progress (8,000 + 2,000 local
# versions + progress/), on the real disk and on tmpfs in the same run; prints the median wall
# and CPU time, the peak memory and the ratio (the target is within 15%), the two corpora
# alternating run by run.
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

source "$repo/bench/compare.sh"
compare_corpora "with local versions and teams / plain" "$runs" "$bin" "$work" plain local
