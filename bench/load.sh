#!/usr/bin/env bash
# The service under load: TARGETS fixture sites on loopback crawled in full inside the running
# service, once with nobody looking and once while USERS signed-in people use the dashboard (a page,
# then THINK seconds of reading on average). Prints both crawls' throughput and their ratio, every
# answer's median/p95/p99/max time and the errors (the run fails if there is one).
#   bench/load.sh [TARGETS USERS THINK]     default: 1000 200 3
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p xunjian-server --example load_bench
exec target/release/examples/load_bench "${1:-1000}" "${2:-200}" "${3:-3}"
