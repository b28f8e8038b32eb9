#!/usr/bin/env bash
# Runs every test suite of playbook, installing what the suites need when it is missing.
# This is the README's test command and what CI runs (.ci/run). Speed is never asserted here.
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n==> %s\n' "$*"; }

section "Rust: formatting, lints, unit and integration tests"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --quiet 2>&1 | tee target/cargo-test.log

section "Bundled site: check --strict"
cargo run --quiet -- check --strict

passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' target/cargo-test.log | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' target/cargo-test.log | awk '{s+=$1} END {print s+0}')
echo
echo "all suites: ${passed} passed, ${failed} failed"
