#!/usr/bin/env bash
# scripts/mutation.sh — mutation score of the domain rules in models/ with
# gremlins (github.com/go-gremlins/gremlins v0.6.0). Slow; not part of CI.
#
# Usage:
#   scripts/mutation.sh                 # every group below
#   scripts/mutation.sh registrations   # one group (csv, registrations,
#                                       # sessions, awards, accounts)
#   scripts/mutation.sh -f window       # one file of a group: registrations_window.go
#
# Each group mutates only its rule files and runs only the tests that are
# about them (a -run pattern, passed through GOFLAGS), on SQLite and Postgres
# (TEST_DATABASE_URL, CI=1 so nothing skips). A mutant is KILLED when a test
# fails, LIVED when all pass; NOT COVERED when no chosen test runs its line.
# Set MODE[group]=integration below to run every package's tests (app/
# included) for a group instead of the models tests only: much slower.
# Reports: test-output/mutation/<group>.{txt,json} (a -f run overwrites its
# group's). Do not rebase or edit models/ in this checkout while it runs:
# gremlins gathers coverage first and reads the files later. Results and
# how to read them (NOT COVERED, TIMED OUT): docs/TESTING.md, "Mutation score".
#
# Environment: WORKERS (default 1: the machine is shared), TIMEOUT_COEFFICIENT
# (default 4: a mutant's tests may take 4× the unmutated run before it counts
# as TIMED OUT), GREMLINS (path of the binary; installed with go install if
# missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

GREMLINS=${GREMLINS:-$(go env GOPATH)/bin/gremlins}
if [ ! -x "$GREMLINS" ]; then
	go install github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
fi
export CI=1
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
OUT="${TEST_OUTPUT_DIR:-$ROOT/test-output}/mutation"
mkdir -p "$OUT"

# group → rule files (models/<name>.go) and the tests about them.
declare -A FILES TESTS MODE
FILES[csv]="csvsafe"
TESTS[csv]='CSV'
FILES[registrations]="registrations registrations_window registrations_roster registrations_walkin"
TESTS[registrations]='Regist|Cancel|FillState|Organiser|Waitlist|WalkIn'
FILES[sessions]="sessions"
TESTS[sessions]='Session|Speaker|Overlap|Booking|DST|Seats|Moving|Summit'
FILES[awards]="awards awards_categories awards_nominations awards_judging awards_results awards_embargo awards_progress awards_coverage"
TESTS[awards]='Award|Nominat|Nominee|Judg|Score|Result|Withdraw|Winner|Announce|Honoree|Blind|Category|Ceremony|Coverage'
FILES[accounts]="accounts signin"
TESTS[accounts]='ResetLink|ChangePassword|FirstRunSetup|SignIn|AuditChoices'
ORDER=(csv registrations sessions awards accounts)

only_file=
if [ "${1:-}" = -f ]; then
	only_file=$2
	shift 2
fi
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=("${ORDER[@]}")

run_group() {
	local g=$1 files=() f base excl=() args=()
	read -r -a files <<<"${FILES[$g]}"
	if [ -n "$only_file" ]; then
		files=("${g}_$only_file")
		[ -f "models/${files[0]}.go" ] || files=("$only_file")
	fi
	# Exclude every models/ file that is not one of the group's.
	for f in models/*.go; do
		base=$(basename "$f" .go)
		case $base in *_test) continue ;; esac
		if ! printf '%s\n' "${files[@]}" | grep -qx "$base"; then
			excl+=(-E "^$base\\.go\$")
		fi
	done
	excl+=(-E '^export/' -E '^modelstest/' -E '^internal/' -E '_test\.go$')
	args=(unleash --workers "${WORKERS:-1}" --timeout-coefficient "${TIMEOUT_COEFFICIENT:-4}" -o "$OUT/$g.json")
	if [ "${MODE[$g]:-}" = integration ]; then
		args+=(--integration)
	fi
	printf '==> %s: mutating %s; tests -run %s%s\n' "$g" "${files[*]}" "${TESTS[$g]}" "${MODE[$g]:+ (integration: every package)}" >&2
	local start=$SECONDS
	GOFLAGS="-count=1 -run=${TESTS[$g]}" "$GREMLINS" "${args[@]}" "${excl[@]}" models | tee "$OUT/$g.txt"
	printf '==> %s: %d s\n' "$g" $((SECONDS - start)) >&2
}

for g in "${groups[@]}"; do
	[ -n "${FILES[$g]:-}" ] || {
		echo "unknown group $g (one of: ${ORDER[*]})" >&2
		exit 2
	}
	run_group "$g"
done
