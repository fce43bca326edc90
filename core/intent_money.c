/* intent_money: money in a turn: currency words and symbols, amounts, budgets for the total. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "intent_int.h"
#include "text.h"

/* The market the turn or the conversation names, or NULL. */
static const char *market_now(const parse *p)
{
	if (p->market[0])
		return p->market;
	return p->ctx && p->ctx->state ? p->ctx->state->market : NULL;
}

int intent_currency_of(const parse *p, int i, const char **code, double *scale)
{
	if (i < 0 || i >= p->n || (p->t[i].kind != T_WORD && p->t[i].kind != T_SYM))
		return 0;
	/* "p" and "c" as pence and cents only glued to a number (lex_number) */
	if (!strcmp(p->t[i].w, "p") || !strcmp(p->t[i].w, "c"))
		return 0;
	int c = smap_get(&p->v->cur, p->t[i].w);
	if (c < 0)
		return 0;
	/* a code that is also a word ("try", "mad") only in capitals or beside
	 * a number */
	if ((p->v->curflags[c] & CUR_CODE) && !p->t[i].caps &&
	    !(i > 0 && p->t[i - 1].kind == T_NUM) && !(i + 1 < p->n && p->t[i + 1].kind == T_NUM))
		return 0;
	const char(*alt)[4] = p->v->curcode[c];
	*code = alt[0][0] == '*' ? "" : alt[0];
	/* "kr" in Copenhagen is DKK: the market's own currency among the readings */
	const char *mine = intent_country_currency(p->v, market_now(p));
	for (int k = 1; mine && k < 4 && alt[k][0]; k++)
		if (!strcmp(alt[k], mine))
			*code = alt[k];
	*scale = p->v->curscale[c];
	return 1;
}

/* "Canadian dollars", "aussie dollars", "Swiss francs": a unit name after
 * a country's name or adjective is that country's currency, the FX code
 * that begins with its ISO code (ISO 4217 is built that way). The unit
 * becomes the code and the country words go: they name no place. */
void intent_fold_currency_names(parse *p)
{
	static const char *const units[] = {
	        "dollar", "dollars", "franc",   "francs", "pound",  "pounds", "krona",   "kronor",
	        "krone",  "kroner",  "crown",   "crowns", "peso",   "pesos",  "rupee",   "rupees",
	        "real",   "reais",   "rand",    "yen",    "won",    "yuan",   "ringgit", "baht",
	        "lira",   "dirham",  "dirhams", "riyal",  "riyals", "shekel", "shekels", "zloty",
	        "forint", "koruna",  "euro",    "euros",  NULL};
	for (int i = 0; i < p->n; i++) {
		int adj, len, c;
		if (p->t[i].gone || (c = intent_country_at(p, i, &adj, &len)) < 0 ||
		    i + len >= p->n || !intent_is_in(p, i + len, units))
			continue;
		const char *code = intent_country_currency(p->v, p->v->countries[c].code);
		if (!code)
			continue;
		tok *u = &p->t[i + len];
		snprintf(u->w, WORD_MAX, "%s", code);
		text_lower(u->w);
		u->caps = 1; /* read as a code, with or without an amount beside it */
		for (int k = i; k < i + len; k++)
			p->t[k].gone = 1;
		i += len;
	}
}

/* Prices said the way people speak them: "1 dollar fifty", "a buck fifty",
 * "2 euros 50", "one dollar and fifty cents" are 1.50, 1.50, 2.50 and 1.50;
 * "two fifty" is 2.50 only with a currency word nearby, and 250 before a
 * unit ("two fifty pieces"). The cents must end the amount: "2 dollars 50
 * mugs" is left alone. */
void intent_fold_money(parse *p)
{
	static const char *const money[] = {"dollar", "dollars", "buck",   "bucks", "euro",
	                                    "euros",  "pound",   "pounds", "quid",  "usd",
	                                    "eur",    "gbp",     "yuan",   "rmb",   NULL};
	static const char *const ends_ok[] = {"each",    "per",  "a",  "an",  "apiece", "max",
	                                      "maximum", "tops", "or", "at",  "for",    "top",
	                                      "please",  "is",   "in", "and", "then",   NULL};
	for (int i = 0; i + 2 < p->n; i++) {
		int j = i + 1;
		if (p->t[i].gone || p->t[j].gone)
			continue;
		if (intent_whole(&p->t[i], 0, 1e6) && intent_is_in(p, j, money)) {
			int k = j + 1;
			if (intent_is_w(p, k, "and"))
				k++;
			if (k >= p->n || !intent_whole(&p->t[k], 1, 99) ||
			    (!p->t[k].spelled && (p->t[k].folded || strlen(p->t[k].w) != 2)))
				continue;
			int e = k + 1;
			if (intent_is_w(p, e, "cents") || intent_is_w(p, e, "cent") ||
			    intent_is_w(p, e, "pence"))
				e++;
			if (e < p->n && p->t[e].kind == T_WORD && !intent_is_in(p, e, ends_ok))
				continue;
			p->t[i].num += p->t[k].num / 100;
			p->t[i].decimal = 1;
			tok_drop(p, k, e - k);
			continue;
		}
		/* "two fifty" */
		if (p->t[i].spelled && intent_whole(&p->t[i], 1, 99) && p->t[j].spelled &&
		    intent_whole(&p->t[j], 10, 99)) {
			int cur = 0, kind;
			double f;
			const char *code;
			for (int k = i - 3; k <= j + 6 && !cur; k++)
				cur = k != i && k != j && intent_currency_of(p, k, &code, &f) &&
				      f == 1;
			if (cur) {
				p->t[i].num += p->t[j].num / 100;
				p->t[i].decimal = 1;
			} else if (intent_unit_of(p, j + 1, &kind, &f) && kind == U_QTY) {
				p->t[i].num = p->t[i].num * 100 + p->t[j].num;
			} else {
				continue;
			}
			tok_drop(p, j, 1);
		}
	}
}

/* "$3,000 total for 1,500 sleeves", "my budget is €6.000 for 2.000
 * coasters": a sum for the whole order, which intent_find_numbers divides by the
 * quantity once it is read. */
int intent_total_budget(parse *p, const numphrase *np, int end)
{
	static const char *const total[] = {"total", "overall", "altogether", "all-in", NULL};
	int e = end > np->e ? end : np->e, k = e + 1;
	int said = 0;
	if (intent_is_in(p, k, total) ||
	    (intent_is_w(p, k, "in") && intent_is_w(p, k + 1, "total"))) {
		said = 1;
		k += intent_is_w(p, k, "in") ? 2 : 1;
	}
	for (int b = 1; b <= WINDOW && !said; b++)
		said = intent_is_w(p, intent_back(p, np->s, b), "budget") ||
		       intent_is_in(p, intent_back(p, np->s, b), total);
	if (!said || np->range || !intent_is_w(p, k, "for") || k + 1 >= p->n ||
	    p->t[k + 1].kind != T_NUM || !intent_same_clause(p, k, np->s))
		return 0;
	p->total = np->a * np->scale;
	if (np->cur && *np->cur)
		snprintf(p->cur, sizeof(p->cur), "%s", np->cur);
	intent_use(p, k, 1);
	return 1;
}

/* The total over the quantity, as a ceiling per unit; the reply says how. */
void intent_divide_total(parse *p)
{
	double q = p->qty > 0 ? p->qty
	           : p->ctx && p->ctx->state && p->ctx->state->quantity > 0
	                   ? p->ctx->state->quantity
	                   : -1;
	if (p->total <= 0)
		return;
	if (q <= 0) {
		intent_note(
		        p,
		        "A total budget needs a quantity to become a price per unit; tell me how "
		        "many units.");
		return;
	}
	p->pmax = round(p->total / q * 10000) / 10000;
	p->price_said = 1;
	const char *cur = p->cur[0] ? p->cur
	                  : p->ctx && p->ctx->state && p->ctx->state->currency[0]
	                          ? p->ctx->state->currency
	                          : "USD";
	intent_note(p, "A budget of %.2f %s for %.0f units is at most %.2f %s a unit.", p->total,
	            cur, q, p->pmax, cur);
}

static int has_number(const parse *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->t[i].kind == T_NUM)
			return 1;
	return 0;
}

/* A currency said without a price: "in euros", "prices in GBP". */
void intent_find_currency(parse *p)
{
	for (int i = 0; i < p->n; i++) {
		const char *c;
		double sc;
		if (p->t[i].used || !intent_currency_of(p, i, &c, &sc) || sc != 1)
			continue;
		/* "oops, I meant pounds": the amount stays, its currency changes */
		int fix = intent_correction(p) && !has_number(p);
		if (p->t[i].kind == T_SYM || intent_is_w(p, i - 1, "in") ||
		    intent_is_w(p, i - 1, "currency") || fix) {
			if (!p->cur[0])
				snprintf(p->cur, sizeof(p->cur), "%s", c);
			intent_use(p, i, 1);
		}
	}
}
