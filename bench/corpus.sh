#!/usr/bin/env bash
# Extraction accuracy on pages nobody here wrote: the project's own labelled corpus of Chinese
# pages (bench/corpus/labels.jsonl; the pages fetched from their provenance into a cache), then
# htmldate's 1,000-page date set and LinkChecker's and lychee's link fixtures (unpacked into a
# temporary directory). Prints tables; writes nothing into the repository.
#   bench/corpus.sh [CORPORA_DIR] [--misses]      (default CORPORA_DIR: ../shared/corpora)
#   XUNJIAN_CORPUS_CACHE=DIR                      (default ~/.cache/xunjian-corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=../shared/corpora
if [[ $# -gt 0 && $1 != --* ]]; then corpora=$1; shift; fi
cache=${XUNJIAN_CORPUS_CACHE:-$HOME/.cache/xunjian-corpus}
python3 bench/corpus_fetch.py bench/corpus/labels.jsonl "$cache"
cargo build --release -q -p xunjian-crawler --example corpus
./target/release/examples/corpus --own bench/corpus/labels.jsonl "$cache" "$@"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for a in "$corpora"/*.tar.xz; do tar -xJf "$a" -C "$work"; done
./target/release/examples/corpus "$work" "$@"
