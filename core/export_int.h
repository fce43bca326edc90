/* export_int: what the export_* files share (internal; users include export.h). */
#ifndef SOUK_EXPORT_INT_H
#define SOUK_EXPORT_INT_H

#include "build-config.h"

#include "export.h"
#include "offer.h"

#ifdef HAVE_XLSXWRITER
#include "dylib.h"
#endif

/* The CSV and XLSX columns: the length of sheet_keys (export.c). */
#define SHEET_COLS 20

#ifdef HAVE_XLSXWRITER

struct xlsx_fmts {
	lxw_format *header, *money, *integer, *dec1, *text;
};

/* The workbook of an export being written: both sheets fill page by page. */
typedef struct xlsx_state {
	const dylib_xlsx *lib; /* libxlsxwriter, opened on first use */
	char *scratch;         /* the file libxlsxwriter writes, beside the target */
	lxw_workbook *wb;
	lxw_worksheet *offers, *tiers;
	struct xlsx_fmts f;
	int width[SHEET_COLS], twidth[6];
	lxw_row_t tier_row;
} xlsx_state;

#else

typedef struct xlsx_state {
	int unused;
} xlsx_state;

#endif

/* ---- the columns and streams (export.c) ---- */
const offer_field *export_sheet_col(int c);
const char *export_doc_currency(const export_doc *d);
void export_row_ctx(const export_doc *d, int i, offer_ctx *c);
char *export_cell_text(const export_doc *d, int i, const offer_field *f);
const char *export_nz(const char *s);
void export_fmt_money(char *buf, size_t len, double v);
int export_row_tiers(const export_doc *d, int i, match_tier **tiers);

/* ---- XLSX (export_xlsx.c) ---- */
void export_xlsx_add(xlsx_state *x, const export_doc *d);
int export_xlsx_begin(xlsx_state *x, const char *path, const export_doc *d, souk_err *e);
int export_xlsx_end(xlsx_state *x, const char *path, long nrows, int force, souk_err *e);
void export_xlsx_abort(xlsx_state *x);

#endif
