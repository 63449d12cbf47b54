# rules2c.awk: turn rule files into src/rules_bundled.c, the rules built
# into the binary (rules_bundled[] of rules.h).  Portable awk: each line
# becomes a C string literal with '\' and '"' escaped and tabs as \t.
#   awk -f rules2c.awk rules/a.rules rules/b.rules > rules_bundled.c
BEGIN {
	print "/* Generated from the rule files by src/rules2c.awk: do not edit. */"
	print "#include \"config.h\""
	print ""
	print "#include \"rules.h\""
	print ""
	print "const struct rules_source rules_bundled[] = {"
	nfiles = 0
}
FNR == 1 {
	if (nfiles++ > 0)
		print "\t},"
	name = FILENAME
	sub(/.*\//, "", name)
	print "\t{ \"" name "\","
}
{
	# byte by byte: gsub's handling of '\' in replacements differs between awks
	line = ""
	for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		if (c == "\\" || c == "\"")
			line = line "\\" c
		else if (c == "\t")
			line = line "\\t"
		else
			line = line c
	}
	print "\t\"" line "\\n\""
}
END {
	if (nfiles > 0)
		print "\t},"
	print "\t{ 0, 0 },"
	print "};"
}
