# Sourced by the geo_*.test drivers, after tests/lib.sh: where the
# databases come from, and the helpers the drivers share.
. "$SRCDIR/tests/lib.sh"
tmp=$TMP
SHARED_GEOIP=$SRCDIR/../shared/geoip
MKDB=${LOGSCRUB_MKDB:-${BUILDDIR:-.}/src/logscrub-mkdb}

# need_shared: skip unless MaxMind's test databases are there.
need_shared() {
	[ -r "$SHARED_GEOIP/GeoIP2-Country-Test.mmdb" ] || skip "no $SHARED_GEOIP"
}

# need_mkdb: skip unless logscrub-mkdb has been built.
need_mkdb() {
	[ -x "$MKDB" ] || skip "no logscrub-mkdb at $MKDB"
}

# expect WHAT GOT WANT: fail unless the two strings are equal.
expect() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# refused WHAT TEXT ARGS...: logscrub ARGS must exit 2 with TEXT in its
# message and write nothing to standard output.
refused() {
	what=$1 text=$2
	shift 2
	st=0
	echo 192.0.2.1 | "$LOGSCRUB" "$@" >"$tmp/out" 2>"$tmp/err" || st=$?
	expect "$what: exit status" "$st" 2
	grep -qF -- "$text" "$tmp/err" || fail "$what: message lacks '$text': $(cat "$tmp/err")"
	[ ! -s "$tmp/out" ] || fail "$what: wrote output: $(cat "$tmp/out")"
}
