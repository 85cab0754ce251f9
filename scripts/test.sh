#!/usr/bin/env bash
# scripts/test.sh — Summit's full check: gofmt, go vet, go test.
#
# Usage:
#   scripts/test.sh                         # everything: go test ./...
#   scripts/test.sh -run Foo ./models/...   # extra args are passed to go test
#   scripts/test.sh -run Foo                # no package given: ./... is added
#
# Works on a fresh Debian machine that has only Go (run as root: it installs
# what it needs with apt-get) and on a developer machine (it installs nothing
# unless it is root).
#
# Environment:
#   TEST_DATABASE_URL   Postgres the tests use; it must let the user create and
#                       drop databases without a password prompt.
#                       Default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
#   SUMMIT_TEST_PG      auto (default): use TEST_DATABASE_URL if it works, else
#                         start a stopped local Debian cluster on its port, else
#                         start a throwaway cluster (installing Postgres if root);
#                       throwaway: skip detection, always use a throwaway cluster;
#                       skip: leave Postgres alone.
#   SUMMIT_TEST_PG_PORT port for the throwaway cluster (default 55432, or the
#                       next free one).
#   SUMMIT_CHROMIUM     browser for the browser tests (default /usr/bin/chromium).
#   TEST_OUTPUT_DIR     where tests write artefacts (default ./test-output).
#   CI                  when set, a missing tool or database is an error rather
#                       than a warning (the tests would otherwise skip, with a
#                       "!!! … NOT RUN" banner repeated after the run).
#
# shellcheck disable=SC2317 # clean-up functions are called through trap/eval
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'scripts/test.sh: warning: %s\n' "$*" >&2; }
die() {
	printf 'scripts/test.sh: error: %s\n' "$*" >&2
	exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
can_apt() { is_root && have apt-get; }
in_ci() { [ -n "${CI:-}" ]; }

# Go is often installed in /usr/local/go without being on PATH for make.
if ! have go && [ -x /usr/local/go/bin/go ]; then
	PATH="/usr/local/go/bin:$PATH"
fi
have go || die "go is not installed (or not on PATH)"

# ---------------------------------------------------------------------------
# Clean-up: commands registered with on_exit run in reverse order at exit.
CLEANUP=()
on_exit() { CLEANUP+=("$1"); }
run_cleanup() {
	local rc=$? i
	trap - EXIT INT TERM
	for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${CLEANUP[i]}" || true
	done
	exit "$rc"
}
trap run_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
# apt helpers (root only).
APT_UPDATED=
apt_install() {
	can_apt || return 1
	local opts=(-o DPkg::Lock::Timeout=600 -q)
	if [ -z "$APT_UPDATED" ]; then
		log "apt-get update"
		apt-get "${opts[@]}" update || warn "apt-get update failed"
		APT_UPDATED=1
	fi
	log "apt-get install $*"
	DEBIAN_FRONTEND=noninteractive apt-get "${opts[@]}" install -y "$@"
}

# ---------------------------------------------------------------------------
# a. Tools: chromium (browser tests), pdftotext (PDF tests), xmllint (feed/ICS
#    checks), a C compiler (mattn/go-sqlite3 needs cgo; without one Go quietly
#    builds with CGO_ENABLED=0 and SQLite fails at run time).
missing_tools() {
	local missing=()
	[ -x /usr/bin/chromium ] || have chromium || missing+=(chromium)
	have pdftotext || missing+=(pdftotext)
	have xmllint || missing+=(xmllint)
	have gcc || have cc || missing+=(gcc)
	echo "${missing[*]}"
}

tools_missing=$(missing_tools)
if [ -n "$tools_missing" ] && can_apt; then
	log "missing tools: $tools_missing; installing with apt-get"
	apt_install chromium poppler-utils libxml2-utils fonts-dejavu-core gcc libc6-dev ca-certificates ||
		warn "apt-get install failed"
	tools_missing=$(missing_tools)
fi
if [ -n "$tools_missing" ]; then
	if in_ci; then
		die "required tools missing: $tools_missing (install: apt-get install chromium poppler-utils libxml2-utils gcc libc6-dev)"
	fi
	warn "tools missing: $tools_missing — tests that need them will skip or fail"
fi

# ---------------------------------------------------------------------------
# b. Postgres.
DEFAULT_DB_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-$DEFAULT_DB_URL}"

# url_host_port URL → "host port" (URL or key=value form; query/keyword
# host= and port= win, as in libpq).
url_host_port() {
	local u=$1 host='' port='' rest hp
	if [[ $u == *://* ]]; then
		rest=${u#*://}
		rest=${rest%%/*}
		rest=${rest%%\?*}
		hp=${rest##*@}
		if [[ $hp == \[*\]* ]]; then
			host=${hp%%]*}
			host=${host#[}
			port=${hp##*]}
			port=${port#:}
		elif [[ $hp == *:* ]]; then
			host=${hp%%:*}
			port=${hp##*:}
		else
			host=$hp
		fi
	fi
	if [[ $u =~ (^|[?\&[:space:]])host=([^\&[:space:]]+) ]]; then host=${BASH_REMATCH[2]}; fi
	if [[ $u =~ (^|[?\&[:space:]])port=([0-9]+) ]]; then port=${BASH_REMATCH[2]}; fi
	echo "${host:-127.0.0.1} ${port:-5432}"
}

is_local_host() {
	case $1 in 127.0.0.1 | localhost | ::1 | /*) return 0 ;; *) return 1 ;; esac
}

# tcp_open host port: something accepts TCP connections there.
tcp_open() {
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

PSQL=
find_psql() {
	local p
	if have psql && psql --version >/dev/null 2>&1; then
		PSQL=psql
		return 0
	fi
	for p in /usr/lib/postgresql/*/bin/psql; do
		[ -x "$p" ] && PSQL=$p
	done
	[ -n "$PSQL" ]
}

# pg_usable URL: connects without a password prompt and may create databases.
pg_usable() {
	local url=$1 host port out
	read -r host port < <(url_host_port "$url")
	if [ -n "$PSQL" ] || find_psql; then
		out=$(PGCONNECT_TIMEOUT=5 "$PSQL" -X -w -A -t -q -d "$url" \
			-c 'SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user' 2>&1) || {
			PG_LAST_ERROR=$out
			return 1
		}
		if [ "$out" != t ]; then
			PG_LAST_ERROR="connected, but the role may not create databases"
			return 1
		fi
		return 0
	fi
	# No psql: the best we can do is ask whether the server answers.
	if have pg_isready; then
		pg_isready -q -h "$host" -p "$port" -t 5 && return 0
	elif [[ $host != /* ]] && tcp_open "$host" "$port"; then
		return 0
	fi
	PG_LAST_ERROR="no server answers at $host:$port"
	return 1
}

# start_local_cluster PORT: start stopped Debian clusters (pg_ctlcluster) that
# listen on PORT; they are stopped again at exit.
start_local_cluster() {
	local want=$1 ver name port status rest started=1
	[ -d /etc/postgresql ] && have pg_lsclusters && have pg_ctlcluster || return 1
	is_root || [ "$(id -un)" = postgres ] || return 1
	while read -r ver name port status rest; do
		[ "$port" = "$want" ] || continue
		case $status in down*) ;; *) continue ;; esac
		log "starting Postgres cluster $ver/$name on port $port"
		if pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start; then
			on_exit "log 'stopping Postgres cluster $ver/$name'; pg_ctlcluster --skip-systemctl-redirect '$ver' '$name' stop -m fast"
			started=0
		else
			warn "could not start cluster $ver/$name"
		fi
	done < <(pg_lsclusters -h 2>/dev/null)
	return "$started"
}

pg_bindir() {
	local d best=
	# Highest version wins.
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best=$d
	done
	[ -n "$best" ] && echo "$best"
}

# as_pg CMD...: run as the postgres user when root (initdb refuses root).
as_pg() {
	if is_root; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start_throwaway_cluster() {
	local bindir dir port locale
	bindir=$(pg_bindir) || true
	if [ -z "$bindir" ]; then
		if can_apt; then
			apt_install postgresql || warn "apt-get install postgresql failed"
			bindir=$(pg_bindir) || true
		fi
		[ -n "$bindir" ] || {
			PG_LAST_ERROR="no Postgres server binaries (initdb, pg_ctl) found"
			return 1
		}
	fi
	if is_root && ! getent passwd postgres >/dev/null; then
		PG_LAST_ERROR="running as root but there is no postgres user to run initdb as"
		return 1
	fi

	if is_root; then
		dir=$(mktemp -d /tmp/summit-pg.XXXXXX)
		chown postgres: "$dir"
	else
		dir=$(mktemp -d "${TMPDIR:-/tmp}/summit-pg.XXXXXX")
	fi
	chmod 700 "$dir"
	on_exit "rm -rf '$dir'"

	if [ -n "${SUMMIT_TEST_PG_PORT:-}" ]; then
		port=$SUMMIT_TEST_PG_PORT
		tcp_open 127.0.0.1 "$port" && {
			PG_LAST_ERROR="port $port (SUMMIT_TEST_PG_PORT) is already in use"
			return 1
		}
	else
		for port in $(seq 55432 55451) ''; do
			[ -n "$port" ] && ! tcp_open 127.0.0.1 "$port" && break
		done
		[ -n "$port" ] || {
			PG_LAST_ERROR="no free port in 55432-55451"
			return 1
		}
	fi

	locale=C
	if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then locale=C.UTF-8; fi

	log "creating throwaway Postgres cluster ($bindir) in $dir, port $port"
	# cd: runuser keeps the working directory, which postgres may not read.
	(cd "$dir" && as_pg "$bindir/initdb" -D "$dir/data" -A trust -U postgres \
		-E UTF8 --locale="$locale" --no-sync >"$dir/initdb.log" 2>&1) || {
		cat "$dir/initdb.log" >&2
		PG_LAST_ERROR="initdb failed"
		return 1
	}
	cat >>"$dir/data/postgresql.conf" <<-EOF

		# scripts/test.sh: throwaway cluster for tests
		listen_addresses = '127.0.0.1'
		port = $port
		unix_socket_directories = '$dir'
		max_connections = 200
		fsync = off
		synchronous_commit = off
		full_page_writes = off
	EOF
	# Registered after rm -rf, so it runs before it; harmless if start fails.
	on_exit "stop_throwaway_cluster '$bindir' '$dir'"
	(cd "$dir" && as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null) || {
		cat "$dir/postgres.log" >&2 || true
		PG_LAST_ERROR="pg_ctl start failed"
		return 1
	}
	export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	PSQL=
	[ -x "$bindir/psql" ] && PSQL=$bindir/psql
	return 0
}

stop_throwaway_cluster() {
	local bindir=$1 dir=$2 pid
	log "stopping throwaway Postgres cluster in $dir"
	if ! (cd "$dir" && as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1); then
		pid=$(head -n1 "$dir/data/postmaster.pid" 2>/dev/null || true)
		if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
	fi
}

setup_postgres() {
	local mode=${SUMMIT_TEST_PG:-auto} host port
	PG_LAST_ERROR=
	case $mode in
	skip)
		log "SUMMIT_TEST_PG=skip: not checking Postgres"
		return 0
		;;
	throwaway) ;;
	auto)
		# psql lets us check the login and the right to create databases,
		# not merely that something answers on the port.
		if ! find_psql && can_apt; then
			apt_install postgresql-client || warn "apt-get install postgresql-client failed"
		fi
		if pg_usable "$TEST_DATABASE_URL"; then
			log "Postgres: using $TEST_DATABASE_URL"
			return 0
		fi
		log "Postgres at $TEST_DATABASE_URL not usable: $PG_LAST_ERROR"
		read -r host port < <(url_host_port "$TEST_DATABASE_URL")
		if is_local_host "$host" && start_local_cluster "$port"; then
			if pg_usable "$TEST_DATABASE_URL"; then
				log "Postgres: using $TEST_DATABASE_URL"
				return 0
			fi
			log "started cluster is not usable either: $PG_LAST_ERROR"
		fi
		;;
	*) die "SUMMIT_TEST_PG must be auto, throwaway or skip (got '$mode')" ;;
	esac

	if start_throwaway_cluster; then
		if pg_usable "$TEST_DATABASE_URL"; then
			log "Postgres: using throwaway cluster $TEST_DATABASE_URL"
			return 0
		fi
		PG_LAST_ERROR="throwaway cluster not usable: $PG_LAST_ERROR"
	fi
	if in_ci; then
		die "no usable Postgres for the tests: $PG_LAST_ERROR. Set TEST_DATABASE_URL to a server where the user may create databases without a password, or run as root on Debian so this script can install one."
	fi
	warn "no usable Postgres ($PG_LAST_ERROR); Postgres tests will skip or fail"
}

setup_postgres

# ---------------------------------------------------------------------------
# c. Test environment.
if [ -z "${SUMMIT_CHROMIUM:-}" ] && [ -x /usr/bin/chromium ]; then
	export SUMMIT_CHROMIUM=/usr/bin/chromium
fi
export TEST_OUTPUT_DIR="${TEST_OUTPUT_DIR:-$ROOT/test-output}"
mkdir -p "$TEST_OUTPUT_DIR"
# Tests that give up on a missing tool or database write a banner here
# (modelstest.NotRun); go test hides the output of passing packages, so the
# banners are repeated after the run.
SUMMIT_NOT_RUN_LOG=$(mktemp "${TMPDIR:-/tmp}/summit-not-run.XXXXXX")
export SUMMIT_NOT_RUN_LOG
on_exit "rm -f '$SUMMIT_NOT_RUN_LOG'"

# ---------------------------------------------------------------------------
# d. gofmt, go vet, go test.
fmt_dirs=()
for d in cmd app models templates static; do
	[ -d "$d" ] && fmt_dirs+=("$d")
done
if [ ${#fmt_dirs[@]} -gt 0 ]; then
	log "gofmt -l ${fmt_dirs[*]}"
	unformatted=$(gofmt -l "${fmt_dirs[@]}")
	if [ -n "$unformatted" ]; then
		printf '%s\n' "$unformatted" >&2
		die "the files above are not gofmt-formatted (run: make fmt)"
	fi
fi

log "go vet ./..."
go vet ./...

# Extra arguments go to go test. If none of them names packages (./x, ../x,
# ., summit/..., all), ./... is added, before -args if that is present.
args=("$@")
has_pkgs=
for a in "${args[@]}"; do
	[ "$a" = -args ] && break
	case $a in ./* | ../* | . | summit | summit/* | all) has_pkgs=1 ;; esac
done
if [ -z "$has_pkgs" ]; then
	out=()
	inserted=
	for a in "${args[@]}"; do
		if [ "$a" = -args ] && [ -z "$inserted" ]; then
			out+=(./...)
			inserted=1
		fi
		out+=("$a")
	done
	[ -n "$inserted" ] || out+=(./...)
	args=("${out[@]}")
fi

log "go test -count=1 -timeout 40m ${args[*]}"
set +e
go test -count=1 -timeout 40m "${args[@]}" 2>&1 | tee "$TEST_OUTPUT_DIR/go-test.log"
status=${PIPESTATUS[0]}
set -e
if [ -s "$SUMMIT_NOT_RUN_LOG" ]; then
	printf '\n' >&2
	sort -u "$SUMMIT_NOT_RUN_LOG" >&2
	printf '!!! Some tests did not run (above): this run is not a full check. Install what is missing or run with CI=1 to make it fail.\n\n' >&2
fi
if [ "$status" -eq 0 ]; then
	log "tests passed"
else
	log "tests FAILED (exit $status); output also in $TEST_OUTPUT_DIR/go-test.log"
fi
exit "$status"
