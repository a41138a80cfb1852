#!/usr/bin/env bash
# Fuzz every parser of outside input for a fixed budget (not in CI): the property tests of
# tests/fuzz.rs (HTML extraction, charsets, feeds, platform JSON, seeds, rule packs and overrides,
# work calendars), each run for CASES generated inputs in a release build. A failing input is
# printed, shrunk, and kept in tests/fuzz.proptest-regressions, where every later `cargo test`
# replays it first.
#   bench/fuzz.sh [CASES]        (default 20000 a target; 8 targets)
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-20000}
start=$(date +%s)
PROPTEST_CASES=$cases PROPTEST_MAX_SHRINK_ITERS=2000 cargo test --release -q --test fuzz -- --test-threads 2
end=$(date +%s)
targets=$(grep -c '^    fn ' tests/fuzz.rs)
echo "fuzz: $targets targets × $cases inputs = $((targets * cases)) executions in $((end - start)) s, no failure"
