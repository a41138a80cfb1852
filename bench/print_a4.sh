#!/usr/bin/env bash
# Print the demo district's 通报 to A4 in headless Chromium and turn the pages into PNGs, to look at
# how the tables fit (the README shows the first page and 附件1).
#   bench/print_a4.sh [OUT_DIR]          default: out/print
# Needs Debian's chromium, fonts-noto-cjk and poppler-utils (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/print}
for p in chromium fonts-noto-cjk poppler-utils; do
  dpkg -s "$p" >/dev/null 2>&1 || apt-get install -y -qq "$p" >/dev/null
done
cargo build --release -q
rm -rf "$out"; mkdir -p "$out"
target/release/xunjian demo --out "$out/demo" >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$out/chromium" --no-pdf-header-footer \
  --print-to-pdf="$out/report.pdf" "file://$PWD/$out/demo/report.html" 2>/dev/null
pdfinfo "$out/report.pdf" | grep -E 'Pages|Page size'
pdftoppm -r 60 -png "$out/report.pdf" "$out/page"
ls "$out"/page-*.png
