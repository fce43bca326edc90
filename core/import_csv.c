/* import_csv: CSV (RFC 4180, plus what spreadsheets really write) rows into the importer. */
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

/* ---- CSV (RFC 4180, plus what spreadsheets really write) ---- */

typedef struct csv {
	const char *p, *end;
	char delim;
	unsigned char stop[256]; /* 1 for the bytes that end an unquoted field */
	long line;               /* line number at p */
	strbuf buf;              /* the record's fields, each NUL-terminated */
	size_t *off;             /* field starts in buf */
	int nf, cap;
} csv;

static void csv_field_start(csv *c)
{
	if (c->nf == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->off = xrealloc(c->off, (size_t)c->cap * sizeof *c->off);
	}
	c->off[c->nf++] = c->buf.len;
}

/* Skips the rest of a broken record: to the next line end outside quotes
 * is unknowable, so the next physical line it is. */
static void csv_skip_line(csv *c)
{
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));

	c->p = nl ? nl + 1 : c->end;
	if (nl)
		c->line++;
}

/* Reads one record into c->buf/c->off. Returns 1 with a record, 0 at the
 * end, -1 for a broken record (why says what; the parser has moved past it). */
static int csv_next(csv *c, long *rec_line, char *why, size_t whylen)
{
	int bad = 0;

	/* Blank lines are not records. */
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	*rec_line = c->line;
	c->buf.len = 0;
	c->nf = 0;
	for (;;) {
		size_t start = c->buf.len;
		csv_field_start(c);
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				const char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
				if (q == NULL) {
					snprintf(why, whylen, "a quoted field never ends");
					c->p = c->end;
					return -1;
				}
				for (const char *x = c->p;
				     (x = memchr(x, '\n', (size_t)(q - x))) != NULL; x++)
					c->line++;
				sb_addn(&c->buf, c->p, (size_t)(q - c->p));
				c->p = q + 1;
				if (c->p < c->end && *c->p == '"') {
					sb_addc(&c->buf, '"');
					c->p++;
					continue;
				}
				break;
			}
			if (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r') {
				snprintf(why, whylen, "text after the closing quote of field %d",
				         c->nf);
				csv_skip_line(c);
				return -1;
			}
		} else {
			const char *x = c->p;
			while (x < c->end && !c->stop[(unsigned char)*x])
				x++;
			sb_addn(&c->buf, c->p, (size_t)(x - c->p));
			c->p = x;
		}
		if (!bad && import_field_check(c->buf.s + start, c->buf.len - start, NULL, c->nf,
		                               why, whylen) < 0)
			bad = 1;
		sb_addc(&c->buf, '\0');
		if (c->p < c->end && *c->p == c->delim) {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->line++;
		}
		return bad ? -1 : 1;
	}
}

static const char *csv_field(const csv *c, int i)
{
	return c->buf.s + c->off[i];
}

/* The delimiter: the most frequent of , ; TAB on the header line. */
static char csv_sniff(const char *p, const char *end)
{
	int n[3] = {0, 0, 0}, q = 0;
	const char d[3] = {',', ';', '\t'};

	for (; p < end && (q || *p != '\n'); p++) {
		if (*p == '"')
			q = !q;
		for (int i = 0; i < 3 && !q; i++)
			n[i] += *p == d[i];
	}
	return n[1] > n[0] && n[1] >= n[2] ? ';' : n[2] > n[0] ? '\t' : ',';
}

typedef struct colmap {
	int *field;
	long *qty;
	const char **cur;
	char **name;
	int n;
} colmap;

static void colmap_free(colmap *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->name[i]);
	free(m->field);
	free(m->qty);
	free(m->cur);
	free(m->name);
}

/* Says which columns are not kept: attributes beyond MAX_ATTRS and price
 * columns beyond MAX_AT (the first few by name, then how many more). */
static void colmap_warn_dropped(importer *im, const colmap *m, int ndropped)
{
	strbuf b;
	int listed = 0;
	char *safe;

	if (ndropped == 0 || im->o->warning == NULL)
		return;
	sb_init(&b);
	sb_printf(&b,
	          "%s:1: %d column%s not kept (at most %d attributes and %d price_QTY columns): ",
	          im->o->name, ndropped, ndropped == 1 ? " is" : "s are", MAX_ATTRS, MAX_AT);
	for (int i = 0; i < m->n && listed < 5; i++)
		if (m->field[i] == F_IGNORE && m->name[i][0] && m->qty[i] < 0)
			sb_printf(&b, "%s%.40s", listed++ ? ", " : "", m->name[i]);
	if (ndropped > listed)
		sb_printf(&b, " and %d more", ndropped - listed);
	safe = text_sanitize(b.s, 0);
	im->o->warning(safe, im->o->arg);
	free(safe);
	sb_free(&b);
}

void import_dropped_warn(importer *im, long offer, int n)
{
	char msg[320], *safe;

	if (im->o->warning == NULL)
		return;
	snprintf(msg, sizeof msg,
	         "%s: offer %ld: %d member%s not kept (at most %d attributes and %d price_QTY "
	         "members; later offers are not named)",
	         im->o->name, offer, n, n == 1 ? " is" : "s are", MAX_ATTRS, MAX_AT);
	safe = text_sanitize(msg, 0);
	im->o->warning(safe, im->o->arg);
	free(safe);
}

static int colmap_build(importer *im, colmap *m, const csv *c, const char *name, souk_err *e)
{
	int seen[NFIELDS] = {0}, nattr = 0, nat = 0, ndropped = 0;

	m->n = c->nf;
	m->field = xcalloc((size_t)c->nf, sizeof *m->field);
	m->qty = xcalloc((size_t)c->nf, sizeof *m->qty);
	m->cur = xcalloc((size_t)c->nf, sizeof *m->cur);
	m->name = xcalloc((size_t)c->nf, sizeof *m->name);
	for (int i = 0; i < c->nf; i++) {
		const char *h = csv_field(c, i);
		m->name[i] = xstrdup(h);
		m->field[i] = import_header_field(im->ref, h, strlen(h), 0, &m->qty[i], &m->cur[i]);
		/* A second column for the same field is kept as an attribute. */
		if (m->field[i] >= 0 && seen[m->field[i]]++)
			m->field[i] = F_ATTR;
		/* past the limits: ignored, and marked (qty -1) for the warning */
		if ((m->field[i] == F_ATTR && nattr++ == MAX_ATTRS) ||
		    (m->field[i] == F_PRICE_AT && nat++ == MAX_AT)) {
			nattr -= m->field[i] == F_ATTR;
			nat -= m->field[i] == F_PRICE_AT;
			m->field[i] = F_IGNORE;
			m->qty[i] = -1;
			ndropped++;
		}
	}
	if (im->dry) /* the probe always reads the header first */
		colmap_warn_dropped(im, m, ndropped);
	if (!seen[F_TITLE] || !seen[S_NAME] || !seen[S_COUNTRY]) {
		err_set(e,
		        "%s:1: the header needs columns for the product title (title, product), "
		        "the supplier (supplier, company) and its country (country)",
		        name);
		return -1;
	}
	return 0;
}

/* The record's fields where the column map puts them: a known field, a
 * price at a quantity, or an attribute. */
static void record_fill(const csv *c, const colmap *m, rec *r)
{
	for (int i = 0; i < m->n && i < c->nf; i++) {
		const char *v = csv_field(c, i);
		int f = m->field[i];
		if (f >= 0) {
			r->f[f] = v;
			if (f == F_PRICE && m->cur[i])
				r->price_cur = m->cur[i];
		} else if (f == F_PRICE_AT && r->nat < MAX_AT) {
			r->at_qty[r->nat] = m->qty[i];
			r->at_val[r->nat++] = v;
		} else if (f == F_ATTR && r->nattr < MAX_ATTRS) {
			r->attr_key[r->nattr] = m->name[i];
			r->attr_val[r->nattr++] = v;
		}
	}
}

int import_csv(importer *im, const char *data, size_t len, souk_err *e)
{
	csv c = {0};
	colmap m = {0};
	long line = 1;
	int rc = -1, r;
	char why[160];
	const char *name = im->o->name;

	c.p = data;
	c.end = data + len;
	c.line = 1;
	c.delim = csv_sniff(c.p, c.end);
	c.stop[(unsigned char)c.delim] = c.stop['\n'] = c.stop['\r'] = 1;
	r = csv_next(&c, &line, why, sizeof why);
	if (r <= 0) {
		err_set(e,
		        r == 0 ? "%s: no header line (the first line names the columns)"
		               : "%s:1: %s",
		        name, why);
		goto out;
	}
	if (colmap_build(im, &m, &c, name, e) < 0)
		goto out;
	while ((r = csv_next(&c, &line, why, sizeof why)) != 0) {
		rec rc_;
		/* Only what a row sets needs clearing: the arrays are over a
		 * kilobyte, counted by nat and nattr. */
		memset(rc_.f, 0, sizeof rc_.f);
		rc_.price_cur = NULL;
		rc_.nat = rc_.nattr = 0;
		im->st->rows++;
		if ((im->st->rows & 1023) == 0) {
			if (import_cancelled(im)) {
				err_set(e, "interrupted");
				goto out;
			}
			if (im->o->progress)
				im->o->progress("importing", (double)(c.p - data) / (double)len,
				                im->o->arg);
		}
		if (r < 0) {
			snprintf(im->why, sizeof im->why, "%s", why);
			if (import_row_done(im, -1, line, e) < 0)
				goto out;
			continue;
		}
		if (c.nf > m.n) {
			int extra = 0;
			for (int i = m.n; i < c.nf; i++)
				extra |= !import_empty(csv_field(&c, i));
			if (extra) {
				import_fail_row(im, "%d fields, but the header has %d", c.nf, m.n);
				if (import_row_done(im, -1, line, e) < 0)
					goto out;
				continue;
			}
		}
		record_fill(&c, &m, &rc_);
		im->line = line;
		if (import_row_done(im, import_offer_write(im, &rc_), line, e) < 0)
			goto out;
	}
	if (import_rows_flush(im) < 0) {
		import_write_failed(im, line, e);
		goto out;
	}
	if (im->st->rows == 0) {
		err_set(e, "%s: no rows after the header", name);
		goto out;
	}
	rc = 0;
out:
	colmap_free(&m);
	sb_free(&c.buf);
	free(c.off);
	return rc;
}
