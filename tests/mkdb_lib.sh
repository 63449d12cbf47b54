# Shared by the mkdb_*.test drivers (sourced, not run): builds the lookup
# databases and compares a reader's answers with tests/data/mkdb_lookup.expected.
# The caller has set -eu, LC_ALL=C and $tmp (a scratch directory).

data=$SRCDIR/tests/data
# The keys each lookup reports, in the expected file's column order.
mkdb_keys='country.iso_code continent.code autonomous_system_number autonomous_system_organization'

# mkdb_check_all READER: for each record size and tree, builds a database
# from the test CSVs and runs "READER DB ADDR" (which prints the tab-separated
# values of $mkdb_keys) on every expected address.  Fails on any difference.
mkdb_check_all() {
	reader=$1
	for ipv in 6 4; do
		if [ "$ipv" = 6 ]; then
			set -- --csv="$data/mkdb_ranges4.csv" --csv="$data/mkdb_ranges6.csv"
		else
			set -- --csv="$data/mkdb_ranges4.csv"
		fi
		grep -v '^#' "$data/mkdb_lookup.expected" |
		if [ "$ipv" = 6 ]; then cat; else grep -v '^[^	]*:'; fi \
		    >"$tmp/expected.v$ipv"
		for rs in 24 28 32; do
			db=$tmp/r$rs-v$ipv.mmdb
			"$LOGSCRUB_MKDB" --record-size="$rs" --ip-version="$ipv" \
			    "$@" -o "$db"
			: >"$tmp/got"
			while IFS='	' read -r addr rest; do
				printf '%s\t%s\n' "$addr" "$("$reader" "$db" "$addr")" \
				    >>"$tmp/got"
			done <"$tmp/expected.v$ipv"
			if ! diff -u "$tmp/expected.v$ipv" "$tmp/got"; then
				echo "FAIL: $reader, record size $rs, IPv$ipv tree" >&2
				return 1
			fi
			echo "ok: $reader, record size $rs, IPv$ipv tree"
		done
	done
}
