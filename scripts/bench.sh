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
# server, and the ratios to nginx and to the Echo ceiling: the ceiling serving
# the demo page and, for each Summit target, the ceiling serving its own bytes
# (the 200-session day page is larger than the demo's).
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

# The pages: each Summit target's agenda (day 1, timetable) as it sends it to
# a visitor, saved as www/<target>.html. nginx serves the demo's; the bare
# Echo handler serves each target's own bytes at /<target>.html, so every
# Summit target is compared with the ceiling for the same bytes ("echo" is the
# demo's page, the one ceiling of earlier runs; "echo:<target>" a larger
# page's, since the 200-session day page is larger than the demo's).
summits=("${targets[@]:2}")
mkdir -p "$tmp/www"
for t in "${summits[@]}"; do
	curl -fsS "${URL[$t]}" -o "$tmp/www/$t.html"
	echo "# $t: ${URL[$t]}, $(wc -c <"$tmp/www/$t.html") bytes" >&2
done
chmod a+rx "$tmp" "$tmp/www" && chmod a+r "$tmp"/www/*.html # nginx's workers run as nobody under root

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
		location / { try_files \$uri =404; }
	}
}
EOF
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp" &
PID[nginx]=$!
pids+=($!)
"$tmp/echoceiling" --addr "127.0.0.1:$echo_port" --dir "$tmp/www" &
PID[echo]=$!
pids+=($!)
URL[nginx]="http://127.0.0.1:$nginx_port/sqlite-demo.html"
URL[echo]="http://127.0.0.1:$echo_port/sqlite-demo.html"
wait_up "${URL[nginx]}"
wait_up "${URL[echo]}"
# CEIL[t]: the ceiling target serving t's own bytes.
declare -A CEIL
CEIL[sqlite-demo]=echo
targets=(nginx echo sqlite-demo)
for t in "${summits[@]:1}"; do
	URL[echo:$t]="http://127.0.0.1:$echo_port/$t.html"
	PID[echo:$t]=${PID[echo]}
	CEIL[$t]=echo:$t
	targets+=("echo:$t" "$t")
done

# Same bytes: Summit's answer to a visitor is the file its ceiling serves.
for t in "${summits[@]}"; do
	curl -fsS "${URL[$t]}" -o "$tmp/again.html"
	cmp -s "$tmp/again.html" "$tmp/www/$t.html" || echo "# note: $t sent other bytes the second time" >&2
	curl -fsS "${URL[${CEIL[$t]}]}" -o "$tmp/again.html"
	cmp -s "$tmp/again.html" "$tmp/www/$t.html" || { echo "# the ceiling of $t serves other bytes" >&2; exit 1; }
done

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
		printf '%-20s round %d  %10s req/s  p50 %8s ms  p99 %8s ms  load %s\n' "$t" "$round" "$rps" "$p50" "$p99" "$(cut -d' ' -f1 /proc/loadavg)"
		SUM[$t]=$(awk -v a="${SUM[$t]:-0}" -v b="$rps" 'BEGIN { print a + b }')
		N[$t]=$(( ${N[$t]:-0} + 1 ))
	done
done

echo
echo "# summary (mean req/s over the rounds; peak RSS of the serving processes)"
echo "# × echo: against the ceiling serving the demo page; × own: against the ceiling serving the target's own bytes"
mean() { awk -v s="${SUM[$1]}" -v n="${N[$1]}" 'BEGIN { printf "%.0f", s / n }'; }
base_nginx=$(mean nginx)
base_echo=$(mean echo)
printf '%-20s %8s %10s %9s %8s %8s %10s\n' target bytes "req/s" "× nginx" "× echo" "× own" "peak RSS"
for t in "${targets[@]}"; do
	m=$(mean "$t")
	own=-
	if [ -n "${CEIL[$t]:-}" ]; then own=$(awk -v a="$m" -v b="$(mean "${CEIL[$t]}")" 'BEGIN { printf "%.2f", a / b }'); fi
	f=$t
	case $t in nginx | echo) f=sqlite-demo ;; echo:*) f=${t#echo:} ;; esac
	printf '%-20s %8s %10s %9s %8s %8s %6s MiB\n' "$t" "$(wc -c <"$tmp/www/$f.html")" "$m" \
		"$(awk -v a="$m" -v b="$base_nginx" 'BEGIN { printf "%.3f", a / b }')" \
		"$(awk -v a="$m" -v b="$base_echo" 'BEGIN { printf "%.2f", a / b }')" "$own" \
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
