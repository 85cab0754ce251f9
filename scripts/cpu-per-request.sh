#!/usr/bin/env bash
# scripts/cpu-per-request.sh — server CPU time per request of the demo's
# agenda page (a visitor, wrk -c64), for one or more Summit binaries side by
# side (e.g. before and after a change), on SQLite and on Postgres, rounds
# interleaved. CPU per request is read from /proc/<pid>/stat around each run:
# a busy shared machine disturbs it much less than requests/s. For a Postgres
# target the CPU of the Postgres backends serving its database is printed too
# ("+ N µs in Postgres"), sampled every 0.5 s so that a backend the pool
# closes during the run is counted up to its last sample: on a machine where
# Postgres shares the cores, that work is part of a request's cost.
#
# Usage: scripts/cpu-per-request.sh [-d seconds (8)] [-r rounds (3)] [-e] BINARY...
#   -e  also the bare Echo handler (scripts/echoceiling) serving the bytes the
#       first binary's SQLite instance sent: the ceiling's own CPU per request
#   go build -o /tmp/summit-before ./cmd/summit   # in a checkout of the old code
#   go build -o /tmp/summit-after ./cmd/summit
#   scripts/cpu-per-request.sh /tmp/summit-before /tmp/summit-after
# Environment: SUMMIT_BENCH_PG (as in scripts/bench.sh; "none" skips
# Postgres), SUMMIT_BENCH_PORT (first port, default 29081). Needs wrk, curl.
set -euo pipefail
DURATION=8
ROUNDS=3
CEILING=false
while getopts d:r:e o; do
	case $o in
	d) DURATION=$OPTARG ;;
	r) ROUNDS=$OPTARG ;;
	e) CEILING=true ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-d seconds] [-r rounds] BINARY..." >&2; exit 2; }
PG=${SUMMIT_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
port=${SUMMIT_BENCH_PORT:-29081}

tmp=$(mktemp -d)
pids=()
dbs=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	for d in "${dbs[@]}"; do psql -q "$PG" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

declare -A PID URL DB
targets=()
start() { # NAME BINARY DATABASE_URL
	local name=$1 bin=$2 db=$3
	local args=(--data-dir "$tmp/$name" --log-level warn --base-url "http://127.0.0.1:$port")
	DATABASE_URL=$db "$bin" seed --demo "${args[@]}" >"$tmp/$name.seed" 2>&1 || { cat "$tmp/$name.seed" >&2; exit 1; }
	DATABASE_URL=$db "$bin" serve --addr "127.0.0.1:$port" "${args[@]}" >"$tmp/$name.log" 2>&1 &
	PID[$name]=$!
	pids+=($!)
	for _ in $(seq 1 300); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.2; done
	kill -0 "${PID[$name]}" 2>/dev/null || { cat "$tmp/$name.log" >&2; exit 1; }
	URL[$name]=$(curl -fsS -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$port/")
	curl -fsS -o /dev/null "${URL[$name]}" # built and cached
	targets+=("$name")
	port=$((port + 1))
}
usepg=false
if [ "$PG" != none ] && psql -q "$PG" -c 'SELECT 1' >/dev/null 2>&1; then usepg=true; fi
i=0
for bin in "$@"; do
	i=$((i + 1))
	start "sqlite-$i" "$bin" ""
	if $usepg; then
		db="summit_cpu_$$_$i"
		psql -q "$PG" -c "CREATE DATABASE $db" >/dev/null
		dbs+=("$db")
		start "postgres-$i" "$bin" "$(echo "$PG" | sed -E "s#/[^/?]*(\?|$)#/$db\1#")"
		DB[postgres-$i]=$db
	fi
done

if $CEILING; then
	mkdir -p "$tmp/www"
	curl -fsS "${URL[sqlite-1]}" -o "$tmp/www/page.html"
	(cd "$(dirname "${BASH_SOURCE[0]}")/.." && go build -o "$tmp/echoceiling" ./scripts/echoceiling)
	"$tmp/echoceiling" --addr "127.0.0.1:$port" --dir "$tmp/www" &
	PID[echo]=$!
	pids+=($!)
	URL[echo]="http://127.0.0.1:$port/page.html"
	for _ in $(seq 1 100); do curl -fsS -o /dev/null "${URL[echo]}" 2>/dev/null && break; sleep 0.1; done
	targets=(echo "${targets[@]}")
	port=$((port + 1))
fi

hz=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# pgsample DB: "pid ticks" of each backend connected to DB, one a line.
pgsample() {
	local p
	for p in $(psql -qAt "$PG" -c "SELECT pid FROM pg_stat_activity WHERE datname = '$1'" 2>/dev/null); do
		[ -r "/proc/$p/stat" ] && awk -v p="$p" '{ print p, $14 + $15 }' "/proc/$p/stat" 2>/dev/null
	done
	return 0
}
# pgwatch DB OUT: samples until killed, appending to OUT.
pgwatch() { while :; do pgsample "$1" >>"$2"; sleep 0.5; done; }
echo "# $(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) CPUs · load $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
for bin in "$@"; do i=$((i + 1)); echo "# $i = $bin"; done
echo "# wrk -t2 -c64 -d${DURATION}s per run, $ROUNDS round(s), interleaved"
for round in $(seq 1 "$ROUNDS"); do
	for t in "${targets[@]}"; do
		pgcpu=-1
		if [ -n "${DB[$t]:-}" ]; then
			pgsample "${DB[$t]}" >"$tmp/pg.before"
			: >"$tmp/pg.during"
			pgwatch "${DB[$t]}" "$tmp/pg.during" &
			watcher=$!
		fi
		a=$(ticks "${PID[$t]}")
		out=$(wrk -t2 -c64 -d"${DURATION}s" "${URL[$t]}")
		b=$(ticks "${PID[$t]}")
		if [ -n "${DB[$t]:-}" ]; then
			pgsample "${DB[$t]}" >>"$tmp/pg.during"
			kill "$watcher" 2>/dev/null || true
			wait "$watcher" 2>/dev/null || true
			# each backend's last sample less its first (0 for one born during the run)
			pgcpu=$(awk 'FNR == NR { first[$1] = $2; next } { last[$1] = $2 } END { for (p in last) s += last[p] - first[p]; print s + 0 }' "$tmp/pg.before" "$tmp/pg.during")
		fi
		awk -v t="$t" -v r="$round" -v n="$(awk '/requests in/ {print $1}' <<<"$out")" \
			-v rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v cpu=$((b - a)) -v pg="$pgcpu" -v hz="$hz" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
			'BEGIN { printf "%-12s round %d  %9.0f req/s  %6.1f µs CPU per request", t, r, rps, cpu / hz * 1e6 / n
				if (pg >= 0) printf "  + %5.1f µs in Postgres", pg / hz * 1e6 / n
				printf "  load %s\n", l }'
	done
done
