# Shared set-up of the shell test drivers: strict mode, a scratch directory
# removed at exit, and helpers.  Source it first: . "$SRCDIR/tests/lib.sh"
set -eu
LC_ALL=C
export LC_ALL
: "${LOGSCRUB:?run the tests with make check}"
: "${SRCDIR:?run the tests with make check}"
TMP=$(mktemp -d)
# background processes a driver started (logscrub, syslog-ng): killed at exit
BG_PIDS=""
cleanup() {
	for p in $BG_PIDS; do
		kill "$p" 2> /dev/null || :
	done
	chmod -R u+w "$TMP" 2> /dev/null || :
	rm -rf "$TMP"
}
trap cleanup EXIT

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

# wait_until TENTHS CMD...: run CMD every 0.1 s until it succeeds, at most
# TENTHS times; false when it never does.  Bounded, so a loaded machine
# makes a test slower, not stuck.
wait_until() {
	n=$1
	shift
	until "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# lines FILE: its number of lines (0 when it does not exist).
lines() {
	if [ -f "$1" ]; then wc -l < "$1" | tr -d ' '; else echo 0; fi
}

# has_lines FILE N: true when FILE has at least N lines.
has_lines() {
	[ "$(lines "$1")" -ge "$2" ]
}

# free_port: a TCP port on 127.0.0.1 that nobody listens on now.
free_port() {
	"$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
