#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600) at low priority, seeding its corpus from the
# bundled content/ and fuzz/seeds/ the first time. Usage: fuzz/run.sh page|frontmatter|markdown [SECONDS]
# cargo-fuzz needs nightly flags: RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh page|frontmatter|markdown [SECONDS]}
seconds=${2:-600}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
corpus=corpus/$target
mkdir -p "$corpus"
if [ -z "$(ls -A "$corpus")" ]; then
  for f in ../content/*/*.md ../content/*/*/index.md; do
    name=$(echo "${f#../content/}" | tr '/' '-')
    case $target in
      markdown) { printf '\000'; awk 'n>=2 {print} /^---$/ {n++}' "$f"; } >"$corpus/$name" ;;
      *) cp "$f" "$corpus/$name" ;;
    esac
  done
fi
seeds=()
[ -d "seeds/$target" ] && seeds=("seeds/$target")
RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O "$target" "$corpus" "${seeds[@]}" -- \
  -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
  -dict=playbook.dict
