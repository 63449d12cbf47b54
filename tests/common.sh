# Sourced by the shell test drivers: a temporary directory removed at exit
# (with any background process a driver registered), and bounded waits.
# Drivers run with LOGSCRUB, SRCDIR, BUILDDIR, PYTHON3 and LC_ALL=C set.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/logscrub-test.XXXXXX")
bg_pids=""

cleanup() {
	for p in $bg_pids; do
		kill "$p" 2>/dev/null || :
	done
	chmod -R u+w "$tmp" 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -n "${KEEP_TMP:-}" ] && trap - EXIT

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# wait_until TENTHS CMD...: run CMD every 0.1 s until it succeeds, at most
# TENTHS times; fails when it never does.  Bounded, so a loaded machine
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

# free_port: a TCP port on 127.0.0.1 nobody listens on now.
free_port() {
	"$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
