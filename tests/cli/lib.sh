# Shared by the command-line and terminal tests: an isolated HOME, a demo
# catalog built once per build tree, and assertions that say what failed.
# Source it; then call the helpers. $SOUK is the binary under test.
set -u

: "${SOUK:?SOUK must point at the built souk binary}"
: "${top_builddir:=$(pwd)}"

T=$(mktemp -d "${TMPDIR:-/tmp}/souk-test.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export HOME="$T/home"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
unset SOUK_CATALOG SOUK_LLM_URL SOUK_LLM_MODEL SOUK_LLM_KEY OPENAI_API_KEY
mkdir -p "$HOME"
export LC_ALL=C.UTF-8

failures=0
checks=0

fail() {
	failures=$((failures + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

ok() {
	checks=$((checks + 1))
}

# check DESCRIPTION COMMAND...: the command must succeed
check() {
	desc=$1
	shift
	if "$@"; then ok; else fail "$desc"; fi
}

# assert_contains HAYSTACK NEEDLE DESCRIPTION
assert_contains() {
	case $1 in
	*"$2"*) ok ;;
	*) fail "$3: expected to find '$2' in: $(printf '%s' "$1" | head -c 600)" ;;
	esac
}

assert_not_contains() {
	case $1 in
	*"$2"*) fail "$3: did not expect '$2' in: $(printf '%s' "$1" | head -c 600)" ;;
	*) ok ;;
	esac
}

# assert_eq GOT EXPECTED DESCRIPTION
assert_eq() {
	if [ "$1" = "$2" ]; then ok; else fail "$3: expected '$2', got '$1'"; fi
}

# assert_status EXPECTED DESCRIPTION COMMAND...: exit status must match
assert_status() {
	want=$1
	desc=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then ok; else fail "$desc: exit $got, expected $want; stderr: $(head -c 400 "$T/err")"; fi
}

# demo_db: prints the path of a demo catalog (30,000 products, seed 1),
# built once per build tree and shared by the tests.
demo_db() {
	db="$top_builddir/tests/demo-test.db"
	if [ ! -s "$db" ]; then
		mkdir -p "$top_builddir/tests"
		lock="$db.lock"
		while ! mkdir "$lock" 2>/dev/null; do sleep 0.2; done
		# souk demo writes atomically (a temporary file, then a rename),
		# and the column index beside the catalog it names
		if [ ! -s "$db" ]; then
			"$SOUK" demo --products 30000 --seed 1 --out "$db" >/dev/null 2>&1
		fi
		rmdir "$lock"
	fi
	printf '%s\n' "$db"
}

# need_demo_db: DB names the shared demo catalog; a test that cannot have
# one ends here, failed.
need_demo_db() {
	DB=$(demo_db)
	if [ ! -s "$DB" ]; then
		fail "the demo catalog could not be built (souk demo)"
		finish
	fi
}

# finish: print the tally and exit with the right status.
finish() {
	printf '%s: %d checks, %d failed\n' "$(basename "$0")" "$checks" "$failures"
	[ "$failures" -eq 0 ] || exit 1
	[ "$checks" -gt 0 ] || exit 1
	exit 0
}
