#!/usr/bin/env bash
# scripts/load.sh — load test of the public agenda page and the exports of a
# demo Summit (SQLite in a temporary folder), with wrk.
#
# Usage: scripts/load.sh [seconds per run (default 10)] [connections (default 8)]
# Needs: Go, wrk (Debian: apt-get install wrk), curl.
# Environment: SUMMIT_LOAD_PORT (default 18080).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${1:-10}
CONNS=${2:-8}
PORT=${SUMMIT_LOAD_PORT:-18080}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 1; }

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/summit" ./cmd/summit
"$tmp/summit" serve --demo --data-dir "$tmp/data" --addr "127.0.0.1:$PORT" \
	--base-url "http://127.0.0.1:$PORT" --log-level warn >"$tmp/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
	curl -fsS "$base/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
curl -fsS "$base/healthz" >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }

# The demo summit: the first /summits/<id> link of the archive page.
id=$(curl -fsS "$base/summits" | grep -o 'href="/summits/[0-9]*"' | head -n1 | grep -o '[0-9]*')
[ -n "$id" ] || { echo "no published summit found" >&2; exit 1; }
sessions=$(curl -fsS "$base/summits/$id/schedule.json" | grep -c '"guid": "[0-9a-f-]\{36\}",' || true)

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) CPUs · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) · load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# demo summit $id, about $sessions sessions; wrk -t2 -c$CONNS -d${DURATION}s"
for path in "/summits/$id" "/summits/$id/program.pdf" "/summits/$id/agenda.ics" "/summits/$id/schedule.xml"; do
	echo
	echo "## GET $path"
	wrk -t2 -c"$CONNS" -d"${DURATION}s" -H 'Accept-Encoding: gzip' --latency "$base$path" | sed -n '/Latency/,/Transfer/p'
done
