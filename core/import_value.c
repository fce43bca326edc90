/* import_value: the one check of a value for CSV and JSON import, numbers, prices, countries,
 * currencies, certifications. */
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- normalising countries, currencies and certifications ---- */

static int norm_eq(const char *a, const char *b, size_t blen)
{
	return strlen(a) == blen && strncasecmp(a, b, blen) == 0;
}

/* Does list (a '|'-separated set) contain s[0..n) ignoring case? */
static int list_has(const char *list, const char *s, size_t n)
{
	while (*list) {
		size_t k = strcspn(list, "|");
		if (k == n && strncasecmp(list, s, n) == 0)
			return 1;
		list += k;
		if (*list)
			list++;
	}
	return 0;
}

void import_trim_span(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* A country or grouping by code (alpha-2 or alpha-3, any case) or name,
 * from the reference data: " chn ", "Viet Nam", "uk", "EU". */
const ref_country *import_country_ref(const souk_ref *ref, const char *s)
{
	char buf[64];
	const ref_country *c;
	size_t n;

	if (s == NULL || ref == NULL)
		return NULL;
	n = strlen(s);
	import_trim_span(&s, &n);
	if (n == 0 || n >= sizeof buf)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	/* a file's codes come in any case: "cn" is China here */
	if ((c = ref_country_by_code(ref, buf)) == NULL)
		c = ref_country_lookupn(ref, buf, n, NULL);
	return c;
}

const char *import_country(const souk_ref *ref, const char *s)
{
	const ref_country *c = import_country_ref(ref, s);

	return c ? c->code : NULL;
}

/* Symbols and words a price list writes beside an amount ("US$ 2.50",
 * "2,50 \xe2\x82\xac", "RMB 12"), which are not ISO codes. */
static const char *const currencies[][2] = {
        {"USD", "$|us$|usd$|dollar|dollars|us dollar|us dollars"},
        {"EUR", "\xe2\x82\xac|euro|euros"},
        {"GBP", "\xc2\xa3|pound|pounds|sterling|gbp\xc2\xa3"},
        {"CNY", "\xc2\xa5|\xef\xbf\xa5|rmb|yuan|renminbi|cn\xc2\xa5"},
        {"JPY", "yen|jp\xc2\xa5"},
        {"INR", "\xe2\x82\xb9|rupee|rupees|rs"},
        {"TRY", "\xe2\x82\xba|lira|tl"},
        {"VND", "\xe2\x82\xab|dong"},
        {"KRW", "\xe2\x82\xa9|won"},
        {"CAD", "c$|ca$"},
        {"AUD", "a$|au$"},
        {"HKD", "hk$"},
        {"TWD", "nt$"},
};

const char *import_currency(const souk_ref *ref, const char *s)
{
	const ref_currency *c;
	char code[4];
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	import_trim_span(&s, &n);
	/* an ISO 4217 code of the reference data (currencies.tsv) */
	if (n == 3) {
		memcpy(code, s, 3);
		code[3] = '\0';
		if ((c = ref_currency_by_code(ref, code)) != NULL)
			return c->code;
	}
	for (size_t i = 0; i < sizeof currencies / sizeof *currencies; i++)
		if (list_has(currencies[i][1], s, n))
			return currencies[i][0];
	return NULL;
}

/* The canonical name of the certification s[0..n) (reference data), or NULL. */
static const char *cert_canon(const souk_ref *ref, const char *s, size_t n)
{
	char buf[64];

	if (ref == NULL || n == 0 || n >= sizeof buf)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return ref_cert_canonical(ref, buf);
}

const char *import_cert(const souk_ref *ref, const char *s)
{
	return s ? cert_canon(ref, s, strlen(s)) : NULL;
}

/* ---- parsing values ---- */

int import_empty(const char *s)
{
	if (s == NULL)
		return 1;
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* Digits with at most one decimal point and 15 significant digits ("13.78"),
 * as nearly every price in a file is: the whole digits over a power of ten
 * are exact doubles, so one division rounds exactly as strtod does
 * (Clinger's fast path), at a fraction of its cost. 0 if s is not one. */
static int plain_decimal(const char *s, double *out)
{
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	uint64_t m = 0;
	int digits = 0, frac = -1;

	if (FLT_EVAL_METHOD != 0)
		return 0; /* extended precision would round twice */
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			m = m * 10 + (uint64_t)(*s - '0');
			digits++;
			frac += frac >= 0;
		} else if (*s == '.' && frac < 0 && digits)
			frac = 0;
		else
			return 0;
	}
	if (digits == 0 || digits > 15 || frac == 0)
		return 0;
	*out = frac > 0 ? (double)m / pow10[frac] : (double)m;
	return 1;
}

/* 1 if s is an exponent ("e3", "E+03", "e-2") and not a word ("each"). */
static int is_exponent(const char *s)
{
	if (*s != 'e' && *s != 'E')
		return 0;
	s++;
	if (*s == '+' || *s == '-')
		s++;
	return isdigit((unsigned char)*s);
}

/* A number that may carry a currency ("US$ 2.50", "2,50 EUR", "1,234.5"). */
int import_parse_amount(const souk_ref *ref, const char *s, double *out, const char **cur)
{
	char buf[64], sym[16];
	size_t k = 0, ns = 0;
	int commas = 0, dots = 0;
	const char *p;
	char *end;

	*cur = NULL;
	if (plain_decimal(s, out))
		return 0;
	for (p = s; *p && k + 1 < sizeof buf; p++) {
		unsigned char c = (unsigned char)*p;
		if (isdigit(c) || c == '.' || c == ',' || (c == '-' && k == 0)) {
			commas += c == ',';
			dots += c == '.';
			buf[k++] = (char)c;
		} else if (k > 0 && ns == 0 && is_exponent(p) && k + 3 < sizeof buf) {
			/* "1E+03", "2.5e-1": the exponent and its sign go in whole */
			buf[k++] = 'e';
			if (p[1] == '+' || p[1] == '-')
				buf[k++] = *++p;
		} else if (isspace(c)) {
			continue;
		} else if (ns + 1 < sizeof sym && k == 0) {
			sym[ns++] = (char)c;
		} else if (ns + 1 < sizeof sym && k > 0) {
			sym[ns++] = (char)c; /* a trailing code: "2.50 EUR" */
		} else
			return -1;
	}
	buf[k] = '\0';
	sym[ns] = '\0';
	if (k == 0 || *p)
		return -1;
	if (ns && (*cur = import_currency(ref, sym)) == NULL)
		return -1;
	/* "2,50" is a decimal comma; "1,234.50" and "1,234" group thousands. */
	if (commas == 1 && dots == 0 && strlen(strchr(buf, ',') + 1) != 3)
		*strchr(buf, ',') = '.';
	else {
		size_t j = 0;
		for (size_t i = 0; i < k; i++)
			if (buf[i] != ',')
				buf[j++] = buf[i];
		buf[j] = '\0';
	}
	errno = 0;
	*out = strtod(buf, &end);
	return errno || *end || !isfinite(*out) ? -1 : 0;
}

/* A price: an amount, or a range "2.10-2.50" (the higher end: the price at
 * the smallest order). */
int import_parse_price(const souk_ref *ref, const char *s, double *out, const char **cur)
{
	const char *dash = strchr(s + 1, '-');
	double a, b;
	const char *c2;

	if (dash && dash[-1] != 'e' && dash[-1] != 'E') {
		char left[64];
		size_t n = (size_t)(dash - s);
		if (n >= sizeof left)
			return -1;
		memcpy(left, s, n);
		left[n] = '\0';
		if (import_parse_amount(ref, left, &a, cur) < 0 ||
		    import_parse_amount(ref, dash + 1, &b, &c2) < 0)
			return -1;
		if (*cur == NULL)
			*cur = c2;
		*out = a > b ? a : b;
	} else if (import_parse_amount(ref, s, out, cur) < 0)
		return -1;
	return *out > 0 && *out < 1e9 ? 0 : -1;
}

/* A count written with a point or an exponent ("1.5e3", "1E+03", "1e30"),
 * from start (its first digit; at stops the plain digits): a whole number
 * up to a billion, or -1. *after is where the number ends. */
static int number_tail(const char *start, const char *at, long *v, const char **after)
{
	char *end;
	double d;

	if (memchr(start, ',', (size_t)(at - start)))
		return -1; /* "1,000.5": grouped digits with a fraction */
	errno = 0;
	d = strtod(start, &end);
	if (errno || !isfinite(d) || d != floor(d) || d < 0 || d > (double)IMPORT_COUNT_MAX)
		return -1;
	*v = (long)d;
	*after = end;
	return 0;
}

/* A whole count with an optional unit ("1,000 pcs", "500 pieces", "2 weeks"). */
int import_parse_count(const char *s, long *out, const char **unit)
{
	long v = 0;
	int digits = 0;
	const char *start;

	while (isspace((unsigned char)*s))
		s++;
	start = s;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			if (v > (IMPORT_COUNT_MAX - (*s - '0')) / 10)
				return -1; /* past the largest count, before it overflows */
			v = v * 10 + (*s - '0');
			digits++;
		} else if (*s != ',' || !digits)
			break;
	}
	if (!digits)
		return -1;
	if ((*s == '.' && isdigit((unsigned char)s[1])) || is_exponent(s)) {
		const char *after;
		if (number_tail(start, s, &v, &after) < 0)
			return -1;
		s = after;
	}
	/* Ranges ("15-20 days") take the upper end: promises are ranges. */
	if (*s == '-' && isdigit((unsigned char)s[1])) {
		long hi;
		const char *u2;
		if (import_parse_count(s + 1, &hi, &u2) < 0)
			return -1;
		*out = hi > v ? hi : v;
		*unit = u2;
		return 0;
	}
	while (isspace((unsigned char)*s) || *s == '+')
		s++;
	*unit = s;
	*out = v;
	return 0;
}

int import_parse_real(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return errno || end == s || *end || !isfinite(*out) ? -1 : 0;
}

/* A share: "0.95", "95%" or "95" all mean 0.95. */
int import_parse_rate(const char *s, double *out)
{
	char buf[32];
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n && s[n - 1] == '%')
		n--;
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (import_parse_real(buf, out) < 0 || *out < 0)
		return -1;
	if (*out > 1)
		*out /= 100;
	return *out <= 1 ? 0 : -1;
}

int import_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "x", "available", "verified"};
	static const char *const no[] = {"0", "no", "n", "false", "none", "unavailable", "-"};
	size_t n = strlen(s);

	import_trim_span(&s, &n);
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (norm_eq(yes[i], s, n)) {
			*out = 1;
			return 0;
		}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (norm_eq(no[i], s, n)) {
			*out = 0;
			return 0;
		}
	return -1;
}

/* Plain ASCII without NUL bytes, most fields of most files, needs neither
 * the NUL nor the UTF-8 check. Eight bytes at a time: a byte with its top
 * bit set, or a zero byte (the classic (w - 0x01..) & ~w & 0x80.. test),
 * sends the field to the closer look. */
static int plain_ascii(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w & highs) || ((w - ones) & ~w & highs))
			return 0;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			return 0;
	return 1;
}

/* Text for the catalog: trimmed, control characters (escapes, newlines)
 * turned into spaces, and C1 controls and bidi controls (U+202E...)
 * dropped as text_sanitize does, so nothing from a file can drive a
 * terminal or an export read on one. */
char *import_clean_text(const char *s, strbuf *b)
{
	size_t n = strlen(s);

	import_trim_span(&s, &n);
	b->len = 0;
	sb_addn(b, s, n);
	if (!plain_ascii(b->s, b->len)) {
		char *safe = text_sanitize(b->s, 0);
		b->len = 0;
		sb_add(b, safe);
		free(safe);
		return b->s;
	}
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->s[i];
		if (c < 0x20 || c == 0x7f)
			b->s[i] = ' ';
	}
	return b->s;
}

/* '|'-joined canonical certification names, "|CE|RoHS|" when bars is set. */
void import_join_certs(const souk_ref *ref, const char *s, strbuf *out, int bars)
{
	out->len = 0;
	sb_addn(out, "", 0);
	while (s && *s) {
		size_t n = strcspn(s, ",;|/\n");
		const char *a = s;
		size_t m = n;
		import_trim_span(&a, &m);
		if (m > 0 && m < 64) {
			const char *canon = cert_canon(ref, a, m);
			char pat[66], *name = pat + 1;
			/* No printf here: this runs for every certification of
			 * every row. */
			if (canon)
				m = strlen(canon);
			memcpy(name, canon ? canon : a, m);
			if (!canon)
				for (size_t i = 0; i < m; i++)
					if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
						name[i] = ' ';
			pat[0] = pat[m + 1] = '|';
			pat[m + 2] = '\0';
			if (strstr(out->s, pat) == NULL) {
				name[m] = '\0';
				if (out->len == 0 && bars)
					sb_addc(out, '|');
				else if (out->len && !bars)
					sb_addc(out, '|');
				sb_add(out, name);
				if (bars)
					sb_addc(out, '|');
			}
		}
		s += n;
		if (*s)
			s++;
	}
}

const char *import_parse_incoterm(const char *s)
{
	static const char *const terms[] = {"EXW", "FCA", "FAS", "FOB", "CFR", "CIF",
	                                    "CPT", "CIP", "DAP", "DPU", "DDP"};
	size_t n = strlen(s);

	import_trim_span(&s, &n);
	if (n > 3 && isspace((unsigned char)s[3]))
		n = 3; /* "FOB Shenzhen" */
	for (size_t i = 0; i < sizeof terms / sizeof *terms; i++)
		if (norm_eq(terms[i], s, n))
			return terms[i];
	return NULL;
}

/* The one check of a value for CSV and JSON alike: -1 with why set when
 * the value (s, n bytes) cannot be imported. It is named by its JSON key,
 * or as CSV field i when key is NULL (named only on failure: this runs for
 * every field). JSON_TOO_LONG is what the JSON reader left of an over-long
 * value. */
int import_field_check(const char *s, size_t n, const char *key, int i, char *why, size_t whylen)
{
	const char *bad;
	char *safe;

	if (n > IMPORT_MAX_FIELD || (n == sizeof JSON_TOO_LONG - 1 && !strcmp(s, JSON_TOO_LONG)))
		bad = "is longer than 64 KB";
	else if (plain_ascii(s, n))
		return 0;
	else if (memchr(s, '\0', n))
		bad = "holds a NUL byte";
	else if (!text_valid_utf8(s, n))
		bad = "is not valid UTF-8 (save the file as UTF-8)";
	else
		return 0;
	if (key == NULL) {
		snprintf(why, whylen, "field %d %s", i, bad);
		return -1;
	}
	safe = text_sanitize(key, 0);
	snprintf(why, whylen, "\"%.40s\" %s", safe, bad);
	free(safe);
	return -1;
}
