/* export_xlsx: an export as an XLSX workbook (libxlsxwriter): the offers and tiers sheets. */
#include "build-config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export_int.h"
#include "text.h"

/* ---- XLSX ---- */

#ifdef HAVE_XLSXWRITER

#define XLSX_MAX_WIDTH 60

/* The currency code goes into a number format: only letters may pass. */
static void money_format(char *buf, size_t len, const char *cur)
{
	char code[4] = "";
	int k;

	for (k = 0; k < 3 && isalpha((unsigned char)cur[k]); k++)
		code[k] = cur[k];
	code[k] = '\0';
	snprintf(buf, len, "#,##0.00##\\ \"%s\"", code);
}

static void xlsx_formats(const dylib_xlsx *L, lxw_workbook *wb, const export_doc *d,
                         struct xlsx_fmts *f)
{
	char money[64];

	f->header = L->workbook_add_format(wb);
	L->format_set_bold(f->header);
	L->format_set_bg_color(f->header, 0x1F4E78);
	L->format_set_font_color(f->header, LXW_COLOR_WHITE);
	L->format_set_bottom(f->header, LXW_BORDER_THIN);
	L->format_set_text_wrap(f->header);
	L->format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
	money_format(money, sizeof money, export_doc_currency(d));
	f->money = L->workbook_add_format(wb);
	L->format_set_num_format(f->money, money);
	f->integer = L->workbook_add_format(wb);
	L->format_set_num_format(f->integer, "#,##0");
	f->dec1 = L->workbook_add_format(wb);
	L->format_set_num_format(f->dec1, "0.0");
	f->text = L->workbook_add_format(wb);
	L->format_set_text_wrap(f->text);
	L->format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
}

static lxw_format *xlsx_num_fmt(const struct xlsx_fmts *f, const offer_field *of)
{
	return of->kind == OFK_MONEY ? f->money : of->kind == OFK_RATING ? f->dec1 : f->integer;
}

static void widen(int *w, const char *s, int extra)
{
	int tw = text_width(s) + extra;

	if (tw > *w)
		*w = tw < XLSX_MAX_WIDTH ? tw : XLSX_MAX_WIDTH;
}

static void xlsx_cell(xlsx_state *x, const export_doc *d, int i, int c)
{
	const offer_field *of = export_sheet_col(c);
	lxw_row_t row = (lxw_row_t)(d->rank0 + i + 1);
	char *t = export_cell_text(d, i, of);
	offer_ctx ctx;
	double v;

	export_row_ctx(d, i, &ctx);
	if (offer_field_numeric(of) && offer_field_number(of, &d->rows[i], &ctx, &v)) {
		if (of->kind == OFK_SCORE)
			v = round(v); /* as the CSV shows it */
		x->lib->worksheet_write_number(x->offers, row, (lxw_col_t)c, v,
		                               xlsx_num_fmt(&x->f, of));
		/* the currency suffix of money cells needs room */
		widen(&x->width[c], t, of->kind == OFK_MONEY ? 6 : 2);
	} else if (t[0]) {
		char *s = text_sanitize(t, 1);

		x->lib->worksheet_write_string(x->offers, row, (lxw_col_t)c, s, x->f.text);
		widen(&x->width[c], s, 1);
		free(s);
	}
	free(t);
}

static const char *const tier_head[] = {"rank",       "supplier", "product",
                                        "product id", "min qty",  "unit price"};

static void xlsx_heads(xlsx_state *x)
{
	int c;

	for (c = 0; c < SHEET_COLS; c++) {
		x->width[c] = 0;
		widen(&x->width[c], export_sheet_col(c)->label, 2);
		x->lib->worksheet_write_string(x->offers, 0, (lxw_col_t)c,
		                               export_sheet_col(c)->label, x->f.header);
	}
	for (c = 0; c < 6; c++) {
		x->twidth[c] = 0;
		widen(&x->twidth[c], tier_head[c], 2);
		x->lib->worksheet_write_string(x->tiers, 0, (lxw_col_t)c, tier_head[c],
		                               x->f.header);
	}
	x->tier_row = 1;
}

/* One row per price tier; without a catalog to ask, the tier the row
 * itself knows about (its next break) is all there is. */
static void xlsx_tier_rows(xlsx_state *x, const export_doc *d, int i)
{
	const match_row *r = &d->rows[i];
	match_tier one, *t = NULL;
	char *sup = text_sanitize(export_nz(r->supplier), 0),
	     *title = text_sanitize(export_nz(r->title), 0);
	char num[64];
	int k, n = export_row_tiers(d, i, &t);

	if (d->tiers_from == NULL && r->next_break_qty >= 0) {
		one.min_qty = r->next_break_qty;
		one.price = r->next_break_price;
		t = NULL;
		n = 1;
	}
	for (k = 0; k < n; k++, x->tier_row++) {
		const match_tier *tk = t ? &t[k] : &one;
		lxw_worksheet *ws = x->tiers;
		lxw_row_t row = x->tier_row;

		x->lib->worksheet_write_number(ws, row, 0, d->rank0 + i + 1, x->f.integer);
		x->lib->worksheet_write_string(ws, row, 1, sup, x->f.text);
		x->lib->worksheet_write_string(ws, row, 2, title, x->f.text);
		x->lib->worksheet_write_number(ws, row, 3, (double)r->product_id, x->f.integer);
		x->lib->worksheet_write_number(ws, row, 4, (double)tk->min_qty, x->f.integer);
		x->lib->worksheet_write_number(ws, row, 5, tk->price, x->f.money);
		export_fmt_money(num, sizeof num, tk->price);
		widen(&x->twidth[5], num, 6);
	}
	if (n > 0) {
		widen(&x->twidth[1], sup, 1);
		widen(&x->twidth[2], title, 1);
	}
	free(t);
	free(sup);
	free(title);
}

static int xlsx_quiet(void);
static void xlsx_loud(int keep);

void export_xlsx_add(xlsx_state *x, const export_doc *d)
{
	int i, c, quiet = xlsx_quiet();

	for (i = 0; i < d->nrows; i++) {
		for (c = 0; c < SHEET_COLS; c++)
			xlsx_cell(x, d, i, c);
		xlsx_tier_rows(x, d, i);
	}
	xlsx_loud(quiet);
}

static void xlsx_discard(xlsx_state *x)
{
	if (x->scratch) {
		unlink(x->scratch);
		free(x->scratch);
	}
	memset(x, 0, sizeof *x);
}

/* libxlsxwriter prints its own "[ERROR] ..." lines to stderr (a full disk
 * makes several); souk says what went wrong once, in its own words, so
 * stderr is set aside while the library works. Returns the saved fd. */
static int xlsx_quiet(void)
{
	int keep = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (keep >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return keep;
}

static void xlsx_loud(int keep)
{
	if (keep >= 0) {
		dup2(keep, STDERR_FILENO);
		close(keep);
	}
}

/* libxlsxwriter insists on writing a named file itself, so it writes a
 * scratch file beside the target and util_write_atomic then commits the
 * bytes: one place in souk does temp + fsync + rename. */
int export_xlsx_begin(xlsx_state *x, const char *path, const export_doc *d, souk_err *e)
{
	lxw_workbook_options opt = {0};
	int fd, quiet;

	memset(x, 0, sizeof *x);
	if ((x->lib = dylib_xlsx_get(e)) == NULL)
		return -1;
	x->scratch = xasprintf("%s.part-XXXXXX", path);
	fd = mkstemp(x->scratch);
	if (fd < 0) {
		err_set(e, "cannot write %s: %s", path, strerror(errno));
		free(x->scratch);
		x->scratch = NULL;
		return -1;
	}
	close(fd);
	quiet = xlsx_quiet();
	x->wb = x->lib->workbook_new_opt(x->scratch, &opt);
	xlsx_loud(quiet);
	if (x->wb == NULL) {
		err_set(e, "cannot write %s: the XLSX writer could not start", path);
		xlsx_discard(x);
		return -1;
	}
	xlsx_formats(x->lib, x->wb, d, &x->f);
	x->offers = x->lib->workbook_add_worksheet(x->wb, "Offers");
	x->tiers = x->lib->workbook_add_worksheet(x->wb, "Price tiers");
	xlsx_heads(x);
	return 0;
}

int export_xlsx_end(xlsx_state *x, const char *path, long nrows, int force, souk_err *e)
{
	lxw_error rc;
	char *data;
	size_t len;
	int c, ret, quiet;

	for (c = 0; c < SHEET_COLS; c++)
		x->lib->worksheet_set_column(x->offers, (lxw_col_t)c, (lxw_col_t)c, x->width[c],
		                             NULL);
	x->lib->worksheet_freeze_panes(x->offers, 1, 0);
	x->lib->worksheet_autofilter(x->offers, 0, 0, (lxw_row_t)nrows, SHEET_COLS - 1);
	for (c = 0; c < 6; c++)
		x->lib->worksheet_set_column(x->tiers, (lxw_col_t)c, (lxw_col_t)c, x->twidth[c],
		                             NULL);
	x->lib->worksheet_freeze_panes(x->tiers, 1, 0);
	quiet = xlsx_quiet();
	rc = x->lib->workbook_close(x->wb);
	xlsx_loud(quiet);
	x->wb = NULL;
	if (rc != LXW_NO_ERROR) {
		err_set(e, "cannot write %s: %s (the old file, if any, is unchanged)", path,
		        x->lib->lxw_strerror(rc));
		xlsx_discard(x);
		return -1;
	}
	data = util_read_file(x->scratch, (size_t)1 << 30, &len, e);
	xlsx_discard(x);
	if (data == NULL)
		return -1;
	ret = util_write_atomic(path, data, len, force, e);
	free(data);
	return ret;
}

/* Abandoning a workbook still has libxlsxwriter free it. */
void export_xlsx_abort(xlsx_state *x)
{
	if (x->wb) {
		int quiet = xlsx_quiet();

		x->lib->workbook_close(x->wb);
		xlsx_loud(quiet);
	}
	xlsx_discard(x);
}

#else

int export_xlsx_begin(xlsx_state *x, const char *path, const export_doc *d, souk_err *e)
{
	(void)x;
	(void)d;
	err_set(e,
	        "cannot write %s: this souk was built without XLSX support (install "
	        "libxlsxwriter and rebuild, or use .csv, which Excel opens)",
	        path);
	return -1;
}

void export_xlsx_add(xlsx_state *x, const export_doc *d)
{
	(void)x;
	(void)d;
}

int export_xlsx_end(xlsx_state *x, const char *path, long nrows, int force, souk_err *e)
{
	(void)x;
	(void)path;
	(void)nrows;
	(void)force;
	(void)e;
	return -1;
}

void export_xlsx_abort(xlsx_state *x)
{
	(void)x;
}

#endif
