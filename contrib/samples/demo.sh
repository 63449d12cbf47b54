#!/bin/sh
# Show each bundled sample log before and after logscrub (run from the
# source tree after make).
set -eu
here=$(dirname "$0")
bin=${LOGSCRUB:-$here/../../src/logscrub}
for f in "$here"/*.log "$here"/*.json; do
	printf '\n==> %s: before\n' "$f"
	cat "$f"
	printf '==> %s: after logscrub\n' "$f"
	"$bin" "$f"
done
