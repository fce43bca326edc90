/* dialog_answer: questions about the current results ("which is cheapest?") answered in one line
 * that names the offer. */
#ifndef SOUK_DIALOG_ANSWER_H
#define SOUK_DIALOG_ANSWER_H

#include "filter.h"
#include "intent.h"
#include "match.h"
#include "util.h"

/* Appends to out one line about the best offer of the current results by
 * kind (enum intent_best): "Cheapest: row 4, Cotton Tote Bag from Shantou Maxyu (CN), 0.40 USD
 * a unit at 500 pcs." The row is its place in the best-first order the
 * grid opens with. Changes no filter. -1 with e set on a catalog error. */
int dialog_answer_best(match_ctx *m, const souk_filter *f, int kind, strbuf *out, souk_err *e);

#endif
