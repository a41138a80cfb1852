#!/usr/bin/env bash
# Extraction accuracy on external labelled pages (htmldate's 1,000-page date set, LinkChecker's and
# lychee's link fixtures). Unpacks the archives into a temporary directory, runs the `corpus`
# example in release mode, prints tables; writes nothing into the repository.
#   bench/corpus.sh [CORPORA_DIR] [--misses]      (default CORPORA_DIR: ../shared/corpora)
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=../shared/corpora
if [[ $# -gt 0 && $1 != --* ]]; then corpora=$1; shift; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for a in "$corpora"/*.tar.xz; do tar -xJf "$a" -C "$work"; done
cargo run --release -q -p xunjian-crawler --example corpus -- "$work" "$@"
