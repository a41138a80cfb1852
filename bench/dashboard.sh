#!/usr/bin/env bash
# The dashboard at district scale: 1,000 sites × 50 columns, 10 judged runs of history and a week
# of half-hourly probes in a SQLite store; every page and API is asked for 20 times and the
# server's own time (its Server-Timing header) is printed, with the process's peak RSS.
#   bench/dashboard.sh [TARGETS COLUMNS RUNS REQUESTS]     default: 1000 50 10 20
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p xunjian-server --example dashboard_bench
exec target/release/examples/dashboard_bench "${1:-1000}" "${2:-50}" "${3:-10}" "${4:-20}"
