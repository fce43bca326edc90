/* dialog_answer: questions about the current results ("which is cheapest?") answered in one line
 * that names the offer. */
#ifndef SOUK_DIALOG_ANSWER_H
#define SOUK_DIALOG_ANSWER_H

#include "filter.h"
#include "match.h"
#include "util.h"

/* What a buyer can ask the best of; the order of dialog_answer_kinds[]. */
enum answer_kind {
	ANSWER_NONE = -1,
	ANSWER_CHEAPEST,
	ANSWER_FASTEST,
	ANSWER_BEST_RATED,
	ANSWER_LOWEST_MOQ,
	ANSWER_LOWEST_LANDED,
	ANSWER_COUNT
};

/* The kind named by a word of assets/intent/superlatives.tsv ("price",
 * "lead", "rating", "moq", "landed"), or ANSWER_NONE. */
int dialog_answer_kind(const char *name);

/* Appends to out one line about the best offer of the current results by
 * kind: "Cheapest: row 4, Cotton Tote Bag from Shantou Maxyu (CN), 0.40 USD
 * a unit at 500 pcs." The row is its place in the best-first order the
 * grid opens with. Changes no filter. -1 with e set on a catalog error. */
int dialog_answer_best(match_ctx *m, const souk_filter *f, int kind, strbuf *out, souk_err *e);

#endif
