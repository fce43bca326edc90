/* json: strict JSON (RFC 8259) on top of cJSON: the whole input one value, nothing lenient. */
#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* A string's contents (between its quotes) to be replaced by JSON_TOO_LONG. */
typedef struct span {
	size_t from, to;
} span;

/* One pass over the text that checks the grammar and builds nothing:
 * cJSON then parses a text known to be one strict value. */
typedef struct scan {
	const char *s;
	size_t len, i;
	int depth;
	const char *why; /* what is wrong at i */
	const char *key; /* the member being read, for the message */
	size_t keylen;
	size_t max; /* strings longer than this (decoded) are cut; 0: none */
	span *cut;
	size_t ncut, capcut;
} scan;

static int scan_value(scan *j);

static int fail(scan *j, const char *why)
{
	j->why = why;
	return -1;
}

static void skip_ws(scan *j)
{
	while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
	                         j->s[j->i] == '\r'))
		j->i++;
}

static int hex4(const char *p, unsigned *out)
{
	*out = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		             : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
		                                    : 16u;
		if (d == 16)
			return -1;
		*out = *out * 16 + d;
	}
	return 0;
}

/* A \u escape at j->i (just past the backslash and u): its code point's
 * UTF-8 length added to *n; a high surrogate must pair with a low one. */
static int scan_unicode(scan *j, size_t *n)
{
	unsigned u, lo;

	if (j->i + 4 > j->len || hex4(j->s + j->i, &u) < 0)
		return fail(j, "a \\u escape is not four hex digits");
	j->i += 4;
	if (u == 0)
		return fail(j, "a string holds \\u0000 (NUL)");
	if (u >= 0xDC00 && u <= 0xDFFF)
		return fail(j, "a \\u escape is a lone low surrogate");
	if (u >= 0xD800 && u <= 0xDBFF) {
		if (j->i + 6 > j->len || j->s[j->i] != '\\' || j->s[j->i + 1] != 'u' ||
		    hex4(j->s + j->i + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
			return fail(j, "a \\u escape is a lone high surrogate");
		j->i += 6;
		*n += 4;
		return 0;
	}
	*n += u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
	return 0;
}

/* A string at j->i (on its opening quote); *n gets its decoded length. */
static int scan_string(scan *j, size_t *n)
{
	size_t open = ++j->i, start = open;

	*n = 0;
	for (;;) {
		unsigned char c;
		/* the common bytes in a tight loop: a 1 GB string is one pass */
		while (j->i < j->len && (c = (unsigned char)j->s[j->i]) >= 0x20 && c != '"' &&
		       c != '\\')
			j->i++;
		*n += j->i - start;
		if (j->i >= j->len)
			return fail(j, "a string never ends");
		c = (unsigned char)j->s[j->i];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(j,
			            "a string holds a raw control character (write \\n, \\t...)");
		if (++j->i >= j->len)
			return fail(j, "a string never ends");
		c = (unsigned char)j->s[j->i++];
		if (c == 'u') {
			if (scan_unicode(j, n) < 0)
				return -1;
		} else if (strchr("\"\\/bfnrt", c) && c)
			(*n)++;
		else
			return fail(j, "a string holds an unknown escape");
		start = j->i;
	}
	if (j->max && *n > j->max) {
		if (j->ncut == j->capcut) {
			j->capcut = j->capcut ? j->capcut * 2 : 8;
			j->cut = xrealloc(j->cut, j->capcut * sizeof *j->cut);
		}
		j->cut[j->ncut++] = (span){open, j->i};
	}
	j->i++;
	return 0;
}

static int digits(scan *j)
{
	size_t from = j->i;

	while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
		j->i++;
	return j->i > from;
}

static int scan_number(scan *j)
{
	if (j->s[j->i] == '-')
		j->i++;
	if (j->i < j->len && j->s[j->i] == '0') {
		j->i++;
		if (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			return fail(j, "a number has a leading zero");
	} else if (!digits(j))
		return fail(j, "a number has no digits");
	if (j->i < j->len && j->s[j->i] == '.') {
		j->i++;
		if (!digits(j))
			return fail(j, "a number has no digits after its point");
	}
	if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (!digits(j))
			return fail(j, "a number has no digits in its exponent");
	}
	return 0;
}

static int scan_literal(scan *j)
{
	static const char *const words[] = {"true", "false", "null"};

	for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
		size_t n = strlen(words[k]);
		if (j->len - j->i >= n && memcmp(j->s + j->i, words[k], n) == 0) {
			j->i += n;
			return 0;
		}
	}
	return fail(j, "a value is not a string, number, object, array, true, false or null");
}

/* One member name of an object: its decoded bytes (p points into the
 * text when the name has no escape, else at own) and where it starts. */
typedef struct name {
	const char *p;
	size_t len, at;
	char *own;
} name;

/* The decoded bytes of a name the scan accepted (its escapes are valid). */
static char *decode_name(const char *s, size_t len, size_t *out)
{
	/* pairs: the letter after the backslash, the byte it stands for */
	static const char esc[] = "b\bf\fn\nr\rt\t\"\"\\\\//";
	char *d = xmalloc(len + 1);
	size_t n = 0;
	unsigned u, lo;

	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\') {
			d[n++] = s[i];
		} else if (s[++i] != 'u') {
			d[n++] = strchr(esc, s[i])[1];
		} else {
			hex4(s + i + 1, &u);
			i += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				hex4(s + i + 3, &lo);
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
			n += text_encode(u, d + n);
		}
	}
	*out = n;
	return d;
}

static int name_cmp(const void *a, const void *b)
{
	const name *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

	return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

/* A name given twice in one object is refused (RFC 8259 leaves what that
 * means open; I-JSON, RFC 7493, forbids it): a reader that takes the first
 * and one that takes the last would see different data. j->i goes to the
 * first repeat in the text, for the line. */
static int check_names(scan *j, name *nm, int n)
{
	size_t repeat = SIZE_MAX;

	qsort(nm, (size_t)n, sizeof *nm, name_cmp);
	for (int k = 1; k < n; k++)
		if (name_cmp(&nm[k - 1], &nm[k]) == 0) {
			size_t later = nm[k].at > nm[k - 1].at ? nm[k].at : nm[k - 1].at;
			if (later < repeat)
				repeat = later;
		}
	if (repeat == SIZE_MAX)
		return 0;
	j->i = repeat;
	j->key = j->s + repeat + 1;
	/* the name as written, up to its closing quote */
	j->keylen = 0;
	while (j->key[j->keylen] != '"')
		j->keylen += j->key[j->keylen] == '\\' ? 2 : 1;
	return fail(j, "a member name is given twice");
}

/* A member name at j->i (on its quote), added to *nm. */
static int scan_name(scan *j, name **nm, int *n)
{
	size_t at = j->i, len;
	name *m;

	if (j->i >= j->len || j->s[j->i] != '"')
		return fail(j, "a member name is not a string");
	j->key = j->s + j->i + 1;
	j->keylen = 0; /* until the name is read whole */
	if (scan_string(j, &len) < 0)
		return -1;
	j->keylen = (size_t)(j->s + j->i - 1 - j->key);
	*nm = xgrow(*nm, *n, sizeof **nm);
	m = &(*nm)[(*n)++];
	m->at = at;
	m->own = NULL;
	m->p = j->key;
	m->len = j->keylen;
	if (memchr(j->key, '\\', j->keylen))
		m->p = m->own = decode_name(j->key, j->keylen, &m->len);
	return 0;
}

/* The members of an array or object after its opening bracket, up to and
 * past the closing one; an object's names go to *nm. */
static int scan_members(scan *j, int object, name **nm, int *nn)
{
	char close = object ? '}' : ']';

	j->i++;
	skip_ws(j);
	if (j->i < j->len && j->s[j->i] == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		if (object) {
			skip_ws(j);
			if (scan_name(j, nm, nn) < 0)
				return -1;
			skip_ws(j);
			if (j->i >= j->len || j->s[j->i] != ':')
				return fail(j, "a member name is not followed by ':'");
			j->i++;
		}
		if (scan_value(j) < 0)
			return -1;
		if (j->i < j->len && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->len && j->s[j->i] == close)
			break;
		return fail(j, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
	j->i++;
	return 0;
}

/* An array or object at j->i (on its bracket). */
static int scan_container(scan *j)
{
	int object = j->s[j->i] == '{', nn = 0, rc;
	const char *outer = j->key;
	size_t outerlen = j->keylen;
	name *nm = NULL;

	if (++j->depth > JSON_MAX_DEPTH)
		return fail(j, "nested too deep");
	rc = scan_members(j, object, &nm, &nn);
	if (rc == 0 && nn > 1)
		rc = check_names(j, nm, nn);
	for (int k = 0; k < nn; k++)
		free(nm[k].own);
	free(nm);
	if (rc < 0)
		return -1;
	j->depth--;
	j->key = outer;
	j->keylen = outerlen;
	return 0;
}

static int scan_value(scan *j)
{
	size_t n;
	int rc;

	skip_ws(j);
	if (j->i >= j->len)
		return fail(j, "a value is missing");
	switch (j->s[j->i]) {
	case '{':
	case '[':
		rc = scan_container(j);
		break;
	case '"':
		rc = scan_string(j, &n);
		break;
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		rc = scan_number(j);
		break;
	default:
		rc = scan_literal(j);
	}
	if (rc == 0)
		skip_ws(j);
	return rc;
}

/* e gets what is wrong, and the line: in *line when asked for, else in
 * the message. */
static void report(const scan *j, long *at, souk_err *e)
{
	long line = 1;
	char key[64];

	for (size_t k = 0; k < j->i && k < j->len; k++)
		line += j->s[k] == '\n';
	key[0] = '\0';
	if (j->key) {
		/* printable ASCII only: the name may be anything */
		size_t n = 0;
		/* a name that never ends is shown up to where the scan stopped
		 * (a repeated name's scan stopped before it: it is whole) */
		size_t len = j->keylen;
		if (len == 0 && j->s + j->i > j->key)
			len = (size_t)(j->s + j->i - j->key);
		for (size_t k = 0; k < len && n < 40; k++) {
			unsigned char c = (unsigned char)j->key[k];
			key[n++] = c >= 0x20 && c < 0x7f && c != '"' ? (char)c : '?';
		}
		key[n] = '\0';
	}
	if (at)
		*at = line;
	if (at && j->key)
		err_set(e, "%s (in \"%s\")", j->why, key);
	else if (at)
		err_set(e, "%s", j->why);
	else if (j->key)
		err_set(e, "line %ld: %s (in \"%s\")", line, j->why, key);
	else
		err_set(e, "line %ld: %s", line, j->why);
}

/* The text with the cut strings' contents replaced by JSON_TOO_LONG. */
static char *cut_copy(const scan *j, size_t *n)
{
	strbuf b;
	size_t at = 0;

	sb_init(&b);
	for (size_t k = 0; k < j->ncut; k++) {
		sb_addn(&b, j->s + at, j->cut[k].from - at);
		sb_add(&b, JSON_TOO_LONG);
		at = j->cut[k].to;
	}
	sb_addn(&b, j->s + at, j->len - at);
	*n = b.len;
	return sb_steal(&b);
}

cJSON *json_parse_capped(const char *text, size_t len, size_t max_string, size_t *ncut, long *line,
                         souk_err *e)
{
	scan j;
	cJSON *root;
	const char *end = NULL;
	char *copy = NULL;

	memset(&j, 0, sizeof j);
	j.s = text;
	j.len = len;
	j.max = max_string;
	if (ncut)
		*ncut = 0;
	if (scan_value(&j) < 0 || (j.i < len && fail(&j, "text follows the JSON value") < 0)) {
		report(&j, line, e);
		free(j.cut);
		return NULL;
	}
	if (j.ncut) {
		text = copy = cut_copy(&j, &len);
		if (ncut)
			*ncut = j.ncut;
	}
	free(j.cut);
	/* The scan proved it is one value with only white space after it:
	 * cJSON's require_null_terminated would want a NUL inside len. */
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	free(copy);
	if (root == NULL && line)
		*line = 1;
	if (root == NULL)
		err_set(e, "a value cJSON cannot read (a number of more than 63 characters?)");
	return root;
}

cJSON *json_parse_strict(const char *text, size_t len, souk_err *e)
{
	return json_parse_capped(text, len, 0, NULL, NULL, e);
}
