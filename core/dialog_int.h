/* dialog_int: what the dialog_* files share (internal; users include dialog.h). */
#ifndef SOUK_DIALOG_INT_H
#define SOUK_DIALOG_INT_H

#include "dialog.h"
#include "intent.h"

/* The questions the dialog can ask; each is asked at most once. */
enum question {
	Q_NONE,
	Q_PRODUCT,
	Q_MARKET,
	Q_QUANTITY,
	Q_BUDGET,
	Q_CERTS, /* the market-knowledge offer: yes / no */
};

typedef struct category {
	const char *path, *name; /* the reference data's */
	strlist terms;           /* each term's words, singular, space-separated */
} category;

struct dialog {
	match_ctx *m;
	intent_vocab *v;
	souk_vocab *cv; /* the catalog's vocabulary, or NULL */
	souk_filter f;
	filter_history h;
	enum question pending;
	unsigned asked; /* 1u << enum question */
	int last_country_field;
	int last_number_field;       /* the number field the last turn changed */
	unsigned last_number_fields; /* all of them */
	double budget_hint;          /* the upper price quoted with the budget question */
	strlist offer;               /* certifications offered, awaiting yes or no */
	strlist offered;             /* "prefix market" pairs already offered */
	const souk_ref *ref;         /* the caller's, for the dialog's whole life */
	category *cats;
	int ncats;
};

/* ---- the state and turns (dialog.c) ---- */
const category *dialog_category_of(const dialog *d, const strlist *kw, int *score);
char *dialog_category_prefix(const dialog *d, const strlist *kw);
char *dialog_state_category(const dialog *d, const char **name);
int dialog_run_match(dialog *d, const souk_filter *f, match_result *res);

/* ---- questions and overviews (dialog_ask.c) ---- */
double dialog_hist_quantile(const match_hist *h, double q);
char *dialog_next_question(dialog *d, const match_result *res, int have_res);
void dialog_overview(dialog *d, strbuf *b);

/* ---- replies (dialog_say.c) ---- */
void dialog_add_money(strbuf *b, const char *cur, double v);
void dialog_add_count(strbuf *b, double v);
void dialog_add_list(strbuf *b, const strlist *l, const char *sep);
void dialog_sep(strbuf *b);
void dialog_describe_state(const dialog *d, strbuf *b);
void dialog_describe_changes(const dialog *d, unsigned changed, strbuf *b);
void dialog_unused_words(const dialog *d, strbuf *b);

#endif
