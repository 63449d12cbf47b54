# Shared set-up of the shell test drivers: strict mode, a scratch directory
# removed at exit, and helpers.  Source it first: . "$SRCDIR/tests/lib.sh"
set -eu
LC_ALL=C
export LC_ALL
: "${LOGSCRUB:?run the tests with make check}"
: "${SRCDIR:?run the tests with make check}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# fail MESSAGE: report a failed check and stop.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# skip REASON: this test cannot run here (automake's exit 77).
skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# make_key FILE: the fixed test key of tests/data/test.key.hex, mode 0600.
make_key() {
	# shellcheck disable=SC2059
	printf "$(awk 'function h(c) { return index("0123456789abcdef", c) - 1 }
		{ for (i = 1; i < length($0); i += 2)
			printf "\\%03o", 16 * h(substr($0, i, 1)) + h(substr($0, i + 1, 1)) }' \
		"$SRCDIR/tests/data/test.key.hex")" > "$1"
	chmod 600 "$1"
}

# need_python: skip when python3 is missing.
need_python() {
	[ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" > /dev/null || skip "python3 not found"
}
