/*
 * rules: reading rule files, compiling them with PCRE2, matching a line.
 * See rules.h for the contract and logscrub.rules(5) for the language.
 */
#include "config.h"

#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "litfind.h"
#include "relit.h"
#include "timestamp.h"

/* Largest rule file read (a rule file is text written by a person). */
#define RULES_FILE_MAX (1024 * 1024)
/* Longest rule, define or group name (PCRE2 allows 32 for a group). */
#define RULES_NAME_MAX 32
/* Most %{...} expansions in one pattern (each is a segment of the error map). */
#define RULES_EXPAND_MAX 16
/* Most files in a --rules directory. */
#define RULES_DIR_MAX 256
/* Most prefilter lines of one rule. */
#define RULES_PREFILTERS_MAX 8
/* Most fields lines of one rule. */
#define RULES_FIELDS_MAX 8
/* Longest leading literal kept for a fields pattern (relit.h). */
#define RULES_LEAD_MAX 32

/* Where a value stands in its source, for messages. */
struct where {
	const char *file;
	int line, col;
};

/* A group action as read: the group name and where the action was written. */
struct named_act {
	char name[RULES_NAME_MAX + 1];
	struct rules_act act;
	struct where at;
};

/* A pattern as read: its text and where the text starts. */
struct text {
	char *s;
	struct where at;
};

/* A [rule] or [define] block as read. */
struct item {
	char name[RULES_NAME_MAX + 1];
	bool define;
	struct where at;
	char *description;
	char *prefilter[RULES_PREFILTERS_MAX];
	size_t nprefilters;
	struct text pattern;
	struct text fields[RULES_FIELDS_MAX];
	size_t nfields;
	struct named_act *acts;
	size_t nacts;
	enum geo_place geo;		/* geo = PLACE:GROUP, or GEO_PLACE_NONE */
	char *geo_group;
	struct where geo_at;
};

/* Whether a pattern has JIT code: compiled on its first match, so that
 * rules that no line reaches cost no JIT compilation. */
enum jit_state {
	JIT_UNTRIED,
	JIT_ON,				/* call pcre2_jit_match() */
	JIT_OFF,			/* no JIT here: the interpreter serves */
};

/*
 * A compiled pattern and the actions of its named groups (only those that
 * do something other than the free-text scan); what a line's first byte
 * must be for an anchored pattern to match (PCRE2's own start-byte study),
 * so that most rules are refused without a call into PCRE2; and, for a
 * fields pattern, the literal its matches start with (relit.h) and a byte
 * they must hold (PCRE2's last code unit), so that a line without them
 * costs a quick search (litfind.h, memchr(3)), not a search by PCRE2.
 */
struct pat {
	pcre2_code *re;
	enum jit_state jit;
	uint32_t ngroups;
	uint32_t *group;		/* group numbers with an action ... */
	struct rules_act *act;		/* ... and their actions */
	size_t nacts;
	bool first_known;		/* first[] holds the possible first bytes */
	uint8_t first[32];		/* bitmap of 256 bytes */
	struct lit lead;		/* len 0: none */
	int need;			/* a byte every match holds, or -1 */
};

struct rule {
	const struct item *it;
	struct lit pf[RULES_PREFILTERS_MAX];
	size_t npf;
	struct pat pattern;
	struct pat fields[RULES_FIELDS_MAX];
	size_t nfields;
};

struct rules {
	struct item *items;
	size_t nitems, nuser;		/* nuser: items added by --rules come first */
	char **files;			/* file names and texts kept for messages and args */
	size_t nfiles;
	struct rule *v;
	size_t n;
	long selected;			/* index of --format=NAME, or -1: auto */
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	const PCRE2_SIZE *ov;		/* md's offsets (the pointer stays) */
};

/* snprintf into err; returns -1 so that callers can "return fail(...)". */
static int
fail(char err[RULES_ERRLEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, RULES_ERRLEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* Keep s (malloc'd) until rules_free; returns s, or NULL (s freed) when
 * memory ran out. */
static char *
keep(struct rules *rs, char *s)
{
	char **f;

	if (s == NULL)
		return NULL;
	f = realloc(rs->files, (rs->nfiles + 1) * sizeof *f);
	if (f == NULL) {
		free(s);
		return NULL;
	}
	rs->files = f;
	rs->files[rs->nfiles++] = s;
	return s;
}

/* A kept copy of p[0..n) with a NUL. */
static char *
keep_copy(struct rules *rs, const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return keep(rs, s);
}

/* An empty rule set, or NULL when memory ran out. */
struct rules *
rules_new(void)
{
	struct rules *rs = calloc(1, sizeof *rs);

	if (rs == NULL)
		return NULL;
	rs->selected = -1;
	rs->mctx = pcre2_match_context_create(NULL);
	if (rs->mctx == NULL) {
		free(rs);
		return NULL;
	}
	pcre2_set_match_limit(rs->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, RULES_DEPTH_LIMIT);
	return rs;
}

/* Free a compiled pattern's parts. */
static void
pat_free(struct pat *p)
{
	pcre2_code_free(p->re);
	free(p->group);
	free(p->act);
}

/* Free everything; NULL is fine. */
void
rules_free(struct rules *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->n; i++) {
		pat_free(&rs->v[i].pattern);
		for (size_t f = 0; f < rs->v[i].nfields; f++)
			pat_free(&rs->v[i].fields[f]);
	}
	free(rs->v);
	for (size_t i = 0; i < rs->nitems; i++)
		free(rs->items[i].acts);
	free(rs->items);
	for (size_t i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	pcre2_match_data_free(rs->md);
	pcre2_match_context_free(rs->mctx);
	free(rs);
}

/* True when s[0..n) is a name: 1 to RULES_NAME_MAX of [A-Za-z0-9_.-] (a
 * group name: no '.', '-', no leading digit). */
static bool
name_ok(const char *s, size_t n, bool group)
{
	if (n == 0 || n > RULES_NAME_MAX || (group && s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';

		if (!word && (group || (c != '.' && c != '-')))
			return false;
	}
	return true;
}

/* Parse the action "ACTION[:ARG]" v of group g into *a.  Returns 0, or -1
 * with a message in err. */
static int
parse_action(const char *v, const struct where *at, struct rules_act *a, char err[RULES_ERRLEN])
{
	static const char *const names[] = {
		"scan", "ip", "email", "user", "host", "time", "keep", "redact", NULL,
	};
	const char *colon = strchr(v, ':');
	size_t l = colon ? (size_t)(colon - v) : strlen(v);
	const char *arg = colon ? colon + 1 : NULL;
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == l && memcmp(names[i], v, l) == 0)
			break;
	if (names[i] == NULL)
		return fail(err, "%s:%d:%d: unknown action '%.*s' (scan, ip, email, user, host, time, keep or redact)",
		    at->file, at->line, at->col, (int)l, v);
	a->action = (enum rules_action)i;
	a->time_format = -1;
	a->arg = arg;
	a->arg_len = arg ? strlen(arg) : 0;
	switch (a->action) {
	case RULES_HOST:
		if (arg == NULL)
			a->arg = "pseudonymise", a->arg_len = strlen(a->arg);
		else if (strcmp(arg, "reduce") != 0 && strcmp(arg, "pseudonymise") != 0)
			return fail(err, "%s:%d:%d: host takes reduce or pseudonymise, not '%s'",
			    at->file, at->line, at->col + (int)l + 1, arg);
		return 0;
	case RULES_TIME:
		if ((a->time_format = ts_format_from_name(arg)) >= 0)
			return 0;
		return fail(err, "%s:%d:%d: time needs a format: time:auto, clf, rfc3164, iso8601, nginx-error, exim, apache-error, epoch or tai64n",
		    at->file, at->line, at->col);
	case RULES_REDACT:
		if (arg == NULL)
			a->arg = "-", a->arg_len = 1;
		return 0;
	default:
		if (arg != NULL)
			return fail(err, "%s:%d:%d: %.*s takes no argument", at->file, at->line, at->col, (int)l, v);
		return 0;
	}
}

/* Index of the item called name (a define or a rule), or -1. */
static long
find_item(const struct rules *rs, const char *name, bool define)
{
	for (size_t i = 0; i < rs->nitems; i++)
		if (rs->items[i].define == define && strcmp(rs->items[i].name, name) == 0)
			return (long)i;
	return -1;
}

/*
 * Put the parsed block *it into the set: it replaces an item of the same
 * name and kind where that stands; otherwise a bundled item goes last and
 * a user item (--rules) after the user items before it, so that the
 * user's new rules are tried before the bundled ones.  A name twice in one
 * source (the same kept file name) is refused.
 */
static int
put_item(struct rules *rs, struct item *it, bool user, char err[RULES_ERRLEN])
{
	long old = find_item(rs, it->name, it->define);
	struct item *v;
	size_t at;

	if (old >= 0 && rs->items[old].at.file == it->at.file) {
		free(it->acts);
		return fail(err, "%s:%d:1: %s '%s' is already defined on line %d", it->at.file, it->at.line,
		    it->define ? "define" : "rule", it->name, rs->items[old].at.line);
	}
	if (old >= 0) {
		free(rs->items[old].acts);
		rs->items[old] = *it;
		return 0;
	}
	v = realloc(rs->items, (rs->nitems + 1) * sizeof *v);
	if (v == NULL) {
		free(it->acts);
		return fail(err, "%s: %s", it->at.file, strerror(ENOMEM));
	}
	rs->items = v;
	at = user ? rs->nuser++ : rs->nitems;
	memmove(v + at + 1, v + at, (rs->nitems - at) * sizeof *v);
	v[at] = *it;
	rs->nitems++;
	return 0;
}

/* Check and store the finished block *it (if any). */
static int
end_item(struct rules *rs, struct item *it, bool user, char err[RULES_ERRLEN])
{
	if (it->name[0] == '\0')
		return 0;
	if (it->pattern.s == NULL) {
		free(it->acts);
		return fail(err, "%s:%d:1: %s '%s' has no pattern", it->at.file, it->at.line,
		    it->define ? "define" : "rule", it->name);
	}
	if (it->define && (it->nfields || it->nprefilters || it->description || it->geo_group)) {
		free(it->acts);
		return fail(err, "%s:%d:1: define '%s' may only have a pattern and group actions",
		    it->at.file, it->at.line, it->name);
	}
	return put_item(rs, it, user, err);
}

/* Parse "[rule NAME]" or "[define NAME]" at s (line text, NUL-terminated)
 * into a fresh *it. */
static int
parse_header(char *s, const struct where *at, struct item *it, char err[RULES_ERRLEN])
{
	char *close = strchr(s, ']');
	char *name;

	*it = (struct item){ .at = *at };
	if (strncmp(s, "[rule ", 6) == 0)
		name = s + 6;
	else if (strncmp(s, "[define ", 8) == 0)
		name = s + 8, it->define = true;
	else
		return fail(err, "%s:%d:%d: expected [rule NAME] or [define NAME]", at->file, at->line, at->col);
	while (*name == ' ')
		name++;
	if (close == NULL || close[1] != '\0' || !name_ok(name, (size_t)(close - name), false))
		return fail(err, "%s:%d:%d: a name is 1 to %d letters, digits, '_', '.' or '-', then ']' ends the line",
		    at->file, at->line, at->col + (int)(name - s), RULES_NAME_MAX);
	memcpy(it->name, name, (size_t)(close - name));
	it->name[close - name] = '\0';
	return 0;
}

/* Value of hex digit c, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* Decode the escapes of a prefilter in place: \xHH (a byte, so that a
 * prefilter can hold a leading or trailing blank: \x20) and \\.  Returns
 * 0, or -1 for another escape or \x00. */
static int
unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
		} else if (s[1] == '\\') {
			*o++ = *++s;
		} else if (s[1] == 'x' && hexval(s[2]) >= 0 && hexval(s[3]) >= 0 && (s[2] != '0' || s[3] != '0')) {
			*o++ = (char)(hexval(s[2]) << 4 | hexval(s[3]));
			s += 3;
		} else {
			return -1;
		}
	}
	*o = '\0';
	return 0;
}

/* The placements of "geo = PLACE:GROUP", by name. */
static const struct {
	const char *name;
	enum geo_place place;
} geo_places[] = {
	{ "end", GEO_PLACE_END }, { "json", GEO_PLACE_JSON }, { "kv", GEO_PLACE_KV },
};

/* Parse the value v of "geo = PLACE:GROUP" (kept until rules_free) into
 * *it; at: where v starts. */
static int
parse_geo(char *v, const struct where *at, struct item *it, char err[RULES_ERRLEN])
{
	char *group = strchr(v, ':');

	if (it->geo_group != NULL)
		return fail(err, "%s:%d:%d: geo given twice", at->file, at->line, at->col);
	if (group == NULL || !name_ok(group + 1, strlen(group + 1), true))
		return fail(err, "%s:%d:%d: geo is PLACE:GROUP (end, json or kv, and a group name)",
		    at->file, at->line, at->col);
	*group++ = '\0';
	for (size_t i = 0; i < sizeof geo_places / sizeof geo_places[0]; i++)
		if (strcmp(v, geo_places[i].name) == 0) {
			it->geo = geo_places[i].place;
			it->geo_group = group;
			it->geo_at = *at;
			return 0;
		}
	return fail(err, "%s:%d:%d: '%s' is not a geo placement (end, json, kv)", at->file, at->line, at->col, v);
}

/* Parse "KEY = VALUE" (the line s, NUL-terminated, kept until rules_free)
 * into *it.  col0: the column of s[0]. */
static int
parse_setting(char *s, const struct where *at, struct item *it, char err[RULES_ERRLEN])
{
	size_t kl = 0;
	char *v;
	struct where vat = *at;
	struct named_act *na;

	while (s[kl] && s[kl] != '=' && s[kl] != ' ' && s[kl] != '\t')
		kl++;
	v = s + kl;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v != '=' || kl == 0)
		return fail(err, "%s:%d:%d: expected KEY = VALUE", at->file, at->line, at->col);
	if (it->name[0] == '\0')
		return fail(err, "%s:%d:%d: '%.*s' outside a [rule] or [define] block", at->file, at->line, at->col, (int)kl, s);
	v++;
	while (*v == ' ' || *v == '\t')
		v++;
	vat.col = at->col + (int)(v - s);
	s[kl] = '\0';
	if (*v == '\0')
		return fail(err, "%s:%d:%d: %s has no value", at->file, at->line, vat.col, s);
	if (strcmp(s, "description") == 0) {
		if (it->description != NULL)
			return fail(err, "%s:%d:%d: %s given twice", at->file, at->line, at->col, s);
		it->description = v;
		return 0;
	}
	if (strcmp(s, "prefilter") == 0) {
		if (it->nprefilters == RULES_PREFILTERS_MAX)
			return fail(err, "%s:%d:%d: more than %d prefilters", at->file, at->line, at->col, RULES_PREFILTERS_MAX);
		if (unescape(v) < 0)
			return fail(err, "%s:%d:%d: a prefilter escape is \\xHH (two hex digits, not 00) or \\\\",
			    at->file, at->line, vat.col);
		it->prefilter[it->nprefilters++] = v;
		return 0;
	}
	if (strcmp(s, "pattern") == 0) {
		if (it->pattern.s != NULL)
			return fail(err, "%s:%d:%d: %s given twice", at->file, at->line, at->col, s);
		it->pattern.s = v, it->pattern.at = vat;
		return 0;
	}
	if (strcmp(s, "geo") == 0)
		return parse_geo(v, &vat, it, err);
	if (strcmp(s, "fields") == 0) {
		if (it->nfields == RULES_FIELDS_MAX)
			return fail(err, "%s:%d:%d: more than %d fields", at->file, at->line, at->col, RULES_FIELDS_MAX);
		it->fields[it->nfields].s = v, it->fields[it->nfields++].at = vat;
		return 0;
	}
	if (!name_ok(s, kl, true))
		return fail(err, "%s:%d:%d: '%s' is not a setting (description, prefilter, pattern, fields, geo) nor a group name",
		    at->file, at->line, at->col, s);
	for (size_t i = 0; i < it->nacts; i++)
		if (strcmp(it->acts[i].name, s) == 0)
			return fail(err, "%s:%d:%d: group '%s' has an action already", at->file, at->line, at->col, s);
	na = realloc(it->acts, (it->nacts + 1) * sizeof *na);
	if (na == NULL)
		return fail(err, "%s: %s", at->file, strerror(ENOMEM));
	it->acts = na;
	na += it->nacts++;
	memcpy(na->name, s, kl + 1);
	na->at = *at;
	return parse_action(v, &vat, &na->act, err);
}

/*
 * Read the rule source src into the set (user: it comes from --rules).
 * The text is copied and kept.  Returns 0, or -1 with "FILE:LINE:COLUMN:
 * message" in err.
 */
static int
add_text(struct rules *rs, const char *name, const char *text, bool user, char err[RULES_ERRLEN])
{
	char *fname = keep_copy(rs, name, strlen(name));
	char *buf = keep_copy(rs, text, strlen(text));
	struct item it = { .name = "" };
	char *line = buf;
	int ln = 0;

	if (fname == NULL || buf == NULL)
		return fail(err, "%s: %s", name, strerror(ENOMEM));
	while (line != NULL) {
		char *nl = strchr(line, '\n'), *s = line, *e;
		struct where at = { fname, ++ln, 1 };

		if (nl != NULL)
			*nl = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		at.col = 1 + (int)(s - line);
		line = nl ? nl + 1 : NULL;
		e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		*e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			if (end_item(rs, &it, user, err) < 0)
				return -1;
			if (parse_header(s, &at, &it, err) < 0)
				return -1;
			continue;
		}
		if (parse_setting(s, &at, &it, err) < 0) {
			free(it.acts);
			return -1;
		}
	}
	return end_item(rs, &it, user, err);
}

/* Read the file at path (at most RULES_FILE_MAX bytes) into the set. */
static int
add_file(struct rules *rs, const char *path, char err[RULES_ERRLEN])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	char *buf;
	size_t len = 0;
	ssize_t r;
	int ret;

	if (fd < 0)
		return fail(err, "%s: %s", path, strerror(errno));
	buf = malloc(RULES_FILE_MAX + 1);
	if (buf == NULL) {
		close(fd);
		return fail(err, "%s: %s", path, strerror(ENOMEM));
	}
	while ((r = read(fd, buf + len, RULES_FILE_MAX + 1 - len)) > 0 && len + (size_t)r <= RULES_FILE_MAX)
		len += (size_t)r;
	if (r != 0 || memchr(buf, '\0', len) != NULL) {
		ret = fail(err, "%s: %s", path, r < 0 ? strerror(errno) :
		    r > 0 ? "larger than 1 MiB, not a rule file" : "holds a NUL byte, not a rule file");
	} else {
		buf[len] = '\0';
		ret = add_text(rs, path, buf, true, err);
	}
	free(buf);
	close(fd);
	return ret;
}

/* Order of file names in a --rules directory. */
static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read every *.rules file of the directory path, in name order. */
static int
add_dir(struct rules *rs, const char *path, DIR *d, char err[RULES_ERRLEN])
{
	char *names[RULES_DIR_MAX];
	size_t n = 0;
	struct dirent *de;
	int ret = 0;

	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l <= 6 || de->d_name[0] == '.' || strcmp(de->d_name + l - 6, ".rules") != 0)
			continue;
		if (n == RULES_DIR_MAX) {
			ret = fail(err, "%s: more than %d rule files", path, RULES_DIR_MAX);
			break;
		}
		if (asprintf(&names[n], "%s/%s", path, de->d_name) < 0) {
			ret = fail(err, "%s: %s", path, strerror(ENOMEM));
			break;
		}
		n++;
	}
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (ret == 0)
			ret = add_file(rs, names[i], err);
		free(names[i]);
	}
	return ret;
}

/*
 * Add the rules of --rules=PATH: a file, or every *.rules file of a
 * directory in name order.  A rule (or define) named like one already
 * loaded replaces it where it stands; a new one is tried before the
 * bundled rules.  Returns 0, or -1 with a message in err.
 */
int
rules_add_path(struct rules *rs, const char *path, char err[RULES_ERRLEN])
{
	DIR *d = opendir(path);
	int ret;

	if (d == NULL)
		return errno == ENOTDIR ? add_file(rs, path, err) : fail(err, "%s: %s", path, strerror(errno));
	ret = add_dir(rs, path, d, err);
	closedir(d);
	return ret;
}

/* Add a bundled source (rules_bundled[]): its rules go after those already
 * there. */
int
rules_add_source(struct rules *rs, const struct rules_source *src, char err[RULES_ERRLEN])
{
	return add_text(rs, src->name, src->text, false, err);
}

/* One piece of an expanded pattern: from offset off on, the text is the
 * item's own from column col, or (def) a define expanded at column col. */
struct seg {
	size_t off;
	int col;
	bool def;
};

/*
 * Expand every %{NAME} of t with the pattern of define NAME into a kept
 * string *out, recording the pieces in seg (for error columns) and the
 * defines used in used[] (for their group actions).
 */
static int
expand(struct rules *rs, const struct text *t, char **out, struct seg *seg, size_t *nseg,
    long *used, size_t *nused, char err[RULES_ERRLEN])
{
	size_t len = strlen(t->s), cap = len + 1, o = 0;
	const char *s = t->s, *p;
	char *buf = malloc(cap);

	*nseg = *nused = 0;
	if (buf == NULL)
		return fail(err, "%s: %s", t->at.file, strerror(ENOMEM));
	seg[(*nseg)++] = (struct seg){ 0, t->at.col, false };
	while ((p = strstr(s, "%{")) != NULL) {
		const char *close = strchr(p, '}');
		int col = t->at.col + (int)(p - t->s);
		char name[RULES_NAME_MAX + 1];
		long d;
		size_t dl;
		char *nb;

		if (close == NULL || !name_ok(p + 2, (size_t)(close - p - 2), false)) {
			free(buf);
			return fail(err, "%s:%d:%d: %%{ must be followed by a define name and }", t->at.file, t->at.line, col);
		}
		memcpy(name, p + 2, (size_t)(close - p - 2));
		name[close - p - 2] = '\0';
		d = find_item(rs, name, true);
		if (d < 0 || *nseg + 2 > RULES_EXPAND_MAX) {
			free(buf);
			return fail(err, "%s:%d:%d: %s", t->at.file, t->at.line, col,
			    d < 0 ? "no such define" : "too many %{...} in one pattern");
		}
		if (strstr(rs->items[d].pattern.s, "%{") != NULL) {
			free(buf);
			return fail(err, "%s:%d:%d: a define may not use %%{...}", rs->items[d].pattern.at.file,
			    rs->items[d].pattern.at.line, rs->items[d].pattern.at.col);
		}
		dl = strlen(rs->items[d].pattern.s);
		cap += dl;
		nb = realloc(buf, cap);
		if (nb == NULL) {
			free(buf);
			return fail(err, "%s: %s", t->at.file, strerror(ENOMEM));
		}
		buf = nb;
		memcpy(buf + o, s, (size_t)(p - s));
		o += (size_t)(p - s);
		seg[(*nseg)++] = (struct seg){ o, col, true };
		memcpy(buf + o, rs->items[d].pattern.s, dl);
		o += dl;
		seg[(*nseg)++] = (struct seg){ o, t->at.col + (int)(close + 1 - t->s), false };
		used[(*nused)++] = d;
		s = close + 1;
	}
	strcpy(buf + o, s);
	*out = keep(rs, buf);
	return *out ? 0 : fail(err, "%s: %s", t->at.file, strerror(ENOMEM));
}

/* The action for group name of an item, its own first, then that of a
 * define it uses; NULL when none. */
static const struct rules_act *
act_for(const struct rules *rs, const struct item *it, const long *used, size_t nused, const char *name)
{
	for (size_t i = 0; i < it->nacts; i++)
		if (strcmp(it->acts[i].name, name) == 0)
			return &it->acts[i].act;
	for (size_t u = 0; u < nused; u++) {
		const struct item *d = &rs->items[used[u]];

		for (size_t i = 0; i < d->nacts; i++)
			if (strcmp(d->acts[i].name, name) == 0)
				return &d->acts[i].act;
	}
	return NULL;
}

/* For an anchored pattern, the bytes a matching line can start with, as
 * PCRE2's study found them (a first code unit or a start bitmap). */
static void
first_bytes(struct pat *pat)
{
	uint32_t opts, type, unit;
	const uint8_t *bitmap = NULL;

	pat->first_known = false;
	pcre2_pattern_info(pat->re, PCRE2_INFO_ALLOPTIONS, &opts);
	if (!(opts & PCRE2_ANCHORED))
		return;
	pcre2_pattern_info(pat->re, PCRE2_INFO_FIRSTCODETYPE, &type);
	if (type == 1) {
		pcre2_pattern_info(pat->re, PCRE2_INFO_FIRSTCODEUNIT, &unit);
		memset(pat->first, 0, sizeof pat->first);
		pat->first[unit >> 3 & 31] |= (uint8_t)(1u << (unit & 7));
		if (opts & PCRE2_CASELESS)
			return;		/* a caseless first unit: no check */
		pat->first_known = true;
	} else if (type == 0 && pcre2_pattern_info(pat->re, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap != NULL) {
		memcpy(pat->first, bitmap, sizeof pat->first);
		pat->first_known = true;
	}
}

/* Fill pat->lead with the literal its matches start with (x: the
 * expanded pattern) and pat->need with a non-letter byte they hold (a
 * letter could match in the other case under (?i)).  Returns 0, or -1 when
 * memory ran out. */
static int
find_gates(struct rules *rs, const char *x, struct pat *pat)
{
	char lit[RULES_LEAD_MAX];
	size_t len = relit_lead(x, lit, sizeof lit);
	uint32_t type, unit;

	pat->lead.len = 0;
	if (len > 0) {
		const char *kept = keep_copy(rs, lit, len);

		if (kept == NULL)
			return -1;
		lit_init(&pat->lead, kept, len);
	}
	pat->need = -1;
	pcre2_pattern_info(pat->re, PCRE2_INFO_LASTCODETYPE, &type);
	pcre2_pattern_info(pat->re, PCRE2_INFO_LASTCODEUNIT, &unit);
	if (type == 1 && !((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z'))
		pat->need = (int)unit;
	return 0;
}

/* True when re has a group called name. */
static bool
has_group(const pcre2_code *re, const char *name)
{
	return re != NULL && pcre2_substring_nametable_scan(re, (PCRE2_SPTR)name, NULL, NULL) != PCRE2_ERROR_NOSUBSTRING;
}

/*
 * Compile the pattern t of item it into *pat: expand the defines, compile
 * (no UTF: lines are bytes; the JIT comes on the first match), find its
 * gates, and give each named group its action.
 * A compile error comes back as "FILE:LINE:COLUMN: PCRE2's message".
 */
static int
compile_pat(struct rules *rs, const struct item *it, const struct text *t, struct pat *pat, char err[RULES_ERRLEN])
{
	struct seg seg[RULES_EXPAND_MAX];
	long used[RULES_EXPAND_MAX];
	size_t nseg, nused, k;
	char *x;
	int code;
	PCRE2_SIZE eoff;
	uint32_t count, size;
	PCRE2_SPTR table;

	if (expand(rs, t, &x, seg, &nseg, used, &nused, err) < 0)
		return -1;
	pat->re = pcre2_compile((PCRE2_SPTR)x, PCRE2_ZERO_TERMINATED, PCRE2_DUPNAMES | PCRE2_NEVER_UTF,
	    &code, &eoff, NULL);
	if (pat->re == NULL) {
		PCRE2_UCHAR msg[256];

		for (k = nseg; k > 1 && seg[k - 1].off > eoff; k--)
			;
		pcre2_get_error_message(code, msg, sizeof msg);
		return fail(err, "%s:%d:%d: %s%s", t->at.file, t->at.line,
		    seg[k - 1].col + (seg[k - 1].def ? 0 : (int)(eoff - seg[k - 1].off)),
		    seg[k - 1].def ? "in this %{...}: " : "", (const char *)msg);
	}
	first_bytes(pat);
	if (find_gates(rs, x, pat) < 0)
		return fail(err, "%s: %s", t->at.file, strerror(ENOMEM));
	pcre2_pattern_info(pat->re, PCRE2_INFO_CAPTURECOUNT, &pat->ngroups);
	pcre2_pattern_info(pat->re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(pat->re, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(pat->re, PCRE2_INFO_NAMETABLE, &table);
	pat->group = calloc(count + 1, sizeof *pat->group);
	pat->act = calloc(count + 1, sizeof *pat->act);
	if (pat->group == NULL || pat->act == NULL)
		return fail(err, "%s: %s", t->at.file, strerror(ENOMEM));
	for (uint32_t i = 0; i < count; i++, table += size) {
		const struct rules_act *a = act_for(rs, it, used, nused, (const char *)table + 2);

		if (a != NULL && a->action != RULES_SCAN) {
			size_t j = pat->nacts++;
			uint32_t g = (uint32_t)table[0] << 8 | table[1];

			/* in group order (the table is in name order), so that the
			 * spans of a match come in line order */
			for (; j > 0 && pat->group[j - 1] > g; j--) {
				pat->group[j] = pat->group[j - 1];
				pat->act[j] = pat->act[j - 1];
			}
			pat->group[j] = g;
			pat->act[j] = *a;
			pat->act[j].geo = it->geo_group != NULL && strcmp(it->geo_group, (const char *)table + 2) == 0;
			if (pat->act[j].geo && a->action != RULES_IP && a->action != RULES_HOST)
				return fail(err, "%s:%d:%d: the geo group '%s' has neither the ip nor the host action",
				    it->geo_at.file, it->geo_at.line, it->geo_at.col, it->geo_group);
		}
	}
	return 0;
}

/* True when a pattern of r has the geo group of its rule, with its
 * action (compile_pat() set the flag). */
static bool
has_geo_group(const struct rule *r)
{
	for (size_t f = 0; f <= r->nfields; f++) {
		const struct pat *pat = f == 0 ? &r->pattern : &r->fields[f - 1];

		for (size_t i = 0; i < pat->nacts; i++)
			if (pat->act[i].geo)
				return true;
	}
	return false;
}

/* Compile item it into rule *r; every group action must name a group of
 * the pattern or of the fields. */
static int
compile_rule(struct rules *rs, const struct item *it, struct rule *r, char err[RULES_ERRLEN])
{
	r->it = it;
	for (size_t i = 0; i < it->nprefilters; i++)
		lit_init(&r->pf[r->npf++], it->prefilter[i], strlen(it->prefilter[i]));
	if (compile_pat(rs, it, &it->pattern, &r->pattern, err) < 0)
		return -1;
	for (; r->nfields < it->nfields; r->nfields++)
		if (compile_pat(rs, it, &it->fields[r->nfields], &r->fields[r->nfields], err) < 0)
			return -1;
	if (it->geo_group != NULL && !has_geo_group(r))
		return fail(err, "%s:%d:%d: the geo group '%s' is not a group with the ip or host action",
		    it->geo_at.file, it->geo_at.line, it->geo_at.col, it->geo_group);
	for (size_t i = 0; i < it->nacts; i++) {
		bool found = has_group(r->pattern.re, it->acts[i].name);

		for (size_t f = 0; f < r->nfields; f++)
			found = found || has_group(r->fields[f].re, it->acts[i].name);
		if (!found)
			return fail(err, "%s:%d:%d: the pattern has no group (?<%s>...)", it->acts[i].at.file,
			    it->acts[i].at.line, it->acts[i].at.col, it->acts[i].name);
	}
	return 0;
}

/*
 * Compile every rule read so far, once; make the match data for the rule
 * with the most groups.  Returns 0, or -1 with "FILE:LINE:COLUMN: message"
 * in err.
 */
int
rules_compile(struct rules *rs, char err[RULES_ERRLEN])
{
	uint32_t most = 0;

	rs->v = calloc(rs->nitems ? rs->nitems : 1, sizeof *rs->v);
	if (rs->v == NULL)
		return fail(err, "rules: %s", strerror(ENOMEM));
	for (size_t i = 0; i < rs->nitems; i++) {
		struct rule *r = &rs->v[rs->n];

		if (rs->items[i].define)
			continue;
		rs->n++;
		if (compile_rule(rs, &rs->items[i], r, err) < 0)
			return -1;
		if (r->pattern.ngroups > most)
			most = r->pattern.ngroups;
		for (size_t f = 0; f < r->nfields; f++)
			if (r->fields[f].ngroups > most)
				most = r->fields[f].ngroups;
	}
	if ((rs->md = pcre2_match_data_create(most + 1, NULL)) == NULL)
		return fail(err, "rules: %s", strerror(ENOMEM));
	rs->ov = pcre2_get_ovector_pointer(rs->md);
	return 0;
}

/* --format: "auto" (every rule, in order) or one rule's name.  Returns 0,
 * or -1 for an unknown name. */
int
rules_select(struct rules *rs, const char *format)
{
	rs->selected = -1;
	if (strcmp(format, "auto") == 0)
		return 0;
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].it->name, format) == 0) {
			rs->selected = (long)i;
			return 0;
		}
	return -1;
}

/* Number of rules, their names and descriptions (--list-formats). */
size_t
rules_count(const struct rules *rs)
{
	return rs->n;
}

const char *
rules_name(const struct rules *rs, size_t i)
{
	return rs->v[i].it->name;
}

const char *
rules_description(const struct rules *rs, size_t i)
{
	return rs->v[i].it->description ? rs->v[i].it->description : "";
}

/* The name of a matched rule (--explain). */
const char *
rules_rule_name(const struct rule *r)
{
	return r->it->name;
}

/* The geo placement of a matched rule (GEO_PLACE_NONE: none). */
enum geo_place
rules_geo(const struct rule *r)
{
	return r->it->geo;
}

/* Record span line[from..to) with action a in res, keeping the spans in
 * order and disjoint: a span that overlaps one already there is left out
 * (its bytes are handled by that one). */
static void
add_span(struct rules_line *res, size_t from, size_t to, const struct rules_act *a, const char *line)
{
	size_t k = res->nspans;

	if (from >= to || k == RULES_SPANS_MAX)
		return;
	if (k > 0 && res->span[k - 1].to > from) {	/* not after the last: find its place */
		while (k > 0 && res->span[k - 1].from >= to)
			k--;
		if ((k > 0 && res->span[k - 1].to > from) || (k < res->nspans && res->span[k].from < to))
			return;
		memmove(res->span + k + 1, res->span + k, (res->nspans - k) * sizeof *res->span);
	}
	res->span[k].from = from;
	res->span[k].to = to;
	res->span[k].act = a;
	res->nspans++;
	if (a->action == RULES_TIME && res->time == NULL) {
		res->time = line + from;
		res->time_len = to - from;
		res->time_format = a->time_format;
	}
}

/* Record the spans of the groups of pat that the last match set. */
static void
add_spans(const struct pat *pat, const PCRE2_SIZE *ov, const char *line, struct rules_line *res)
{
	for (size_t i = 0; i < pat->nacts; i++) {
		uint32_t g = pat->group[i];

		if (ov[2 * g] != PCRE2_UNSET)
			add_span(res, ov[2 * g], ov[2 * g + 1], &pat->act[i], line);
	}
}

/* True when line[at..n) holds the byte every match of pat needs (or pat
 * has none). */
static inline bool
need_pass(const struct pat *pat, const char *line, size_t n, size_t at)
{
	return pat->need < 0 || memchr(line + at, pat->need, n - at) != NULL;
}

/* Whether pat can match in line[*at..n) by its leading literal: false
 * when the line lacks it; else true, with *at moved up to where it
 * stands. */
static bool
lead_pass(const struct pat *pat, const char *line, size_t n, size_t *at)
{
	const char *p;

	if (pat->lead.len == 0)
		return true;
	if ((p = lit_find(&pat->lead, line + *at, n - *at)) == NULL)
		return false;
	*at = (size_t)(p - line);
	return true;
}

/* True when the rule's prefilters let line[0..n) through: it holds one of
 * them, or the rule has none. */
static bool
prefilters_pass(const struct rule *r, const char *line, size_t n)
{
	for (size_t i = 0; i < r->npf; i++)
		if (lit_find(&r->pf[i], line, n) != NULL)
			return true;
	return r->npf == 0;
}

/* pcre2_match() of pat on line[0..n) from at; the JIT entry when there is
 * JIT code (compiled here the first time), which skips the interpreter's
 * checks. */
static int
pat_match(struct rules *rs, struct pat *pat, const char *line, size_t n, size_t at)
{
	if (pat->jit == JIT_UNTRIED)
		pat->jit = pcre2_jit_compile(pat->re, PCRE2_JIT_COMPLETE) == 0 ? JIT_ON : JIT_OFF;
	if (pat->jit == JIT_ON)
		return pcre2_jit_match(pat->re, (PCRE2_SPTR)line, n, at, 0, rs->md, rs->mctx);
	return pcre2_match(pat->re, (PCRE2_SPTR)line, n, at, 0, rs->md, rs->mctx);
}

/*
 * Try rule r on line[0..n): the prefilter, the pattern, then each fields
 * pattern from the end of the match on, again and again.  Returns 0 when
 * it does not match, 1 when it does (res filled), 1 with res->failed when
 * PCRE2 failed.
 */
static int
try_rule(struct rules *rs, struct rule *r, const char *line, size_t n, struct rules_line *res)
{
	const PCRE2_SIZE *ov = rs->ov;
	PCRE2_SIZE from, at = 0;
	int rc;

	if (r->pattern.first_known && n > 0 &&
	    !(r->pattern.first[(unsigned char)line[0] >> 3] & 1u << ((unsigned char)line[0] & 7)))
		return 0;
	/* the needed byte (one memchr) before the prefilters */
	if (!need_pass(&r->pattern, line, n, 0) || !prefilters_pass(r, line, n) ||
	    !lead_pass(&r->pattern, line, n, &at))
		return 0;
	rc = pat_match(rs, &r->pattern, line, n, at);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	res->rule = r;
	if (rc < 0) {
		res->failed = true;
		return 1;
	}
	add_spans(&r->pattern, ov, line, res);
	from = ov[1];
	for (size_t f = 0; f < r->nfields && !res->failed; f++) {
		for (at = from; at <= n; at = ov[1] > ov[0] ? ov[1] : ov[1] + 1) {
			if (!lead_pass(&r->fields[f], line, n, &at) || !need_pass(&r->fields[f], line, n, at))
				break;
			rc = pat_match(rs, &r->fields[f], line, n, at);
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0) {
				res->failed = true;
				break;
			}
			add_spans(&r->fields[f], ov, line, res);
		}
	}
	return 1;
}

/*
 * Find the rule of line[0..n) (without its newline): the one chosen by
 * --format, or the first that matches.  Fills *res; res->rule is NULL
 * when no rule matched.
 */
void
rules_match(struct rules *rs, const char *line, size_t n, struct rules_line *res)
{
	res->rule = NULL;
	res->failed = false;
	res->time = NULL;
	res->nspans = 0;
	if (rs->selected >= 0) {
		try_rule(rs, &rs->v[rs->selected], line, n, res);
		return;
	}
	for (size_t i = 0; i < rs->n; i++)
		if (try_rule(rs, &rs->v[i], line, n, res))
			return;
}
