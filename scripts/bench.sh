#!/usr/bin/env bash
# scripts/bench.sh — the public agenda page side by side: the same bytes from
# nginx (a static file), from a bare Echo handler holding them in memory (the
# ceiling of any Echo handler), and from Summit itself, with the demo summit
# and with a 200-session synthetic summit, on SQLite and (when a Postgres
# server answers) on Postgres. Targets run interleaved, round after round, so
# a change in the machine's load hits every target alike.
#
# Usage: scripts/bench.sh [seconds per run (10)] [connections (64)] [rounds (1)]
# Needs: Go, curl, Debian's nginx-light and wrk (installed when run as root).
# Environment:
#   SUMMIT_BENCH_PG      admin URL of a Postgres server for the Postgres runs
#                        (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable;
#                        "none" skips them); a database is created and dropped
#   SUMMIT_BENCH_LARGE   also a summit of this many sessions (e.g. 2000): cold
#                        render times of its day page and program PDF, a short
#                        run on its day page, and its peak memory
#   SUMMIT_BENCH_PORT    first of the ports used (default 18081)
#
# Prints requests/s, p50 and p99 latency of each run, the peak RSS of each
# server, and the ratios to nginx and to the Echo ceiling.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${1:-10}
CONNS=${2:-64}
ROUNDS=${3:-1}
PORT=${SUMMIT_BENCH_PORT:-18081}
PG=${SUMMIT_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
LARGE=${SUMMIT_BENCH_LARGE:-}

need() {
	local missing=()
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
	command -v wrk >/dev/null || missing+=(wrk)
	command -v curl >/dev/null || missing+=(curl)
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "# installing ${missing[*]}" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
	else
		echo "missing: ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
		exit 1
	fi
}
need
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
pids=()
pgdbs=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	for d in "${pgdbs[@]}"; do psql -q "$PG" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "# building" >&2
go build -o "$tmp/summit" ./cmd/summit
go build -o "$tmp/echoceiling" ./scripts/echoceiling

wait_up() { # url
	for _ in $(seq 1 300); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "no answer from $1" >&2
	return 1
}

# start_summit NAME DATABASE_URL SESSIONS: one Summit process on a fresh
# database with the demo and, with SESSIONS > 0, a synthetic summit of that
# many sessions; URL[NAME] is the agenda of the synthetic summit, else of the
# demo.
declare -A URL PID
next_port=$PORT
start_summit() {
	local name=$1 db=$2 sessions=$3 port=$next_port
	next_port=$((next_port + 1))
	local args=(--data-dir "$tmp/$name" --log-level warn --base-url "http://127.0.0.1:$port")
	DATABASE_URL=$db "$tmp/summit" seed --demo --sessions "$sessions" "${args[@]}" >"$tmp/$name.seed" 2>&1 ||
		{ cat "$tmp/$name.seed" >&2; exit 1; }
	DATABASE_URL=$db "$tmp/summit" serve --addr "127.0.0.1:$port" "${args[@]}" >"$tmp/$name.log" 2>&1 &
	PID[$name]=$!
	pids+=($!)
	wait_up "http://127.0.0.1:$port/healthz"
	kill -0 "${PID[$name]}" 2>/dev/null || { cat "$tmp/$name.log" >&2; exit 1; } # not another server on the port
	URL[$name]=$(curl -fsS -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$port/")
	if [ "$sessions" -gt 0 ]; then
		URL[$name]=$(grep -o 'http://[^ ]*/summits/[0-9]*' "$tmp/$name.seed" | tail -n1)
	fi
}

pg_db() { # pg_db NAME: a fresh database on the Postgres server; its URL in pgurl
	local name="summit_bench_$$_$1"
	psql -q "$PG" -c "CREATE DATABASE $name" >/dev/null
	pgdbs+=("$name")
	pgurl=$(echo "$PG" | sed -E "s#/[^/?]*(\?|$)#/$name\1#")
}

echo "# seeding and starting Summit" >&2
start_summit sqlite-demo "" 0
start_summit sqlite-200 "" 200
targets=(nginx echo sqlite-demo sqlite-200)
if [ "$PG" != none ] && psql -q "$PG" -c 'SELECT 1' >/dev/null 2>&1; then
	pg_db demo
	start_summit postgres-demo "$pgurl" 0
	pg_db s200
	start_summit postgres-200 "$pgurl" 200
	targets+=(postgres-demo postgres-200)
else
	echo "# no Postgres at SUMMIT_BENCH_PG: SQLite only" >&2
fi

# The page every target serves: the demo's agenda (day 1, timetable) as
# Summit sends it to a visitor.
page="$tmp/www/agenda.html"
mkdir -p "$tmp/www"
curl -fsS "${URL[sqlite-demo]}" -o "$page"
chmod a+rx "$tmp" "$tmp/www" && chmod a+r "$page" # nginx's workers run as nobody under root
echo "# the page: ${URL[sqlite-demo]}, $(wc -c <"$page") bytes" >&2

nginx_port=$next_port
echo_port=$((next_port + 1))
next_port=$((next_port + 2))
cat >"$tmp/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	types { text/html html; }
	server {
		listen 127.0.0.1:$nginx_port;
		root $tmp/www;
		location / { try_files /agenda.html =404; }
	}
}
EOF
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp" &
PID[nginx]=$!
pids+=($!)
"$tmp/echoceiling" --addr "127.0.0.1:$echo_port" --file "$page" &
PID[echo]=$!
pids+=($!)
URL[nginx]="http://127.0.0.1:$nginx_port/agenda.html"
URL[echo]="http://127.0.0.1:$echo_port/agenda.html"
wait_up "${URL[nginx]}"
wait_up "${URL[echo]}"

# Same bytes: Summit's answer to a visitor is the file nginx serves (the
# Postgres instance's differs only in its own address in the calendar links).
curl -fsS "${URL[sqlite-demo]}" -o "$tmp/again.html"
cmp -s "$tmp/again.html" "$page" || echo "# note: Summit sent other bytes the second time" >&2

# rss_kb TARGET: the peak resident memory of a target's processes.
rss_kb() {
	local name=$1 total=0 p
	local list=("${PID[$name]}")
	if [ "$name" = nginx ]; then mapfile -t list < <(pgrep -f "nginx.*$tmp" || true); fi
	for p in "${list[@]}"; do
		[ -r "/proc/$p/status" ] || continue
		total=$((total + $(awk '/VmHWM/ {print $2}' "/proc/$p/status")))
	done
	echo "$total"
}

# run TARGET URL: one wrk run; prints "req/s p50_ms p99_ms".
run() {
	local out
	out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$2")
	local rps p50 p99
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1=="50%" {print $2}' <<<"$out")
	p99=$(awk '$1=="99%" {print $2}' <<<"$out")
	ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else if (v ~ /s$/) printf "%.2f", v*1000; else print v }'; }
	echo "$rps $(ms "$p50") $(ms "$p99")"
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) CPUs · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) · load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS round(s), targets interleaved: ${targets[*]}"
declare -A SUM N
for round in $(seq 1 "$ROUNDS"); do
	for t in "${targets[@]}"; do
		read -r rps p50 p99 < <(run "$t" "${URL[$t]}")
		printf '%-14s round %d  %10s req/s  p50 %8s ms  p99 %8s ms  load %s\n' "$t" "$round" "$rps" "$p50" "$p99" "$(cut -d' ' -f1 /proc/loadavg)"
		SUM[$t]=$(awk -v a="${SUM[$t]:-0}" -v b="$rps" 'BEGIN { print a + b }')
		N[$t]=$(( ${N[$t]:-0} + 1 ))
	done
done

echo
echo "# summary (mean req/s over the rounds; peak RSS of the serving processes)"
base_nginx=$(awk -v s="${SUM[nginx]}" -v n="${N[nginx]}" 'BEGIN { print s / n }')
base_echo=$(awk -v s="${SUM[echo]}" -v n="${N[echo]}" 'BEGIN { print s / n }')
printf '%-14s %12s %10s %10s %10s\n' target "req/s" "× nginx" "× echo" "peak RSS"
for t in "${targets[@]}"; do
	mean=$(awk -v s="${SUM[$t]}" -v n="${N[$t]}" 'BEGIN { printf "%.0f", s / n }')
	printf '%-14s %12s %10s %10s %7s MiB\n' "$t" "$mean" \
		"$(awk -v a="$mean" -v b="$base_nginx" 'BEGIN { printf "%.3f", a / b }')" \
		"$(awk -v a="$mean" -v b="$base_echo" 'BEGIN { printf "%.2f", a / b }')" \
		"$(awk -v k="$(rss_kb "$t")" 'BEGIN { printf "%.1f", k / 1024 }')"
done

# The program PDF from the cache, and a summit of SUMMIT_BENCH_LARGE sessions.
echo
pdf="${URL[sqlite-demo]}/program.pdf"
read -r rps p50 p99 < <(run program "$pdf")
printf '%-14s %10s req/s  p50 %8s ms  p99 %8s ms (demo program PDF, gzip off, from the cache)\n' program.pdf "$rps" "$p50" "$p99"
cold() { curl -fsS -o /dev/null -w '%{time_total}' "$1" | awk '{ printf "%.0f", $1 * 1000 }'; }
echo "cold render of the 200-session program PDF (SQLite): $(cold "${URL[sqlite-200]}/program.pdf?paper=letter") ms"
if [ -n "$LARGE" ]; then
	start_summit large "" "$LARGE"
	u=${URL[large]}
	echo "cold: ${LARGE}-session day page $(cold "$u") ms, program PDF $(cold "$u/program.pdf") ms; 200-session day page $(cold "${URL[sqlite-200]}?view=list") ms"
	read -r rps p50 p99 < <(run large "$u")
	read -r rps2 p502 p992 < <(run sqlite-200 "${URL[sqlite-200]}")
	echo "day page, ${LARGE} sessions: $rps req/s (p50 $p50 ms, p99 $p99 ms); 200 sessions: $rps2 req/s (p50 $p502 ms, p99 $p992 ms); a ${LARGE}-session day page costs $(awk -v a="$rps2" -v b="$rps" 'BEGIN { printf "%.1f", a / b }')× a 200-session one"
	echo "peak RSS with the ${LARGE}-session summit: $(awk -v k="$(rss_kb large)" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
fi
